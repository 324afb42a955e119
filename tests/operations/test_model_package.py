"""What a path holds as a model, and the package generated for a single model file."""

from __future__ import annotations

import ast
import json

import pytest

from jupyterlab_modelarts.operations import model_package
from jupyterlab_modelarts.operations.errors import OperationError
from jupyterlab_modelarts.operations.paths import confine


@pytest.mark.parametrize(
    ("name", "model_type", "base"),
    [
        ("clf.pkl", "Scikit_Learn", "XgSklServingBaseService"),
        ("clf.joblib", "Scikit_Learn", "XgSklServingBaseService"),
        ("booster.bst", "XGBoost", "XgSklServingBaseService"),
        ("net.pt", "PyTorch", "PTServingBaseService"),
        ("net.onnx", "PyTorch", "SingleNodeService"),
        ("net.h5", "TensorFlow", "SingleNodeService"),
    ],
)
def test_single_model_files_get_their_type_runtime_and_inference_code(
    tmp_path, name, model_type, base
):
    path = tmp_path / name
    path.write_bytes(b"weights")
    found = model_package.inspect(path)
    assert (found.kind, found.model_type) == ("model_file", model_type)
    assert found.runtime == model_package.DEFAULT_RUNTIMES[model_type]
    config = json.loads(found.generated["config.json"])
    assert config["model_type"] == model_type
    code = ast.parse(found.generated["customize_service.py"])
    classes = [node for node in code.body if isinstance(node, ast.ClassDef)]
    assert [getattr(c.bases[0], "id", None) for c in classes] == [base]


def test_saved_model_folder_is_a_tensorflow_model(tmp_path):
    (tmp_path / "exported").mkdir()
    (tmp_path / "exported" / "saved_model.pb").write_bytes(b"pb")
    found = model_package.inspect(tmp_path / "exported")
    assert (found.kind, found.model_type, found.suggested_name) == (
        "saved_model", "TensorFlow", "exported",
    )  # fmt: skip
    target = model_package.write_package(tmp_path / "exported", found, tmp_path / "pkg")
    assert sorted(p.name for p in (target / "model").iterdir()) == [
        "config.json", "customize_service.py", "saved_model.pb",
    ]  # fmt: skip


def test_package_reads_config_json_and_reports_problems(tmp_path):
    model = tmp_path / "my model" / "model"
    model.mkdir(parents=True)
    (model / "config.json").write_text(
        json.dumps(
            {
                "model_type": "pytorch",
                "model_algorithm": "image_classification",
                "runtime": "pytorch1.4-python3.7",
            }
        )
    )
    found = model_package.inspect(tmp_path / "my model")
    assert (found.kind, found.model_type, found.runtime) == (
        "package", "PyTorch", "pytorch1.4-python3.7",
    )  # fmt: skip
    assert found.suggested_name == "my-model"
    assert found.problems == ["customize_service.py is required for PyTorch models"]


def test_what_is_no_model_is_refused_on_the_path_field(tmp_path):
    (tmp_path / "notes.txt").write_text("hi")
    (tmp_path / "empty").mkdir()
    for path in (tmp_path / "notes.txt", tmp_path / "empty"):
        with pytest.raises(OperationError) as raised:
            model_package.inspect(path)
        assert raised.value.field == "path"


def test_generated_package_goes_next_to_the_file_under_a_free_name(tmp_path):
    (tmp_path / "clf.pkl").write_bytes(b"model")
    (tmp_path / "clf_package").mkdir()
    assert model_package.generate_beside(tmp_path, "clf.pkl") == "clf_package-2"
    assert (tmp_path / "clf_package-2" / "model" / "clf.pkl").read_bytes() == b"model"


@pytest.mark.parametrize("relative", ["", "../x", "/etc", "a/../../x", "link/file"])
def test_confine_refuses_paths_leaving_the_root(tmp_path, relative):
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file").write_text("")
    (root / "link").symlink_to(tmp_path / "x")
    with pytest.raises(OperationError) as raised:
        confine(root, relative)
    assert raised.value.field == "path"
