"""The UI's instance shape: the same fields whichever API, stable between polls."""

from __future__ import annotations

from jupyterlab_modelarts.cloud.schemas.devenv import DevEnvInstance
from jupyterlab_modelarts.cloud.schemas.notebooks import Notebook
from jupyterlab_modelarts.cloud.schemas.pai import PaiInstance
from jupyterlab_modelarts.operations.instances_shapes import (
    from_devenv,
    from_notebook,
    from_pai,
    is_transitional,
)


def devenv(status: str, **fields) -> dict:
    return from_devenv(
        DevEnvInstance.model_validate(
            {
                "id": "DE-1",
                "name": "nb",
                "status": status,
                "creation_timestamp": "1700000000000",
                "flavor": "modelarts.vm.cpu.free",
                "flavor_details": {"promo_type": "Free"},
                "spec": {
                    "annotations": {"url": "http://127.0.0.1:1/lab?token=t"},
                    "auto_stop": {
                        "enable": True,
                        "duration": 3600,
                        "stop_timestamp": 1700003600000,
                        "remain_time": 1234,
                    },
                },
                **fields,
            }
        )
    )


def test_a_running_devenv_instance_can_be_opened_stopped_and_counts_down():
    item = devenv("RUNNING")
    assert item["key"] == "devenv/DE-1" and item["phase"] == "running"
    assert item["created_at"] == 1_700_000_000_000
    assert item["url"] == "http://127.0.0.1:1/lab?token=t"
    # the end time, not the seconds left: the item does not change on every poll
    assert item["auto_stop"] == {
        "enabled": True,
        "duration_ms": 3_600_000,
        "stop_at": 1_700_003_600_000,
    }
    assert item["actions"]["stop"] is None and item["actions"]["restart"] is None
    # the browser words the code and status; the English is the fallback
    assert item["actions"]["start"] == {
        "code": "NOT_IN_STATUS",
        "message": "not possible while the instance is RUNNING",
        "params": {"status": "RUNNING"},
    }
    assert item["actions"]["delete"] == {
        "code": "STOP_FIRST",
        "message": "a running instance must be stopped first",
    }


def test_a_changing_instance_is_transitional_and_allows_only_leaving_the_queue():
    item = devenv("CREATE_QUEUING", queuing_info={"rank": 2, "end_timestamp": 5})
    assert is_transitional(item)
    assert item["queue"] == {"rank": 2, "ends_at": 5}
    assert item["url"] is None and item["auto_stop"]["stop_at"] is None
    assert item["actions"]["dequeue"] is None
    assert {
        action: (refusal["code"], refusal.get("params"))
        for action, refusal in item["actions"].items()
        if action != "dequeue"
    } == {
        action: ("INSTANCE_SETTLING", {"status": "CREATE_QUEUING"})
        for action in ("start", "stop", "restart", "queue", "update", "delete")
    }


def test_failures_carry_their_reason():
    item = devenv(
        "CREATE_FAILED", spec={"failed_reasons": {"code": "ModelArts.6333", "message": "no"}}
    )
    assert item["phase"] == "failed" and item["failure"] == "ModelArts.6333 no"


def test_a_new_api_notebook_gets_its_token_in_the_url_and_its_lease_end():
    item = from_notebook(
        Notebook.model_validate(
            {
                "id": "nb-1",
                "name": "nb",
                "status": "RUNNING",
                "url": "http://127.0.0.1:2/lab",
                "token": "secret-token",
                "create_at": 1000,
                "lease": {"create_at": 1000, "duration": 3_600_000, "enable": True},
            }
        )
    )
    assert item["url"] == "http://127.0.0.1:2/lab?token=secret-token"
    assert item["auto_stop"]["stop_at"] == 3_601_000
    assert set(item["actions"]) == {"start", "stop", "update", "delete"}


def test_a_pai_instance_has_iso_dates_and_no_auto_stop():
    item = from_pai(
        PaiInstance.model_validate(
            {
                "InstanceId": "dsw-1",
                "InstanceName": "dsw",
                "Status": "Stopped",
                "GmtCreateTime": "2024-01-01T00:00:00Z",
                "EcsSpec": "ecs.c6.large",
            }
        )
    )
    assert item["phase"] == "stopped" and item["created_at"] == 1_704_067_200_000
    assert item["auto_stop"] is None and item["actions"]["start"] is None
