"""Checking an imported model folder against the ModelArts model package rules.

A package is the folder above `model/` (or `model/` itself) holding `config.json`,
`customize_service.py` and the model files (model-package-and-moxing.md section 1). Local
ModelArts also serves two simpler forms: a folder with a single scikit-learn/XGBoost model file
(joblib/pickle `*.m`, `*.pkl`, `*.joblib`), and a folder with a Python file defining a top-level
`predict(data)` function.

Like the cloud, the import checks only the layout and `config.json`: the inference class of
`customize_service.py` is found when the service starts, by importing the module in the serving
runtime (serving/model_server.py), so a base imported conditionally or under another name works
as it does on the cloud. Nothing of the user's code is executed here.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import requirements

MODEL_TYPES = (
    "TensorFlow",
    "MXNet",
    "Caffe",
    "Spark_MLlib",
    "Scikit_Learn",
    "XGBoost",
    "PyTorch",
    "MindSpore",
    "Image",
)
#: Model types whose packages may go without inference code: the built-in service serves them.
BUILTIN_SERVED_TYPES = ("Scikit_Learn", "XGBoost")
CONFIG_FILE = "config.json"
SERVICE_FILE = "customize_service.py"
PREDICT_FILE = "predict.py"
#: Suffixes of the model file of the Scikit_Learn / XGBoost built-in service.
ML_MODEL_SUFFIXES = (".m", ".pkl", ".joblib", ".model", ".bst")
MODEL_ALGORITHM_MAX = 36


class Entry(enum.Enum):
    """How the inference server loads the package."""

    CUSTOMIZE_SERVICE = "customize_service"
    BUILTIN = "builtin"
    PREDICT_FUNCTION = "predict_function"


class PackageProblem(Exception):
    """The package cannot be published; the message is the model's failure reason."""

    def __init__(self, reason: str, status: str = "failed") -> None:
        super().__init__(reason)
        #: The model status this problem leads to: `failed`, or `building_failed` for
        #: dependencies that the installed packages do not meet.
        self.status = status


@dataclass(frozen=True)
class ModelPackage:
    model_dir: Path
    model_type: str
    entry: Entry
    #: The Python file to import (customize_service.py or the predict module).
    code_file: Path | None = None
    #: The model file of the built-in service (a customize_service.py class whose base takes a
    #: model file finds it by the base's suffixes when the server starts).
    model_file: Path | None = None
    config: dict[str, Any] = field(default_factory=dict)

    def server_arguments(self) -> list[str]:
        """Command line arguments of serving/model_server.py for this package."""
        arguments = ["--model-dir", str(self.model_dir), "--entry", self.entry.value]
        if self.code_file:
            arguments += ["--code-file", str(self.code_file)]
        if self.model_file:
            arguments += ["--model-file", str(self.model_file)]
        return arguments


def normalize_model_type(model_type: str) -> str:
    """The documented spelling of `model_type` (the documents also print `tensorflow`)."""
    for known in MODEL_TYPES:
        if known.lower() == model_type.lower():
            return known
    raise PackageProblem(f"model_type {model_type!r} is not one of {', '.join(MODEL_TYPES)}")


def inspect_package(
    location: Path, model_type: str, extra_dependencies: list[str] | None = None
) -> ModelPackage:
    """Check the package at `location` (the folder above `model/`, or `model/` itself) for a
    model of `model_type`; raise PackageProblem with the reason."""
    model_type = normalize_model_type(model_type)
    model_dir = _model_dir(location)
    config = _read_config(model_dir, model_type)
    unmet = requirements.unmet(
        _config_dependencies(config) + list(extra_dependencies or []),
    )
    if unmet:
        raise PackageProblem(
            "dependencies are not met (Local ModelArts installs nothing): " + "; ".join(unmet),
            status="building_failed",
        )
    service = model_dir / SERVICE_FILE
    if service.is_file():
        return ModelPackage(model_dir, model_type, Entry.CUSTOMIZE_SERVICE, service, None, config)
    predict = model_dir / PREDICT_FILE
    if predict.is_file():
        return ModelPackage(model_dir, model_type, Entry.PREDICT_FUNCTION, predict, None, config)
    if model_type not in BUILTIN_SERVED_TYPES:
        raise PackageProblem(f"model/{SERVICE_FILE} is required for {model_type} models")
    model_file = _one_model_file(model_dir, ML_MODEL_SUFFIXES)
    return ModelPackage(model_dir, model_type, Entry.BUILTIN, None, model_file, config)


def _model_dir(location: Path) -> Path:
    # A single file is no package: MD-1 refuses it (3017) before anything is copied.
    if not location.is_dir():
        raise PackageProblem("source_location does not exist in OBS")
    nested = location / "model"
    return nested if nested.is_dir() else location


def _read_config(model_dir: Path, model_type: str) -> dict[str, Any]:
    path = model_dir / CONFIG_FILE
    if not path.is_file():
        if (model_dir / SERVICE_FILE).is_file():
            raise PackageProblem(f"model/{CONFIG_FILE} is missing")
        return {}
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageProblem(f"model/{CONFIG_FILE} is not valid JSON: {error}") from error
    if not isinstance(config, dict):
        raise PackageProblem(f"model/{CONFIG_FILE} must hold a JSON object")
    algorithm = config.get("model_algorithm")
    if not isinstance(algorithm, str) or not 0 < len(algorithm) <= MODEL_ALGORITHM_MAX:
        raise PackageProblem(
            f"model/{CONFIG_FILE}: model_algorithm is required, 1-{MODEL_ALGORITHM_MAX} characters"
        )
    declared = config.get("model_type")
    if not isinstance(declared, str):
        raise PackageProblem(f"model/{CONFIG_FILE}: model_type is required")
    if normalize_model_type(declared) != model_type:
        raise PackageProblem(
            f"model/{CONFIG_FILE} declares model_type {declared}, the import says {model_type}"
        )
    return config


def _config_dependencies(config: dict[str, Any]) -> list[str]:
    if "dependencies" not in config:
        return []
    try:
        return requirements.from_model_dependencies(config["dependencies"])
    except ValueError as error:
        raise PackageProblem(f"model/{CONFIG_FILE}: {error}") from error


def _one_model_file(model_dir: Path, suffixes: tuple[str, ...]) -> Path:
    candidates = sorted(p for p in model_dir.iterdir() if p.is_file() and p.suffix in suffixes)
    if not candidates:
        raise PackageProblem(f"no model file ({', '.join(suffixes)}) in model/")
    if len(candidates) > 1:
        names = ", ".join(p.name for p in candidates)
        raise PackageProblem(f"several model files in model/ ({names}); keep exactly one")
    return candidates[0]
