"""Imported model folders are checked for what the cloud checks at import (layout and
config.json) and get a clear reason when they are wrong."""

import json

import pytest

from jupyterlab_modelarts.emulator.runtime.model_package import (
    Entry,
    PackageProblem,
    inspect_package,
)

CONFIG = {"model_type": "Scikit_Learn", "model_algorithm": "predict_analysis"}
SERVICE = (
    "from model_service.python_model_service import XgSklServingBaseService\n"
    "class Service(XgSklServingBaseService):\n    pass\n"
)


def package(tmp_path, files):
    model = tmp_path / "pkg" / "model"
    model.mkdir(parents=True)
    for name, content in files.items():
        (model / name).write_text(content if isinstance(content, str) else json.dumps(content))
    return tmp_path / "pkg"


def test_modelarts_package_with_customize_service(tmp_path):
    found = inspect_package(
        package(tmp_path, {"config.json": CONFIG, "customize_service.py": SERVICE, "m.m": "x"}),
        "scikit_learn",
    )
    assert found.entry is Entry.CUSTOMIZE_SERVICE
    assert found.model_type == "Scikit_Learn"
    assert found.code_file.name == "customize_service.py"
    # model/ itself is accepted too.
    assert inspect_package(tmp_path / "pkg" / "model", "Scikit_Learn").model_dir.name == "model"


def test_single_model_file_and_predict_function(tmp_path):
    builtin = inspect_package(package(tmp_path, {"iris.joblib": "x"}), "Scikit_Learn")
    assert builtin.entry is Entry.BUILTIN
    assert builtin.model_file.name == "iris.joblib"
    function = tmp_path / "fn"
    function.mkdir()
    (function / "predict.py").write_text("def predict(data):\n    return data\n")
    assert inspect_package(function, "PyTorch").entry is Entry.PREDICT_FUNCTION


@pytest.mark.parametrize(
    ("files", "model_type", "reason", "status"),
    [
        (
            {"customize_service.py": SERVICE, "m.m": "x"},
            "Scikit_Learn",
            "config.json is missing",
            "failed",
        ),
        ({"config.json": "{", "m.m": "x"}, "Scikit_Learn", "not valid JSON", "failed"),
        (
            {"config.json": {"model_type": "Scikit_Learn"}},
            "Scikit_Learn",
            "model_algorithm",
            "failed",
        ),
        ({"config.json": CONFIG, "m.m": "x"}, "PyTorch", "declares model_type", "failed"),
        (
            {"config.json": {**CONFIG, "model_type": "TensorFlow"}},
            "TensorFlow",
            "customize_service.py is required",
            "failed",
        ),
        (
            {
                "config.json": {
                    **CONFIG,
                    "dependencies": [
                        {
                            "installer": "pip",
                            "packages": [
                                {
                                    "package_name": "numpy",
                                    "package_version": "1.0",
                                    "restraint": "ATMOST",
                                }
                            ],
                        }
                    ],
                },
                "m.m": "x",
            },
            "Scikit_Learn",
            "numpy",
            "building_failed",
        ),
        ({"m.m": "x"}, "Caffe2", "model_type 'Caffe2'", "failed"),
    ],
)
def test_bad_packages_fail_with_a_reason(tmp_path, files, model_type, reason, status):
    with pytest.raises(PackageProblem, match=reason) as problem:
        inspect_package(package(tmp_path, files), model_type)
    assert problem.value.status == status


def test_missing_location(tmp_path):
    with pytest.raises(PackageProblem, match="does not exist"):
        inspect_package(tmp_path / "absent", "Scikit_Learn")


@pytest.mark.parametrize(
    "service",
    ["class A:\n  pass\n", "def f(:\n", SERVICE],
    ids=["no inference class", "syntax error", "no model file"],
)
def test_inference_code_is_not_judged_at_import(tmp_path, service):
    """The cloud finds the inference class when the service starts (004 MD-1 execution_code:
    "the system can automatically identify the inference code in the model directory")."""
    found = inspect_package(
        package(tmp_path, {"config.json": CONFIG, "customize_service.py": service}),
        "Scikit_Learn",
    )
    assert found.entry is Entry.CUSTOMIZE_SERVICE
