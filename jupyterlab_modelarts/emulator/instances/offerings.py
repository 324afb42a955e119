"""What instances can be created from: DevEnviron profiles and flavors (000/004 §4), Notebooks
flavors and images (002, in the official SDK's shapes), PAI DSW ECS specs (official PAI SDK).

All of them run on this machine; GPU and Ascend entries exist so that requests written for the
cloud are accepted unchanged.
"""

from __future__ import annotations

import uuid
from typing import Any

# --- DevEnviron (old API) --------------------------------------------------------------------

_PROFILE_IDS = uuid.UUID("5d0e6f3a-2b7c-4e61-9a0f-7c3b8e1d2a45")

#: documented seconds a free instance waits in the queue (scaled by config.speed)
FREE_QUEUE_SECONDS = 600


def _profile(
    profile_id: str, name: str, description: str, flavor_type: str | None, image: str, tag: str
) -> dict[str, Any]:
    return {
        "id": profile_id,
        "name": name,
        "description": description,
        "de_type": "Notebook",
        # None: the profile runs on any flavor type
        "flavor_type": flavor_type,
        "provision": {
            "type": "Docker",
            "annotations": {"category": "Multi-Engine (Recommend)", "type": "system"},
            "spec": {
                "engine": "CCE",
                "params": {
                    "namespace": "atelier",
                    "image_name": image,
                    "image_tag": tag,
                    "annotations": None,
                },
            },
        },
    }


#: profile_id -> profile (004 §4.1 and 000 values; 000's sample id is accepted as an alias)
#: The request names a profile (`profile_id`: "Multi-Engine 2.0 (python3)"); the `id` an instance
#: shows is an id, as in the 000 sample ("id": "efa847c0-7359-11eb-b34f-0255ac100057"), stable
#: across restarts.
DEVENV_PROFILES: dict[str, dict[str, Any]] = {
    profile["id"]: {**profile, "id": str(uuid.uuid5(_PROFILE_IDS, profile["id"]))}
    for profile in (
        _profile(
            "Python3",
            "Python3",
            "multi engine, cpu, python 3.6 for notebook",
            "CPU",
            "mul-kernel-cpu-cp36",
            "2.0.5-B003",
        ),
        _profile(
            "Python3-gpu",
            "Python3",
            "multi engine, gpu, python 3.6 for notebook",
            "GPU",
            "mul-kernel-gpu-cuda-cp36",
            "2.0.5-B003",
        ),
        _profile(
            "Python2",
            "Python2",
            "multi engine, cpu, python 2.7 for notebook",
            "CPU",
            "mul-kernel-cpu-cp27",
            "2.0.5-B003",
        ),
        _profile(
            "Python2-gpu",
            "Python2",
            "multi engine, gpu, python 2.7 for notebook",
            "GPU",
            "mul-kernel-gpu-cuda-cp27",
            "2.0.5-B003",
        ),
        _profile(
            "TF-2.1.0&Pytorch-1.4.0-python3.6",
            "TF-2.1.0&Pytorch-1.4.0-python3.6",
            "TensorFlow 2.1 and PyTorch 1.4, python 3.6",
            None,
            "tf2.1-pytorch1.4-cp36",
            "1.0.0",
        ),
        _profile(
            "Multi-Engine 1.0 (python3)-cpu",
            "Multi-Engine 1.0 (python3)",
            "multi engine, cpu, python 3.6 for notebook",
            "CPU",
            "mul-kernel-cpu-cp36",
            "3.1.0",
        ),
        _profile(
            "Multi-Engine 1.0 (python3)-gpu",
            "Multi-Engine 1.0 (python3)",
            "multi engine, gpu, python 3.6 for notebook",
            "GPU",
            "mul-kernel-gpu-cuda-cp36",
            "3.1.0",
        ),
        _profile(
            "Multi-Engine 2.0 (python3)",
            "Multi-Engine 2.0 (python3)",
            "multi engine 2.0, python 3.7 for notebook",
            None,
            "mul-kernel-cp37",
            "3.3.2",
        ),
        _profile(
            "Ascend-Powered-Engine 1.0 (python3)",
            "Ascend-Powered-Engine 1.0 (python3)",
            "Ascend 910, python 3.7/3.6 for notebook",
            "Ascend",
            "mul-kernel-d910-arm-cp37",
            "3.1.0",
        ),
    )
}
DEVENV_PROFILE_ALIASES = {"Ascend-Power-Engine 1.0(python3)": "Ascend-Powered-Engine 1.0 (python3)"}


def _devenv_flavor(
    name: str, kind: str, params: dict[str, Any], *, free: bool = False, sold_out: bool = False
) -> dict[str, Any]:
    details: dict[str, Any] = {
        "name": name,
        "status": "soldOut" if sold_out else "onSale",
        "storage_list": ["obs", "evs"],
        "is_permitted": True,
        "type": kind,
        "params": params,
        "promo_type": "Free" if free else "NoDiscount",
        "duration": 3600 if free else 86400,
        "store_time": 336 if free else -1,
    }
    if free and sold_out:
        details.update(queuing_num=1, queue_left_time=FREE_QUEUE_SECONDS)
    return details


#: flavor -> flavor_details (004 §4.1 and 000 values)
DEVENV_FLAVORS: dict[str, dict[str, Any]] = {
    flavor["name"]: flavor
    for flavor in (
        _devenv_flavor("modelarts.vm.cpu.2u", "CPU", {"CPU": 2, "GPU": 0, "memory": "8GiB"}),
        _devenv_flavor("modelarts.vm.cpu.8u", "CPU", {"CPU": 8, "GPU": 0, "memory": "32GiB"}),
        _devenv_flavor(
            "modelarts.vm.gpu.p100",
            "GPU",
            {"CPU": 8, "GPU": 1, "gpu_type": "p100", "memory": "64GiB"},
        ),
        _devenv_flavor(
            "modelarts.vm.gpu.v100",
            "GPU",
            {"CPU": 8, "GPU": 1, "gpu_type": "v100", "memory": "64GiB"},
        ),
        _devenv_flavor(
            "modelarts.bm.gpu.v100NV32",
            "GPU",
            {"CPU": 8, "GPU": 1, "gpu_type": "v100NV32", "memory": "64GiB"},
        ),
        _devenv_flavor(
            "modelarts.kat1.xlarge",
            "Ascend",
            {
                "CPU": 24,
                "NPU": 1,
                "graphics_memory": "32GiB",
                "memory": "96GiB",
                "type": "Ascend 910",
            },
        ),
        _devenv_flavor(
            "modelarts.vm.cpu.free", "CPU", {"CPU": 1, "GPU": 0, "memory": "4GiB"}, free=True
        ),
        # sold out, so that creating or starting one queues (CREATE_QUEUING / START_QUEUING)
        _devenv_flavor(
            "modelarts.vm.gpu.free",
            "GPU",
            {"CPU": 2, "GPU": 1, "gpu_type": "p4", "memory": "8GiB"},
            free=True,
            sold_out=True,
        ),
    )
}

# --- Notebooks (new API) ---------------------------------------------------------------------


def _notebook_flavor(
    name: str,
    category: str,
    vcpus: int,
    memory_gib: int,
    description: str,
    gpu: dict[str, Any] | None = None,
    *,
    free: bool = False,
) -> dict[str, Any]:
    flavor: dict[str, Any] = {
        "id": name,
        "name": name,
        "arch": "x86_64",
        "category": category,
        "description": description,
        "feature": "DEFAULT" if free else "NOTEBOOK",
        "free": free,
        "sold_out": False,
        "storages": ["EFS", "EVS"],
        "vcpus": vcpus,
        "memory": memory_gib * 1024,
        "billing": {"code": name, "unit_num": 1},
        "evs_max_size": "4096",
    }
    if gpu is not None:
        flavor["gpu"] = gpu
    return flavor


NOTEBOOK_FLAVORS: dict[str, dict[str, Any]] = {
    flavor["id"]: flavor
    for flavor in (
        _notebook_flavor(
            "modelarts.vm.cpu.2u",
            "CPU",
            2,
            8,
            "General-purpose Intel CPU, for rapid data exploration and tests",
        ),
        _notebook_flavor(
            "modelarts.vm.cpu.8u",
            "CPU",
            8,
            32,
            "General computing-plus Intel CPU, for compute-intensive work",
        ),
        _notebook_flavor(
            "modelarts.bm.gpu.v100NV32",
            "GPU",
            8,
            64,
            "One NVIDIA V100 GPU with 32 GB of memory",
            {"gpu": 1, "gpu_memory": "32GB", "type": "v100NV32"},
        ),
        _notebook_flavor("modelarts.vm.cpu.free", "CPU", 1, 4, "Free CodeLab CPU", free=True),
    )
}

_IMAGES: tuple[dict[str, Any], ...] = (
    {
        "id": "e1a07296-22a8-4f05-8bc8-e936c8e54090",
        "name": "notebook2.0-mul-kernel-cpu-cp36",
        "tag": "3.3.2-release_v1",
        "description": "Multi-kernel CPU image, python 3.6",
        "resource_categories": ["CPU"],
    },
    {
        "id": "278e88d1-5b71-4766-8502-b3ba72e824d9",
        "name": "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04",
        "tag": "2.0.0",
        "description": "PyTorch 1.8, CUDA 10.2, python 3.7",
        "resource_categories": ["CPU", "GPU"],
    },
    {
        "id": "59a9b0c5-8b4a-4b8c-a4b8-0b2f2c5a1f3e",
        "name": "mindspore1.7.0-cuda10.1-py3.7-ubuntu18.04",
        "tag": "2.0.0",
        "description": "MindSpore 1.7, python 3.7",
        "resource_categories": ["CPU", "GPU"],
    },
)
NOTEBOOK_IMAGES: dict[str, dict[str, Any]] = {image["id"]: image for image in _IMAGES}


def notebook_image(image: dict[str, Any]) -> dict[str, Any]:
    """An image in the SDK's ``Image`` shape."""
    return {
        **image,
        "arch": "x86_64",
        "create_at": 1638841744521,
        "update_at": 1638841744521,
        "dev_services": ["NOTEBOOK", "SSH"],
        "namespace": "atelier",
        "origin": "CUSTOMIZE",
        "service_type": "COMMON",
        "size": 0,
        "status": "ACTIVE",
        "swr_path": f"swr.local/atelier/{image['name']}:{image['tag']}",
        "type": "BUILD_IN",
        "visibility": "PUBLIC",
        "workspace_id": "0",
    }


# --- PAI DSW ---------------------------------------------------------------------------------


def _ecs_spec(
    instance_type: str, cpu: int, memory: float, price: float, gpu: int = 0, gpu_type: str = ""
) -> dict[str, Any]:
    return {
        "InstanceType": instance_type,
        "AcceleratorType": "GPU" if gpu else "CPU",
        "CPU": cpu,
        "Memory": memory,
        "GPU": gpu,
        "GPUType": gpu_type,
        "GPUMemorySize": 16.0 if gpu else 0.0,
        "IsAvailable": True,
        "Price": price,
        "Currency": "CNY",
        "SystemDiskCapacity": 100,
        "InstanceBandwidthRx": 1024000,
        "SpotStockStatus": "WithStock",
        "Labels": [{"Key": "local", "Value": "true"}],
    }


_ECS_SPECS: tuple[dict[str, Any], ...] = (
    _ecs_spec("ecs.c6.large", 2, 4.0, 0.39),
    _ecs_spec("ecs.g6.xlarge", 4, 16.0, 1.07),
    _ecs_spec("ecs.gn6i-c4g1.xlarge", 4, 15.0, 8.68, gpu=1, gpu_type="T4"),
    _ecs_spec("ecs.gn6v-c8g1.2xlarge", 8, 32.0, 26.46, gpu=1, gpu_type="V100"),
)
PAI_ECS_SPECS: dict[str, dict[str, Any]] = {spec["InstanceType"]: spec for spec in _ECS_SPECS}
