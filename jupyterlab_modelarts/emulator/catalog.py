"""The read-only offerings of Local ModelArts, in the wire shapes of 004 (sections 5.1.12, 5.4,
7.10 and 7.11), and the routes that list the training ones (SP-1, SP-2, TJ-12; services.py
serves SV-10 and SV-11 from the lists here).

Values follow the documents' samples (including their quirks: `core` and `cpu` are strings,
built-in algorithm `parameter` is JSON inside a string). Every entry runs on this machine: the
GPU and Ascend specs are accepted so that code written for the cloud works unchanged, and the
work runs on the CPU.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import Family
from .fields import Codes, query_choice, query_int
from .handler import EmulatorHandler

#: 004 §5.4.1 `specs[]`, by job type. `max_num` bounds `worker_server_num`.
RESOURCE_SPECS: dict[str, list[dict[str, Any]]] = {
    "train": [
        {
            "spec_id": 2,
            "core": "2",
            "cpu": "8",
            "gpu_num": 0,
            "gpu_type": "",
            "spec_code": "modelarts.vm.cpu.2u",
            "unit_num": 1,
            "max_num": 2,
            "storage": "",
            "interface_type": 1,
            "no_resource": False,
        },
        {
            "spec_id": 3,
            "core": "8",
            "cpu": "32",
            "gpu_num": 0,
            "gpu_type": "",
            "spec_code": "modelarts.vm.cpu.8u",
            "unit_num": 1,
            "max_num": 4,
            "storage": "",
            "interface_type": 1,
            "no_resource": False,
        },
        {
            "spec_id": 4,
            "core": "8",
            "cpu": "64",
            "gpu_num": 1,
            "gpu_type": "nvidia-p100",
            "spec_code": "modelarts.vm.gpu.p100",
            "unit_num": 1,
            "max_num": 4,
            "storage": "",
            "interface_type": 1,
            "no_resource": False,
        },
        # The id every TJ-1, TJ-6 and TC-1 sample request uses; the SP-1 sample does not list
        # it, so it is a plain CPU flavour, listed last to keep the documented ones first.
        {
            "spec_id": 1,
            "core": "2",
            "cpu": "8",
            "gpu_num": 0,
            "gpu_type": "",
            "spec_code": "modelarts.vm.cpu.2u.sample",
            "unit_num": 1,
            "max_num": 1,
            "storage": "",
            "interface_type": 1,
            "no_resource": False,
        },
    ],
    "inference": [
        {
            "spec_id": 12,
            "core": "2",
            "cpu": "8",
            "gpu_num": 0,
            "gpu_type": "",
            "spec_code": "modelarts.vm.cpu.2u",
            "unit_num": 1,
            "max_num": 2,
            "storage": "",
            "interface_type": 1,
            "no_resource": False,
        },
        {
            "spec_id": 14,
            "core": "4",
            "cpu": "16",
            "gpu_num": 1,
            "gpu_type": "nvidia-p4",
            "spec_code": "modelarts.vm.gpu.p4",
            "unit_num": 1,
            "max_num": 2,
            "storage": "",
            "interface_type": 1,
            "no_resource": False,
        },
    ],
}

#: 004 §5.4.2 `engines[]`, by job type; `engine_type` per the 004 §5.1.3 mapping
#: (1 TensorFlow, 2 MXNet, 9 XGBoost-Sklearn, 10 PyTorch).
ENGINES: dict[str, list[dict[str, Any]]] = {
    "train": [
        {
            "engine_type": 1,
            "engine_name": "TensorFlow",
            "engine_id": 1,
            "engine_version": "TF-1.8.0-python3.6",
        },
        {
            "engine_type": 2,
            "engine_name": "MXNet",
            "engine_id": 22,
            "engine_version": "MXNet-1.2.1-python3.6",
        },
        {
            "engine_type": 9,
            "engine_name": "XGBoost-Sklearn",
            "engine_id": 31,
            "engine_version": "Scikit_Learn-0.18.1-python3.6",
        },
        {
            "engine_type": 10,
            "engine_name": "PyTorch",
            "engine_id": 35,
            "engine_version": "PyTorch-1.4.0-python3.6",
        },
    ],
    "inference": [
        {
            "engine_type": 1,
            "engine_name": "TensorFlow",
            "engine_id": 2,
            "engine_version": "TF-1.8.0-python3.6",
        },
        {
            "engine_type": 9,
            "engine_name": "XGBoost-Sklearn",
            "engine_id": 32,
            "engine_version": "Scikit_Learn-0.18.1-python3.6",
        },
    ],
}


def _algorithm_parameters(*params: tuple[str, str, str]) -> str:
    """The TJ-12 `parameter` field: a JSON array encoded in a string, as the document prints."""
    return json.dumps(
        [
            {
                "label": label,
                "value": value,
                "placeholder_cn": hint,
                "placeholder_en": "",
                "required": True,
            }
            for label, value, hint in params
        ],
        separators=(",", ":"),
    )


#: 004 §5.1.12 `models[]` (the two samples of the document plus two scikit-learn ones that run
#: locally with the XGBoost-Sklearn engine).
BUILT_IN_ALGORITHMS: list[dict[str, Any]] = [
    {
        "model_id": 4,
        "model_name": "ResNet_v2_50",
        "model_usage": 1,
        "model_precision": "75.55%(top1), 92.6%(top5)",
        "model_size": 102503801,
        "model_train_dataset": "ImageNet, 1,000 classes for image classification",
        "model_dataset_format": "shape: [H>=32, W>=32, C>=1]; type: int8",
        "model_description_url": "https://github.com/apache/incubator-mxnet/blob/master/example/image-classification/symbols/resnet.py",
        "parameter": _algorithm_parameters(
            ("batch_size", "4", "Total number of training images updated each time"),
            ("lr", "0.0001", "Learning rate"),
            ("save_frequency", "1", "Interval for saving the model, in epochs"),
            ("num_classes", "", "Total number of image classes in training"),
            ("num_epoch", "10", "Number of training epochs"),
        ),
        "create_time": 1522218780025,
        "engine_id": 22,
        "engine_name": "MXNet",
        "engine_version": "MXNet-1.2.1-python3.6",
    },
    {
        "model_id": 5,
        "model_name": "Faster_RCNN_ResNet_v2_101",
        "model_usage": 2,
        "model_precision": "80.05%(mAP)",
        "model_size": 190936449,
        "model_train_dataset": "PASCAL VOC2007, 20 classes for object detection",
        "model_dataset_format": "shape: [H, W, C==3]; type: int8",
        "model_description_url": "https://github.com/apache/incubator-mxnet/tree/master/example/rcnn",
        "parameter": _algorithm_parameters(
            ("lr", "0.0001", "Learning rate"),
            ("eval_frequence", "1", "Frequency for validating the model, in epochs"),
            ("mom", "0.9", "Momentum of the training network"),
            ("wd", "0.0005", "Weight decay coefficient"),
            ("num_classes", "", "Number of classes plus 1 for the background class"),
        ),
        "create_time": 1525313224596,
        "engine_id": 22,
        "engine_name": "MXNet",
        "engine_version": "MXNet-1.2.1-python3.6",
    },
    {
        "model_id": 41,
        "model_name": "Logistic_Regression",
        "model_usage": 4,
        "model_precision": "97.3%(accuracy)",
        "model_size": 2048,
        "model_train_dataset": "Iris, 3 classes",
        "model_dataset_format": "csv; last column is the label",
        "model_description_url": "https://scikit-learn.org/stable/modules/linear_model.html",
        "parameter": _algorithm_parameters(
            ("max_iter", "200", "Maximum number of solver iterations"),
            ("C", "1.0", "Inverse of regularization strength"),
        ),
        "create_time": 1600000000000,
        "engine_id": 31,
        "engine_name": "XGBoost-Sklearn",
        "engine_version": "Scikit_Learn-0.18.1-python3.6",
    },
    {
        "model_id": 42,
        "model_name": "Random_Forest",
        "model_usage": 4,
        "model_precision": "95.1%(accuracy)",
        "model_size": 65536,
        "model_train_dataset": "Iris, 3 classes",
        "model_dataset_format": "csv; last column is the label",
        "model_description_url": "https://scikit-learn.org/stable/modules/ensemble.html",
        "parameter": _algorithm_parameters(
            ("n_estimators", "100", "Number of trees"),
            ("max_depth", "", "Maximum depth of a tree"),
        ),
        "create_time": 1600000001000,
        "engine_id": 31,
        "engine_name": "XGBoost-Sklearn",
        "engine_version": "Scikit_Learn-0.18.1-python3.6",
    },
]


def _service_spec(name: str, *, source_type: str | None = None, is_open: bool = True) -> dict:
    spec: dict[str, Any] = {
        "specification": name,
        "billing_spec": name,
        "is_open": is_open,
        "spec_status": "normal",
        "is_free": False,
        "over_quota": False,
        "extend_params": 1,
    }
    if source_type is not None:
        spec["source_type"] = source_type
    return spec


#: 004 §7.10 `specifications[]` by `infer_type`; §7.1 lists the batch/edge specs.
SERVICE_SPECIFICATIONS: dict[str, list[dict[str, Any]]] = {
    "real-time": [
        _service_spec("modelarts.vm.cpu.2u"),
        _service_spec("modelarts.vm.gpu.p4"),
        _service_spec("modelarts.vm.high.p3", source_type="auto"),
        _service_spec("modelarts.vm.high.p2", source_type="auto"),
        _service_spec("modelarts.vm.ai1.a310", is_open=False),
    ],
    "batch": [_service_spec("modelarts.vm.cpu.2u"), _service_spec("modelarts.vm.gpu.p4")],
    "edge": [_service_spec("modelarts.vm.cpu.2u"), _service_spec("modelarts.vm.gpu.p4")],
}

#: 004 §7.11 `clusters[]`: this machine, offered as the one dedicated pool. `nodes` is an
#: object, as in the document's sample (its table says array).
CLUSTERS: list[dict[str, Any]] = [
    {
        "cluster_id": "ff808081673fbb3d01673fbb824d0000",
        "cluster_name": "local-cluster",
        "description": "This machine",
        "tenant": "local",
        "project": "local",
        "owner": "local",
        "created_at": 1574923077927,
        "status": "running",
        "nodes": {"specification": "modelarts.vm.cpu.8ud", "count": 1, "available_count": 1},
        "allocatable_cpu_cores": 5.5,
        "allocatable_memory": 4096,
        "allocatable_gpus": 0.0,
    }
]


# --- lookups for the modules that accept these values ------------------------------------------


def find_resource_spec(job_type: str, spec_id: int) -> dict[str, Any] | None:
    return next((spec for spec in RESOURCE_SPECS[job_type] if spec["spec_id"] == spec_id), None)


def find_engine(job_type: str, engine_id: int) -> dict[str, Any] | None:
    return next((engine for engine in ENGINES[job_type] if engine["engine_id"] == engine_id), None)


# --- routes: SP-1, SP-2 and TJ-12 (SV-10 and SV-11 are served by services.py) ------------------

CODES = Codes(missing="ModelArts.0107", wrong_type="ModelArts.0107", invalid="ModelArts.0107")
_JOB_TYPES = ("train", "inference")
#: TJ-12 sortBy value -> model field
_ALGORITHM_SORT = {
    "engine": "engine_name",
    "model_name": "model_name",
    "model_precision": "model_precision",
    "model_usage": "model_usage",
    "model_size": "model_size",
    "create_time": "create_time",
    "parameter": "parameter",
}


class _CatalogHandler(EmulatorHandler):
    family = Family.TRAINING
    validation_code = CODES.invalid

    def job_type(self) -> str:
        chosen = query_choice(
            self.get_query_argument("job_type", None),
            "job_type",
            CODES,
            _JOB_TYPES,
            default="train",
        )
        return chosen or "train"


class ResourceSpecsHandler(_CatalogHandler):
    """SP-1 ``GET /v1/{project_id}/job/resource-specs`` (004 §5.4.1)."""

    def get(self, project_id: str) -> None:
        job_type = self.job_type()
        engine_id = query_int(
            self.get_query_argument("engine_id", None), "engine_id", CODES, default=0, minimum=0
        )
        query_int(
            self.get_query_argument("project_type", None),
            "project_type",
            CODES,
            default=0,
            minimum=0,
            maximum=3,
        )
        if engine_id and find_engine(job_type, engine_id) is None:
            raise self.invalid(f"Invalid parameter engine_id: no {job_type} engine {engine_id}")
        specs = RESOURCE_SPECS[job_type]
        self.send_json({"is_success": True, "spec_total_count": len(specs), "specs": specs})


class EnginesHandler(_CatalogHandler):
    """SP-2 ``GET /v1/{project_id}/job/ai-engines`` (004 §5.4.2)."""

    def get(self, project_id: str) -> None:
        self.send_json({"is_success": True, "engines": ENGINES[self.job_type()]})


class BuiltInAlgorithmsHandler(_CatalogHandler):
    """TJ-12 ``GET /v1/{project_id}/built-in-algorithms`` (004 §5.1.12)."""

    def get(self, project_id: str) -> None:
        arg = self.get_query_argument
        per_page = query_int(
            arg("per_page", None), "per_page", CODES, default=10, minimum=1, maximum=100
        )
        page = query_int(arg("page", None), "page", CODES, default=1, minimum=1)
        sort_by = (
            query_choice(
                arg("sortBy", None), "sortBy", CODES, tuple(_ALGORITHM_SORT), default="engine"
            )
            or "engine"
        )
        order = query_choice(arg("order", None), "order", CODES, ("asc", "desc"), default="desc")
        search = arg("search_content", None) or ""
        if len(search) > 64:
            raise self.invalid("Invalid parameter search_content: at most 64 characters")
        found = [
            model
            for model in BUILT_IN_ALGORITHMS
            if search.lower() in model["model_name"].lower()
            or search.lower() in model["parameter"].lower()
        ]
        found.sort(key=lambda model: model[_ALGORITHM_SORT[sort_by]], reverse=order == "desc")
        start = (page - 1) * per_page
        self.send_json(
            {
                "is_success": True,
                "model_total_count": len(found),
                "models": found[start : start + per_page],
            }
        )


_V1 = r"/v1/(?P<project_id>[^/]+)"
ROUTES = [
    (_V1 + r"/job/resource-specs", ResourceSpecsHandler),
    (_V1 + r"/job/ai-engines", EnginesHandler),
    (_V1 + r"/built-in-algorithms", BuiltInAlgorithmsHandler),
]
