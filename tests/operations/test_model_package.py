"""What a path holds as a model, and the package generated for a single model file."""

from __future__ import annotations

import ast
import json
import zipfile

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
    assert found.to_dict()["problems"] == [
        {
            "code": "INVALID_PACKAGE",
            "message": "customize_service.py is required for PyTorch models",
            "field": "path",
            "params": {
                "reason": "service_file",
                "file": "customize_service.py",
                "model_type": "PyTorch",
            },
        }
    ]


def test_a_folder_with_one_model_file_gets_a_package_like_the_file(tmp_path):
    folder = tmp_path / "iris_model"
    folder.mkdir()
    (folder / "model.joblib").write_bytes(b"weights")
    (folder / "README.md").write_text("how it was trained")
    found = model_package.inspect(folder)
    assert (found.kind, found.model_type, found.model_file) == (
        "model_file", "Scikit_Learn", "model.joblib",
    )  # fmt: skip
    assert found.suggested_name == "iris_model" and found.problems == []
    target = model_package.write_package(folder, found, tmp_path / "pkg")
    assert sorted(p.name for p in (target / "model").iterdir()) == [
        "README.md", "config.json", "customize_service.py", "model.joblib",
    ]  # fmt: skip


def test_a_folder_with_several_model_files_says_which(tmp_path):
    for name in ("a.pkl", "b.onnx"):
        (tmp_path / name).write_bytes(b"weights")
    with pytest.raises(OperationError) as raised:
        model_package.inspect(tmp_path)
    assert raised.value.code == "SEVERAL_MODEL_FILES" and raised.value.field == "path"
    assert "a.pkl, b.onnx" in raised.value.message


def torch_archive(path, names):
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, b"x")
    return path


def test_a_pytorch_state_dict_is_refused_with_the_reason_and_torchscript_is_not(tmp_path):
    weights = torch_archive(tmp_path / "weights.pt", ["archive/data.pkl", "archive/data/0"])
    found = model_package.inspect(weights)
    assert found.problems and "state dict" in found.problems[0].message
    assert found.problems[0].params == {
        "reason": "state_dict",
        "name": "weights.pt",
        "file": "customize_service.py",
    }
    scripted = torch_archive(
        tmp_path / "scripted.pt", ["archive/data.pkl", "archive/code/__torch__.py",
                                   "archive/constants.pkl"],
    )  # fmt: skip
    assert model_package.inspect(scripted).problems == []


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


def test_a_fitted_estimator_gets_a_request_schema_of_its_feature_count(tmp_path):
    import joblib
    from sklearn.datasets import load_iris
    from sklearn.tree import DecisionTreeClassifier

    features, target = load_iris(return_X_y=True)
    joblib.dump(DecisionTreeClassifier().fit(features, target), tmp_path / "model.joblib")
    found = model_package.inspect(tmp_path / "model.joblib")
    apis = json.loads(found.generated["config.json"])["apis"]
    example = model_package.example_from_schema(apis[0]["request"]["data"])
    assert example == {"data": {"req_data": [{"x1": 0, "x2": 0, "x3": 0, "x4": 0}]}}
    # Bytes that are no pickle: no schema, nothing loaded.
    (tmp_path / "junk.pkl").write_bytes(b"\x80\x04junk")
    assert "apis" not in json.loads(model_package.inspect(tmp_path / "junk.pkl").generated[
        "config.json"
    ])  # fmt: skip


def test_an_example_is_made_from_a_config_json_request_schema():
    schema = {
        "type": "object",
        "properties": {
            "images": {"type": "string"},
            "rows": {"type": "array", "items": {"type": "object", "properties": {
                "age": {"type": "integer"}, "city": {"type": "string", "example": "Paris"}}}},
        },
    }  # fmt: skip
    assert model_package.example_from_schema(schema) == {
        "images": "", "rows": [{"age": 0, "city": "Paris"}],
    }  # fmt: skip
