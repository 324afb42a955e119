"""PAI DSW instances of Local ModelArts, driven by the official alibabacloud-pai-dsw20220101
client with ACS3-HMAC-SHA256 signatures verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from alibabacloud_pai_dsw20220101 import models as pai
from alibabacloud_pai_dsw20220101.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.utils_models import Config
from instances_support import fast_config, wait_for

from jupyterlab_modelarts.emulator.config import EmulatorConfig


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    return fast_config(tmp_path)


def pai_client(local: Any, secret: str | None = None) -> Client:
    host = local.base_url.removeprefix("http://")
    return Client(
        Config(
            access_key_id=local.config.pai_access_key,
            access_key_secret=secret or local.config.pai_secret,
            endpoint=host,
            protocol="HTTP",
            region_id="cn-hangzhou",
        )
    )


@pytest.fixture
def client(modelarts_local: Any) -> Client:
    return pai_client(modelarts_local)


def create(client: Client, **fields: Any) -> str:
    request = pai.CreateInstanceRequest(
        **{"instance_name": "training_data", "ecs_spec": "ecs.c6.large", **fields}
    )
    body = client.create_instance(request).body
    assert body.success is True and body.http_status_code == 200
    assert body.code == "null"  # as 003's success sample prints it
    return body.instance_id


def status_of(client: Client, instance_id: str) -> str:
    return client.get_instance(instance_id, pai.GetInstanceRequest()).body.status


def refusal(call: Any) -> ClientException:
    with pytest.raises(ClientException) as error:
        call()
    return error.value


def total(client: Client) -> int:
    return client.list_instances(pai.ListInstancesRequest()).body.total_count


def test_create_and_lifecycle(client: Client) -> None:
    instance_id = create(
        client,
        image_url="registry.cn-shanghai.aliyuncs.com/pai_product/tensorflow:py36_cpu_tf1.12_ubuntu",
        priority=1,
        requested_resource=pai.CreateInstanceRequestRequestedResource(cpu="4", memory="8Gi"),
        environment_variables={"userName": "Chris"},
    )
    assert instance_id.startswith("dsw-")

    running = wait_for(
        lambda: client.get_instance(instance_id, pai.GetInstanceRequest()).body,
        lambda body: body.status == "Running",
    )
    assert running.status == "Running"
    assert running.instance_name == "training_data" and running.ecs_spec == "ecs.c6.large"
    assert running.environment_variables == {"userName": "Chris"}
    assert httpx.get(running.jupyterlab_url).status_code == 200

    listed = client.list_instances(pai.ListInstancesRequest(status="Running")).body
    assert [item.instance_id for item in listed.instances] == [instance_id]

    assert client.stop_instance(instance_id, pai.StopInstanceRequest()).body.success
    assert wait_for(lambda: status_of(client, instance_id), lambda s: s == "Stopped") == "Stopped"
    again = refusal(lambda: client.stop_instance(instance_id, pai.StopInstanceRequest()))
    assert again.code == "InternalError"

    client.update_instance(instance_id, pai.UpdateInstanceRequest(instance_name="renamed"))
    assert (
        client.get_instance(instance_id, pai.GetInstanceRequest()).body.instance_name == "renamed"
    )

    assert client.start_instance(instance_id).body.success
    assert wait_for(lambda: status_of(client, instance_id), lambda s: s == "Running") == "Running"

    assert client.delete_instance(instance_id).body.instance_id == instance_id
    gone = wait_for(lambda: total(client), lambda count: count == 0)
    assert gone == 0
    missing = refusal(lambda: client.get_instance(instance_id, pai.GetInstanceRequest()))
    assert (missing.code, missing.data["HttpStatusCode"]) == ("InternalError", 404)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"instance_name": "has-hyphen"}, "InstanceName"),
        ({"instance_name": "x" * 28}, "InstanceName"),
        ({"priority": 10}, "Priority"),
        ({"accessibility": "SHARED"}, "Accessibility"),
        ({"ecs_spec": "ecs.unknown"}, "EcsSpec"),
        (
            {"requested_resource": pai.CreateInstanceRequestRequestedResource(gputype="H100")},
            "GPUType",
        ),
        (
            {"datasets": [pai.CreateInstanceRequestDatasets(dataset_id="d-1", uri="oss://b/p/")]},
            "Datasets[0]",
        ),
        (
            {"datasets": [pai.CreateInstanceRequestDatasets(dataset_version="v1", uri="oss://b/")]},
            "Datasets[0]",
        ),
        ({"datasets": [pai.CreateInstanceRequestDatasets(uri="http://b/p/")]}, "Datasets[0].Uri"),
        (
            {
                "datasets": [
                    pai.CreateInstanceRequestDatasets(
                        uri="oss://b/p/", dynamic=True, mount_path="/mnt/data"
                    )
                ]
            },
            "Datasets[0].MountPath",
        ),
        (
            {"user_vpc": pai.CreateInstanceRequestUserVpc(vpc_id="vpc-1", v_switch_id="vsw-1")},
            "ExtendedCIDRs",
        ),
        (
            {"spot_spec": pai.CreateInstanceRequestSpotSpec(spot_strategy="SpotWithPriceLimit")},
            "SpotPriceLimit",
        ),
        (
            {
                "spot_spec": pai.CreateInstanceRequestSpotSpec(
                    spot_strategy="SpotAsPriceGo", spot_price_limit="0.1234"
                )
            },
            "SpotPriceLimit",
        ),
    ],
)
def test_invalid_input_is_a_validation_error_and_creates_nothing(
    client: Client, fields: dict[str, Any], field: str
) -> None:
    error = refusal(lambda: create(client, **fields))

    assert error.code == "ValidationError"
    assert error.data["HttpStatusCode"] == 400 and error.data["Success"] is False
    assert field in error.message
    assert total(client) == 0


def test_ecs_specs_by_accelerator(client: Client) -> None:
    gpu = client.list_ecs_specs(pai.ListEcsSpecsRequest(accelerator_type="GPU")).body
    assert gpu.total_count == 2
    assert {spec.accelerator_type for spec in gpu.ecs_specs} == {"GPU"}
    error = refusal(lambda: client.list_ecs_specs(pai.ListEcsSpecsRequest()))
    assert error.code == "ValidationError"


def test_a_tampered_signature_changes_nothing(modelarts_local: Any, client: Client) -> None:
    forged = pai_client(modelarts_local, secret="not-the-pai-secret-000000000000")

    error = refusal(lambda: create(forged))

    assert error.data["HttpStatusCode"] in (400, 401, 403)
    assert total(client) == 0
