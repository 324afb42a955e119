"""What a path in the file browser holds as a ModelArts model, and a minimal package for a
single model file.

A model package (model-package-and-moxing.md section 1) is a folder with ``config.json``,
``customize_service.py`` and the model files, either at its top or in a ``model/`` sub-folder.
A single model file (``.pkl``, ``.joblib``, ``.pt``, ``.onnx``, ``.h5``...), a folder holding
exactly one such file, or a TensorFlow SavedModel folder has no package yet: its model type and
runtime are inferred from what it is, and a ``config.json`` plus ``customize_service.py`` can be
generated for it. Nothing of the user's code is executed here (a PyTorch file is told apart from
a state dict by the names in its archive, not by loading it).
"""

from __future__ import annotations

import json
import pickletools
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import code_folder
from .errors import OperationError
from .paths import confine

CONFIG_FILE = "config.json"
SERVICE_FILE = "customize_service.py"
MODEL_FOLDER = "model"
SAVED_MODEL_FILE = "saved_model.pb"
MODEL_TYPES = (
    "TensorFlow", "MXNet", "Caffe", "Spark_MLlib", "Scikit_Learn", "XGBoost", "Image",
    "PyTorch", "MindSpore",
)  # fmt: skip
#: Model types the ModelArts built-in service serves without inference code.
BUILTIN_SERVED_TYPES = ("Scikit_Learn", "XGBoost")
#: Model type of a single model file, by suffix. ModelArts has no ONNX type: an ONNX file is
#: served by generated inference code (onnxruntime) on the PyTorch runtime.
MODEL_FILE_TYPES = {
    ".pkl": "Scikit_Learn",
    ".joblib": "Scikit_Learn",
    ".m": "Scikit_Learn",
    ".bst": "XGBoost",
    ".model": "XGBoost",
    ".ubj": "XGBoost",
    ".pt": "PyTorch",
    ".pth": "PyTorch",
    ".onnx": "PyTorch",
    ".h5": "TensorFlow",
    ".keras": "TensorFlow",
}
#: The runtime proposed for each model type (the documents' defaults for the old runtimes).
DEFAULT_RUNTIMES = {
    "Scikit_Learn": "python3.6",
    "XGBoost": "python3.6",
    "PyTorch": "pytorch1.4-python3.7",
    "TensorFlow": "tf2.1-python3.7",
    "MXNet": "python3.7",
    "Caffe": "python3.6",
    "Spark_MLlib": "python3.6",
}
DEFAULT_ALGORITHM = "predict_analysis"

Kind = Literal["package", "model_file", "saved_model"]


@dataclass
class Inspection:
    """What ``path`` holds, as the deploy dialog shows it."""

    kind: Kind
    model_type: str | None
    runtime: str | None
    model_algorithm: str
    #: A model name derived from the path (letters, digits, '-' and '_').
    suggested_name: str
    #: The model file a generated package serves (for a folder: the one model file in it).
    model_file: str | None = None
    #: For a single file or SavedModel: the files a generated package adds, by name.
    generated: dict[str, str] = field(default_factory=dict)
    #: Why the package would not be accepted (shown before anything is uploaded).
    problems: list[OperationError] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "model_type": self.model_type,
            "runtime": self.runtime,
            "model_algorithm": self.model_algorithm,
            "suggested_name": self.suggested_name,
            "model_file": self.model_file,
            "generated": self.generated,
            "problems": [problem.to_dict() for problem in self.problems],
        }


def suggested_name(path: Path) -> str:
    stem = path.stem if path.is_file() else path.name
    if stem == MODEL_FOLDER and path.parent.name:
        stem = path.parent.name
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:64]
    return name or "model"


def package_folder(path: Path) -> Path | None:
    """The folder holding ``config.json`` (``path`` or its ``model/``), if ``path`` is a
    package."""
    for folder in (path / MODEL_FOLDER, path):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def inspect(path: Path) -> Inspection:
    """What ``path`` (already confined to the server root) holds; raises OperationError
    (field ``path``) for something that is no model at all."""
    name = suggested_name(path)
    if path.is_dir():
        folder = package_folder(path)
        if folder is not None:
            return _inspect_package(folder, name)
        if (path / SAVED_MODEL_FILE).is_file():
            return _inspect_single(path, "saved_model", "TensorFlow", name, path)
        models = sorted(
            child
            for child in path.iterdir()
            if child.is_file() and child.suffix.lower() in MODEL_FILE_TYPES
        )
        if len(models) == 1:
            found = models[0]
            return _inspect_single(
                path, "model_file", MODEL_FILE_TYPES[found.suffix.lower()], name, found
            )
        if models:
            raise OperationError(
                "SEVERAL_MODEL_FILES",
                f"{path.name} holds {len(models)} model files "
                f"({', '.join(m.name for m in models)}): deploy one of them",
                field="path",
                params={"folder": path.name, "files": [m.name for m in models]},
            )
        raise OperationError(
            "NOT_A_MODEL",
            f"{path.name} holds neither {CONFIG_FILE} (a ModelArts model package), "
            f"{SAVED_MODEL_FILE} (a TensorFlow SavedModel) nor a model file "
            f"({', '.join(sorted(MODEL_FILE_TYPES))})",
            field="path",
            params={"name": path.name, "suffixes": sorted(MODEL_FILE_TYPES)},
        )
    model_type = MODEL_FILE_TYPES.get(path.suffix.lower())
    if model_type is None:
        raise OperationError(
            "NOT_A_MODEL_FILE",
            f"{path.name} is not a model file ({', '.join(sorted(MODEL_FILE_TYPES))})",
            field="path",
            params={"name": path.name, "suffixes": sorted(MODEL_FILE_TYPES)},
        )
    return _inspect_single(path, "model_file", model_type, name, path)


def _package_problem(reason: str, message: str, **params: Any) -> OperationError:
    """Why a package would not be accepted: the deploy refuses it with this on the path."""
    return OperationError(
        "INVALID_PACKAGE", message, field="path", params={"reason": reason, **params}
    )


def _inspect_package(folder: Path, name: str) -> Inspection:
    problems: list[OperationError] = []
    try:
        config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        config = {}
        problems = [
            _package_problem(
                "not_json",
                f"{CONFIG_FILE} is not valid JSON: {error}",
                file=CONFIG_FILE,
                error=str(error),
            )
        ]
    if not isinstance(config, dict):
        config = {}
        problems = [
            _package_problem(
                "not_an_object", f"{CONFIG_FILE} must hold a JSON object", file=CONFIG_FILE
            )
        ]
    model_type = _known_type(config.get("model_type"))
    if not problems and model_type is None:
        problems.append(
            _package_problem(
                "model_type",
                f"{CONFIG_FILE}: model_type must be one of {', '.join(MODEL_TYPES)}",
                file=CONFIG_FILE,
                choices=list(MODEL_TYPES),
            )
        )
    algorithm = config.get("model_algorithm")
    if not problems and not (isinstance(algorithm, str) and 0 < len(algorithm) <= 36):
        problems.append(
            _package_problem(
                "model_algorithm",
                f"{CONFIG_FILE}: model_algorithm is required (1-36 characters)",
                file=CONFIG_FILE,
            )
        )
    if (
        model_type
        and model_type not in BUILTIN_SERVED_TYPES
        and not (folder / SERVICE_FILE).is_file()
    ):
        problems.append(
            _package_problem(
                "service_file",
                f"{SERVICE_FILE} is required for {model_type} models",
                file=SERVICE_FILE,
                model_type=model_type,
            )
        )
    runtime = config.get("runtime")
    return Inspection(
        kind="package",
        model_type=model_type,
        runtime=runtime if isinstance(runtime, str) else DEFAULT_RUNTIMES.get(model_type or ""),
        model_algorithm=algorithm if isinstance(algorithm, str) else DEFAULT_ALGORITHM,
        suggested_name=name,
        problems=problems,
    )


def _known_type(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return next((known for known in MODEL_TYPES if known.lower() == value.lower()), None)


def _is_state_dict(model_file: Path) -> bool:
    """A PyTorch file saved with ``torch.save(model.state_dict())``: an archive of tensors
    without the TorchScript code a service could run."""
    if model_file.suffix.lower() not in (".pt", ".pth") or not zipfile.is_zipfile(model_file):
        return False
    with zipfile.ZipFile(model_file) as archive:
        names = archive.namelist()
    return not any("/code/" in name or name.endswith("/constants.pkl") for name in names)


#: Memo writes, which sit between a dictionary key and its value in a pickle.
_MEMO_OPCODES = frozenset({"MEMOIZE", "PUT", "BINPUT", "LONG_BINPUT"})


def feature_count(model_file: Path) -> int | None:
    """The ``n_features_in_`` a fitted scikit-learn estimator stored in its pickle (the first
    one: a pipeline's first step), read from the pickle's opcodes without loading it. None when
    the file is no plain pickle or holds no such value."""
    if model_file.suffix.lower() not in (".pkl", ".joblib", ".m"):
        return None
    previous: object = None
    try:
        with model_file.open("rb") as stream:
            for opcode, argument, _position in pickletools.genops(stream):
                if previous == "n_features_in_" and isinstance(argument, int):
                    return argument if argument > 0 else None
                if isinstance(argument, str):
                    previous = argument
                elif opcode.name not in _MEMO_OPCODES:
                    previous = None
    except (ValueError, EOFError, UnicodeDecodeError):
        # Arrays joblib writes after their wrapper, or a compressed file: not opcodes.
        return None
    return None


def _rows_schema(key: str, row: dict[str, Any]) -> dict[str, Any]:
    """The JSON body ``{"data": {<key>: [<row>, ...]}}`` as an ``apis`` request or response."""
    rows = {"type": "array", "items": [row]}
    data = {"type": "object", "properties": {key: rows}}
    return {
        "Content-type": "application/json",
        "data": {"type": "object", "properties": {"data": data}},
    }


def _row_apis(features: int) -> list[dict[str, Any]]:
    """config.json ``apis`` of a generated package: the request and response schemas (what
    the Test panel fills its body from)."""
    number = {"type": "number"}
    row = {"type": "object", "properties": {f"x{i + 1}": number for i in range(features)}}
    answer = {"type": "object", "properties": {"predictresult": {}}}
    return [
        {
            "protocol": "https",
            "url": "/",
            "method": "post",
            "request": _rows_schema("req_data", row),
            "response": _rows_schema("resp_data", answer),
        }
    ]


def example_from_schema(schema: Any) -> Any:
    """A value of the JSON schema (``apis`` request ``data``): objects with every property,
    arrays with one item, 0 for numbers, "" for strings."""
    if not isinstance(schema, dict):
        return None
    if "example" in schema:
        return schema["example"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        return {key: example_from_schema(value) for key, value in properties.items()}
    if kind == "array":
        items = schema.get("items")
        first = items[0] if isinstance(items, list) and items else items
        return [example_from_schema(first)] if first is not None else []
    return {"number": 0, "integer": 0, "string": "", "boolean": False}.get(str(kind))


def _inspect_single(
    path: Path, kind: Kind, model_type: str, name: str, model_file: Path
) -> Inspection:
    runtime = DEFAULT_RUNTIMES[model_type]
    config: dict[str, Any] = {
        "model_type": model_type,
        "model_algorithm": DEFAULT_ALGORITHM,
        "runtime": runtime,
    }
    features = feature_count(model_file) if model_type in BUILTIN_SERVED_TYPES else None
    if features:
        config["apis"] = _row_apis(features)
    problems = []
    if _is_state_dict(model_file):
        problems.append(
            _package_problem(
                "state_dict",
                f"{model_file.name} is a PyTorch state dict: it needs the model's class to run. "
                "Save it with torch.jit.script(model).save(...), or write a model package with "
                f"{SERVICE_FILE} that builds the model and loads the state dict",
                name=model_file.name,
                file=SERVICE_FILE,
            )
        )
    return Inspection(
        kind=kind,
        model_type=model_type,
        runtime=runtime,
        model_algorithm=DEFAULT_ALGORITHM,
        suggested_name=name,
        model_file=None if kind == "saved_model" else model_file.name,
        generated={
            CONFIG_FILE: json.dumps(config, indent=2) + "\n",
            SERVICE_FILE: inference_code(model_file, kind, model_type),
        },
        problems=problems,
    )


_SKLEARN_SERVICE = '''"""Inference code generated by jupyterlab_modelarts for {file}.

Request: {{"data": {{"req_data": [{{"feature": value, ...}}, ...]}}}}, each row's values in order.
Answer: {{"data": {{"resp_data": [{{"predictresult": ...}}, ...]}}}}.
"""

import json

from model_service.python_model_service import XgSklServingBaseService


class ModelService(XgSklServingBaseService):
    def _preprocess(self, data):
        rows = json.loads(data)["data"]["req_data"]
        return [list(row.values()) for row in rows]
'''

_TORCHSCRIPT_SERVICE = '''"""Inference code generated by jupyterlab_modelarts for {file}
(a TorchScript module).

Request: {{"inputs": [[...], ...]}}. Answer: {{"outputs": [[...], ...]}}.
"""

import torch

from model_service.pytorch_model_service import PTServingBaseService


class ModelService(PTServingBaseService):
    def __init__(self, model_name, model_path):
        super().__init__(model_name, model_path)
        self.model = torch.jit.load(model_path, map_location="cpu").eval()

    def _preprocess(self, data):
        return torch.tensor(data["inputs"], dtype=torch.float32)

    def _inference(self, data):
        with torch.no_grad():
            return self.model(data)

    def _postprocess(self, data):
        return {{"outputs": data.tolist()}}
'''

_ONNX_SERVICE = '''"""Inference code generated by jupyterlab_modelarts for {file}
(ONNX, run by onnxruntime).

Request: {{"inputs": [[...], ...]}} for the model's first input. Answer: {{"outputs": [...]}}.
"""

import os

import numpy as np
import onnxruntime

from model_service.model_service import SingleNodeService


class ModelService(SingleNodeService):
    def __init__(self, model_name, model_path):
        super().__init__(model_name, model_path)
        self.session = onnxruntime.InferenceSession(os.path.join(model_path, "{file}"))

    def _preprocess(self, data):
        return np.asarray(data["inputs"], dtype=np.float32)

    def _inference(self, data):
        name = self.session.get_inputs()[0].name
        return self.session.run(None, {{name: data}})

    def _postprocess(self, data):
        return {{"outputs": [output.tolist() for output in data]}}
'''

_KERAS_SERVICE = '''"""Inference code generated by jupyterlab_modelarts for {file} (a Keras model).

Request: {{"inputs": [[...], ...]}}. Answer: {{"outputs": [[...], ...]}}.
"""

import os

import numpy as np
from tensorflow import keras

from model_service.model_service import SingleNodeService


class ModelService(SingleNodeService):
    def __init__(self, model_name, model_path):
        super().__init__(model_name, model_path)
        self.model = keras.models.load_model(os.path.join(model_path, "{file}"))

    def _preprocess(self, data):
        return np.asarray(data["inputs"], dtype=np.float32)

    def _inference(self, data):
        return self.model.predict(data)

    def _postprocess(self, data):
        return {{"outputs": data.tolist()}}
'''

_SAVED_MODEL_SERVICE = '''"""Inference code generated by jupyterlab_modelarts for the SavedModel
{file}: the TensorFlow base service answers with the model's serving signature."""

from model_service.tfserving_model_service import TfServingBaseService


class ModelService(TfServingBaseService):
    pass
'''


def inference_code(path: Path, kind: Kind, model_type: str) -> str:
    if kind == "saved_model":
        template = _SAVED_MODEL_SERVICE
    elif model_type in BUILTIN_SERVED_TYPES:
        template = _SKLEARN_SERVICE
    elif path.suffix.lower() == ".onnx":
        template = _ONNX_SERVICE
    elif model_type == "PyTorch":
        template = _TORCHSCRIPT_SERVICE
    else:
        template = _KERAS_SERVICE
    return template.format(file=path.name)


def upload_scan(path: Path, *, include_hidden: bool = False) -> code_folder.CodeFolder:
    """What deploying ``path`` uploads of it (the generated files come on top)."""
    if path.is_dir():
        return code_folder.scan(path, include_hidden=include_hidden, ignore_files=False)
    return code_folder.CodeFolder(path.parent, [(path, path.name, path.stat().st_size)])


def write_package(
    path: Path, inspection: Inspection, target: Path, *, include_hidden: bool = False
) -> Path:
    """Write the generated package of a single model file or SavedModel into
    ``target/model/`` (the model's files, as :func:`upload_scan` picks them, next to the
    generated files); returns ``target``."""
    model_dir = target / MODEL_FOLDER
    if model_dir.exists():
        shutil.rmtree(model_dir)
    if path.is_dir():
        code_folder.stage(upload_scan(path, include_hidden=include_hidden), model_dir, {})
    else:
        model_dir.mkdir(parents=True)
        shutil.copyfile(path, model_dir / path.name)
    for name, text in inspection.generated.items():
        (model_dir / name).write_text(text, encoding="utf-8")
    return target


def free_folder(parent: Path, name: str) -> Path:
    """``parent/name``, or ``name-2``, ``name-3``... when taken."""
    candidate, number = parent / name, 1
    while candidate.exists():
        number += 1
        candidate = parent / f"{name}-{number}"
    return candidate


def generate_beside(root_dir: Path, relative: str) -> str:
    """Write the generated package of a single model file or SavedModel next to it, as
    ``<name>_package/model/``, for the user to read and edit; its path relative to the root."""
    path = confine(root_dir, relative)
    found = inspect(path)
    if found.kind == "package":
        raise OperationError(
            "ALREADY_A_PACKAGE",
            f"{path.name} already is a model package",
            field="path",
            params={"name": path.name},
        )
    target = free_folder(path.parent, f"{found.suggested_name}_package")
    write_package(path, found, target)
    return target.relative_to(Path(root_dir).resolve()).as_posix()
