"""What each worker of a distributed training job gets from the cloud, rebuilt on one machine.

On ModelArts every worker of a job runs in its own container with variables naming its place in
the job; scripts find each other through them. Locally the workers are processes on loopback:

* old training (v1, `worker_server_num`): `DLS_TASK_INDEX` (0-based), `DLS_TASK_NUMBER`,
  `DLS_APP_URL`, `DLS_DATA_URL`, `DLS_TRAIN_URL`, `DLS_JOB_ID` and `BATCH_CUSTOM{i}_HOSTS`
  (`host:port`) for every worker i, each a free loopback port. The v2 names `MA_NUM_HOSTS`,
  `VC_TASK_INDEX` and `MA_JOB_DIR` that newer v1 images also set are there too.
* training v2 (`spec.resource.node_count`): `MA_NUM_HOSTS`, `VC_WORKER_NUM`, `VC_TASK_INDEX`,
  `VC_WORKER_HOSTS` (comma-separated), `MA_CURRENT_IP`, `MA_NUM_GPUS`, `MA_TASK_NAME=worker`,
  `MA_JOB_DIR`, `MA_LOG_DIR`, `MA_VJ_NAME`, and the PyTorch launcher variables `MASTER_ADDR`,
  `MASTER_PORT` (worker 0's port), `WORLD_SIZE` and `RANK`, which ModelArts' PyTorch examples
  derive from the ones above (`MASTER_ADDR=${VC_WORKER_HOSTS%%,*}`) and PAI DLC sets itself.

Host names are loopback addresses. The cloud's DNS names, which scripts build as
`${MA_VJ_NAME}-${MA_TASK_NAME}-0.${MA_VJ_NAME}`, end in `.localhost` here (`MA_VJ_NAME` is
`modelarts-job-<id>.localhost`): resolvers that follow RFC 6761 (systemd-resolved,
nss-myhostname) answer them with loopback; where the system resolver does not, and changing it
needs root (/etc/hosts), `cloud_name_problem` says so for the job's events.

Every worker shares the machine's cores: its math libraries get `cores // workers` threads
(at least one) through `OMP_NUM_THREADS` and its siblings, so that N workers on a small machine
do not oversubscribe it and still finish.
"""

from __future__ import annotations

import enum
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass

from . import obs_urls

LOOPBACK = "127.0.0.1"
#: `MA_TASK_NAME` of every worker of a job (the cloud's only task role for training).
TASK_NAME = "worker"
#: Variables through which math libraries (OpenMP, MKL, OpenBLAS, numexpr) size their pools.
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


class Generation(enum.Enum):
    """Which training API runs the job: it decides the workers' variables and log names."""

    V1 = "v1"
    V2 = "v2"


@dataclass(frozen=True)
class JobPlace:
    """What every worker of one job shares."""

    job_id: str
    job_name: str
    #: OBS locations as the API received them (`/bucket/key`, `obs://`, `s3://`).
    app_url: str
    data_url: str | None
    train_url: str
    #: `host:port` of each worker, index = task index.
    hosts: Sequence[tuple[str, int]]


def vj_name(job_id: str) -> str:
    """`MA_VJ_NAME` locally: a name under `.localhost`, so the cloud's DNS names built from it
    can resolve to loopback."""
    return f"modelarts-job-{job_id}.localhost"


def cloud_host_name(job_id: str, index: int) -> str:
    """The DNS name of worker `index` as scripts build it on the cloud."""
    name = vj_name(job_id)
    return f"{name}-{TASK_NAME}-{index}.{name}"


def log_name(generation: Generation, job_id: str, job_name: str, index: int) -> str:
    """The log file of worker `index`, named as the cloud lists it (v1 TJ-10: `<job>.<index>`;
    v2: `modelarts-job-<id>-worker-<index>.log`)."""
    if generation is Generation.V1:
        return f"{job_name}.{index}"
    return f"modelarts-job-{job_id}-{TASK_NAME}-{index}.log"


def free_loopback_ports(count: int) -> list[int]:
    """`count` distinct loopback ports free right now (all held open together while chosen, so
    none is picked twice)."""
    sockets = []
    try:
        for _ in range(count):
            held = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            held.bind((LOOPBACK, 0))
            sockets.append(held)
        return [held.getsockname()[1] for held in sockets]
    finally:
        for held in sockets:
            held.close()


def threads_per_worker(workers: int, cores: int | None = None) -> int:
    return max(1, (cores or os.cpu_count() or 1) // max(1, workers))


def worker_environment(
    generation: Generation,
    place: JobPlace,
    index: int,
    *,
    job_dir: str,
    log_dir: str,
    cores: int | None = None,
) -> dict[str, str]:
    """The variables the cloud gives worker `index` of the job (plus the thread limits)."""
    count = len(place.hosts)
    threads = str(threads_per_worker(count, cores))
    env = dict.fromkeys(THREAD_VARIABLES, threads)
    if generation is Generation.V1:
        env.update(
            {
                "DLS_TASK_INDEX": str(index),
                "DLS_TASK_NUMBER": str(count),
                "DLS_JOB_ID": place.job_id,
                "DLS_TRAIN_URL": obs_urls.to_url(place.train_url),
                "MA_NUM_HOSTS": str(count),
                "VC_TASK_INDEX": str(index),
                "MA_JOB_DIR": job_dir,
            }
        )
        if place.app_url:
            env["DLS_APP_URL"] = obs_urls.to_url(place.app_url)
        if place.data_url:
            env["DLS_DATA_URL"] = obs_urls.to_url(place.data_url)
        for other, (host, port) in enumerate(place.hosts):
            env[f"BATCH_CUSTOM{other}_HOSTS"] = f"{host}:{port}"
        return env
    master_host, master_port = place.hosts[0]
    env.update(
        {
            "MA_NUM_HOSTS": str(count),
            "VC_WORKER_NUM": str(count),
            "VC_TASK_INDEX": str(index),
            "VC_WORKER_HOSTS": ",".join(host for host, _ in place.hosts),
            "MA_CURRENT_IP": place.hosts[index][0],
            "MA_NUM_GPUS": "0",
            "MA_TASK_NAME": TASK_NAME,
            "MA_JOB_DIR": job_dir,
            "MA_LOG_DIR": log_dir,
            "MA_VJ_NAME": vj_name(place.job_id),
            "MASTER_ADDR": master_host,
            "MASTER_PORT": str(master_port),
            "WORLD_SIZE": str(count),
            "RANK": str(index),
        }
    )
    return env


def cloud_name_problem(job_id: str) -> str | None:
    """Why worker 0's cloud DNS name does not resolve on this machine; None when it does."""
    name = cloud_host_name(job_id, 0)
    try:
        socket.getaddrinfo(name, None)
    except OSError as error:
        return (
            f"the script builds the cloud's worker host names from MA_VJ_NAME ({name}); this "
            f"machine's resolver does not answer names under .localhost ({error}), and teaching "
            "it names needs root (/etc/hosts): locally, connect through VC_WORKER_HOSTS or "
            "MASTER_ADDR and MASTER_PORT, which hold loopback addresses"
        )
    return None
