"""R5: a soak of mixed operations (create, list, update, start, stop, delete, train, deploy)
through the client library while at least a fifth of them meet an injected fault: 5xx, 429
with rate-limit headers, a timeout after the server acted, a dropped connection, or expired
tokens.

Nothing may be created twice, every operation must end (succeeded, or failed with a reason), and
neither side may raise anything but the library's own errors. ``MODELARTS_SOAK_OPERATIONS`` sets
the count (2,000 by default).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import joblib
import pytest
from sklearn.linear_model import LinearRegression

from jupyterlab_modelarts.cloud import IamPassword, ModelArts
from jupyterlab_modelarts.cloud.errors import CloudError
from jupyterlab_modelarts.cloud.policy import RetryPolicy, Timeouts

OPERATIONS = int(os.environ.get("MODELARTS_SOAK_OPERATIONS", "2000"))
FAULT_SHARE = 0.25
CONCURRENCY = 8
#: An access log line: "502 POST /v1/.../workspaces (127.0.0.1) 0.46ms".
ACCESS_RECORD = re.compile(r"\d{3} [A-Z]+ \S+ \([^)]*\) [\d.]+ms")
OPERATION_DEADLINE = 60.0
IMAGE_ID = "e1a07296-22a8-4f05-8bc8-e936c8e54090"
#: The client gives up on a create after CLIENT_TIMEOUT; the server acts after LATE_ANSWER, so
#: the outcome is unknown to the client, and it looks the resource up RECONCILE_DELAY later.
CLIENT_TIMEOUT, LATE_ANSWER, RECONCILE_DELAY = 0.6, 0.9, 1.5


@dataclass
class Soak:
    ma: ModelArts
    local: object
    rng: random.Random
    setup: dict
    workspaces: list[str] = field(default_factory=list)
    notebooks: list[str] = field(default_factory=list)
    names: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    faults: Counter = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    serial: int = 0

    def unique(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"


def fault_for(rng: random.Random, route: str, method: str) -> dict:
    kind = rng.choice(["status", "status", "rate_limit", "late", "drop", "token_expiry"])
    spec: dict = {"route": route, "methods": [method], "times": 1}
    if kind == "status":
        return {**spec, "kind": "status", "status": rng.choice([500, 502, 503])}
    if kind == "rate_limit":
        return {**spec, "kind": "rate_limit", "retry_after_seconds": 0}
    if kind == "late":
        return {**spec, "kind": "latency", "delay_seconds": LATE_ANSWER}
    return {**spec, "kind": kind}


# --- the operations ----------------------------------------------------------------------------


async def list_workspaces(soak: Soak) -> None:
    await soak.ma.workspaces.list(limit=50)


async def create_workspace(soak: Soak) -> None:
    name = soak.unique("soak_ws_")
    soak.names[("workspace", name)] += 1
    created = await soak.ma.workspaces.create(name=name, description="soak")
    soak.workspaces.append(created.id)


async def update_workspace(soak: Soak) -> None:
    if soak.workspaces:
        await soak.ma.workspaces.update(soak.rng.choice(soak.workspaces), description="changed")


async def delete_workspace(soak: Soak) -> None:
    if soak.workspaces:
        await soak.ma.workspaces.delete(
            soak.workspaces.pop(soak.rng.randrange(len(soak.workspaces)))
        )


async def list_notebooks(soak: Soak) -> None:
    await soak.ma.notebooks.list(limit=10)


async def create_notebook(soak: Soak) -> None:
    name = soak.unique("soak-nb-")
    soak.names[("notebook", name)] += 1
    created = await soak.ma.notebooks.create(
        name=name,
        flavor="modelarts.vm.cpu.2u",
        image_id=IMAGE_ID,
        volume={"category": "efs", "ownership": "managed", "capacity": 50},
    )
    soak.notebooks.append(created.id)


async def stop_or_start_notebook(soak: Soak) -> None:
    if not soak.notebooks:
        return
    notebook = await soak.ma.notebooks.get(soak.rng.choice(soak.notebooks))
    if notebook.status == "RUNNING":
        await soak.ma.notebooks.stop(notebook.id)
    elif notebook.status == "STOPPED":
        await soak.ma.notebooks.start(notebook.id)


async def train(soak: Soak) -> None:
    name = soak.unique("soak-job-")
    soak.names[("job", name)] += 1
    await soak.ma.training.create(
        {
            "job_name": name,
            "config": {
                "worker_server_num": 1,
                "app_url": "/soak/code/",
                "boot_file_url": "/soak/code/boot.py",
                "data_url": "/soak/data/",
                "spec_id": soak.setup["spec_id"],
                "engine_id": soak.setup["engine_id"],
                "train_url": f"/soak/out/{name}/",
            },
        }
    )


async def deploy(soak: Soak) -> None:
    name = soak.unique("soak-svc-")
    soak.names[("service", name)] += 1
    await soak.ma.services.create(
        {
            "service_name": name,
            "infer_type": "real-time",
            "config": [
                {
                    "model_id": soak.setup["model_id"],
                    "weight": 100,
                    "specification": "modelarts.vm.cpu.2u",
                    "instance_count": 1,
                }
            ],
        }
    )


#: (operation, weight, route regex and method its fault is aimed at)
MIX: list[tuple[Callable[[Soak], Awaitable[None]], int, str, str]] = [
    (list_workspaces, 25, r"/workspaces$", "GET"),
    (create_workspace, 20, r"/workspaces$", "POST"),
    (update_workspace, 8, r"/workspaces/[^/]+$", "PUT"),
    (delete_workspace, 4, r"/workspaces/[^/]+$", "DELETE"),
    (list_notebooks, 15, r"/notebooks$", "GET"),
    (create_notebook, 12, r"/notebooks$", "POST"),
    (stop_or_start_notebook, 12, r"/notebooks/[^/]+/(stop|start)$", "POST"),
    (train, 3, r"/training-jobs/?$", "POST"),
    (deploy, 1, r"/services/?$", "POST"),
]


async def run_one(soak: Soak, operation, route: str, method: str) -> None:
    if soak.rng.random() < FAULT_SHARE:
        spec = fault_for(soak.rng, route, method)
        soak.faults[spec["kind"]] += 1
        soak.local.add_fault(spec)
    try:
        await asyncio.wait_for(operation(soak), OPERATION_DEADLINE)
        soak.outcomes["succeeded"] += 1
    except CloudError as error:
        assert error.message, f"{operation.__name__} failed without a reason"
        soak.outcomes["failed with a reason"] += 1
    except asyncio.TimeoutError:
        soak.unexpected.append(f"{operation.__name__} hung")
    except Exception as error:  # anything else is a bug the soak is here to find
        soak.unexpected.append(f"{operation.__name__}: {type(error).__name__}: {error}")


@pytest.fixture
def modelarts_local_config(tmp_path):
    from jupyterlab_modelarts.emulator.config import EmulatorConfig
    from jupyterlab_modelarts.emulator.pytest_plugin import fast_test_modules

    return EmulatorConfig(data_dir=tmp_path / "soak", speed=200.0, modules=fast_test_modules())


async def test_soak_of_mixed_operations_under_faults(modelarts_local, tmp_path, caplog, report):
    caplog.set_level(logging.ERROR)
    config = modelarts_local.config
    obs = modelarts_local.obs
    obs.create_bucket("soak")
    obs.write("obs://soak/code/boot.py", b"print('trained')\n")
    obs.write("obs://soak/data/x.csv", b"1,2\n")
    joblib.dump(LinearRegression().fit([[0.0], [1.0]], [1.0, 3.0]), tmp_path / "linear.m")
    obs.write("obs://soak/model/model/linear.m", tmp_path / "linear.m")
    obs.write(
        "obs://soak/model/model/config.json",
        json.dumps({"model_type": "Scikit_Learn", "model_algorithm": "predict_analysis"}).encode(),
    )
    credentials = IamPassword(
        username=config.iam_user, password=config.iam_password, domain=config.iam_domain
    )
    async with ModelArts(
        credentials,
        region=config.region,
        endpoint=modelarts_local.base_url,
        iam_endpoint=modelarts_local.base_url,
        timeouts=Timeouts(
            connect=5, read=CLIENT_TIMEOUT, write=CLIENT_TIMEOUT, create=CLIENT_TIMEOUT
        ),
        retry=RetryPolicy(
            max_attempts=6, base_delay=0.01, max_delay=0.05, reconcile_delay=RECONCILE_DELAY
        ),
    ) as ma:
        engine = (await ma.specs.engines(job_type="train")).engines[0]
        spec = (await ma.specs.resources(job_type="train")).specs[0]
        model = await ma.models.create(
            model_name="soak",
            model_version="1.0.0",
            source_location="/soak/model/",
            model_type="Scikit_Learn",
        )
        await ma.models.wait(model.model_id, timeout=30, interval=0.05)
        soak = Soak(
            ma,
            modelarts_local,
            random.Random(20261125),
            {"engine_id": engine.engine_id, "spec_id": spec.spec_id, "model_id": model.model_id},
        )
        operations, weights = [m[0] for m in MIX], [m[1] for m in MIX]
        routes = {m[0]: (m[2], m[3]) for m in MIX}
        queue = soak.rng.choices(operations, weights, k=OPERATIONS)

        async def worker() -> None:
            while queue:
                operation = queue.pop()
                await run_one(soak, operation, *routes[operation])

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        modelarts_local.clear_faults()

        found = Counter()
        async for workspace in ma.workspaces.iterate():
            found[("workspace", workspace.name)] += 1
        async for notebook in ma.notebooks.iterate():
            found[("notebook", notebook.name)] += 1
        async for job in ma.training.iterate():
            found[("job", job.job_name)] += 1
        async for service in ma.services.iterate():
            found[("service", service.service_name)] += 1

    duplicates = sorted(name for name, count in found.items() if count > 1)
    # The access log records the injected 5xx answers; anything else at ERROR is a failure.
    # Access records are told by their shape: after a Jupyter server ran in this process (the
    # magics' in-process path), they can arrive through its logger instead of tornado.access.
    server_errors = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR
        and r.name != "tornado.access"
        and not ACCESS_RECORD.fullmatch(r.getMessage())
    ]
    ended = sum(soak.outcomes.values())
    report(
        f"R5 soak: {OPERATIONS} operations, {sum(soak.faults.values())} faults "
        f"{dict(soak.faults)}, outcomes {dict(soak.outcomes)}, {len(duplicates)} duplicates, "
        f"{OPERATIONS - ended} lost, {len(soak.unexpected)} unexpected exceptions, "
        f"{len(server_errors)} server errors"
    )
    assert sum(soak.faults.values()) >= 0.2 * OPERATIONS  # at least a fifth met a fault
    assert not duplicates, duplicates
    assert not soak.unexpected, soak.unexpected[:10]
    assert ended == OPERATIONS
    assert not server_errors, server_errors[:5]
