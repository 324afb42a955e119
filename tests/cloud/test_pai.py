"""PAI DSW instances through the client (ACS3-HMAC-SHA256) against Local ModelArts."""

from __future__ import annotations

import pytest

from jupyterlab_modelarts.cloud.credentials import PaiAccessKey
from jupyterlab_modelarts.cloud.errors import AuthError, NotFoundError, ValidationError
from jupyterlab_modelarts.cloud.pai import PaiDsw


@pytest.fixture
async def dsw(modelarts_local):
    config = modelarts_local.config
    credentials = PaiAccessKey(config.pai_access_key, config.pai_secret)
    async with PaiDsw(
        credentials, region="cn-hangzhou", endpoint=modelarts_local.base_url
    ) as client:
        yield client


async def test_instance_lifecycle(dsw):
    created = await dsw.create(
        InstanceName="training_data",
        EcsSpec="ecs.c6.large",
        Priority=1,
        RequestedResource={"CPU": 4, "Memory": "8Gi"},
        EnvironmentVariables={"userName": "Chris"},
    )
    assert created.Success and created.InstanceId.startswith("dsw-")
    running = await dsw.wait(created.InstanceId, frozenset({"Running"}), timeout=30, interval=0.05)
    assert running.InstanceName == "training_data"
    assert [i.InstanceId async for i in dsw.iterate(Status="Running")] == [created.InstanceId]

    await dsw.stop(created.InstanceId)
    await dsw.wait(created.InstanceId, frozenset({"Stopped"}), timeout=30, interval=0.05)
    await dsw.update(created.InstanceId, InstanceName="renamed")
    assert (await dsw.get(created.InstanceId)).InstanceName == "renamed"
    await dsw.start(created.InstanceId)
    await dsw.wait(created.InstanceId, frozenset({"Running"}), timeout=30, interval=0.05)

    await dsw.delete(created.InstanceId)
    with pytest.raises(NotFoundError) as missing:
        await dsw.wait(created.InstanceId, frozenset({"Deleted"}), timeout=30, interval=0.05)
    assert missing.value.status == 404 and missing.value.request_id


async def test_rules_are_checked_before_sending(dsw):
    dynamic = {"Uri": "oss://b/p/", "Dynamic": True}
    # the field, and the code and values the front end words the error from
    cases = [
        ({"InstanceName": "has-hyphen"}, "InstanceName",
         ("PATTERN_MISMATCH", {"pattern": "[A-Za-z0-9_]{1,27}"})),
        ({"InstanceName": "x" * 28}, "InstanceName",
         ("PATTERN_MISMATCH", {"pattern": "[A-Za-z0-9_]{1,27}"})),
        ({"Priority": 10}, "Priority", ("OUT_OF_RANGE", {"le": 9})),
        ({"Accessibility": "SHARED"}, "Accessibility",
         ("NOT_A_CHOICE", {"expected": "'PUBLIC' or 'PRIVATE'"})),
        ({"RequestedResource": {"GPUType": "H100"}}, "RequestedResource.GPUType",
         ("MUST_NAME_ONE_OF", {"choices": ["V100", "A100", "T4", "A10", "P100"]})),
        ({"RequestedResource": {"Memory": "8 gigs"}}, "RequestedResource.Memory",
         ("NOT_A_SIZE", {})),
        ({"Datasets": [{"DatasetId": "d-1", "Uri": "oss://b/p/"}]}, "Datasets[0].DatasetId",
         ("EXACTLY_ONE_OF", {"choices": ["DatasetId", "Uri"]})),
        ({"Datasets": [{"Uri": "oss://b/p/", "DatasetVersion": "v1"}]},
         "Datasets[0].DatasetVersion", ("ONLY_WITH", {"other": "DatasetId"})),
        ({"Datasets": [{"Uri": "http://b/p/"}]}, "Datasets[0].Uri",
         ("STARTS_WITH", {"prefixes": ["oss://", "nas://", "cpfs://", "bmcpfs://"]})),
        ({"Datasets": [dynamic | {"MountAccess": "RW"}]}, "Datasets[0].MountAccess",
         ("DYNAMIC_MOUNT", {"rule": "read_only"})),
        ({"Datasets": [dynamic, {"Uri": "oss://b/q/"}]}, "Datasets[1]",
         ("DYNAMIC_MOUNT", {"rule": "last"})),
        ({"UserVpc": {"VSwitchId": "vsw-1"}}, "UserVpc.ExtendedCIDRs",
         ("REQUIRED_WITH", {"other": "VSwitchId"})),
        ({"SpotSpec": {"SpotStrategy": "SpotWithPriceLimit"}}, "SpotSpec.SpotPriceLimit",
         ("REQUIRED_WITH", {"other": "SpotStrategy", "value": "SpotWithPriceLimit"})),
        ({"SpotSpec": {"SpotPriceLimit": "0.1234"}}, "SpotSpec.SpotPriceLimit",
         ("PRICE_DECIMALS", {"decimals": 3})),
    ]  # fmt: skip
    for fields, field, wording in cases:
        with pytest.raises(ValidationError) as caught:
            await dsw.create(fields)
        assert (caught.value.field, caught.value.wording) == (field, wording), fields
    assert (await dsw.list()).Instances == []


async def test_wrong_secret_is_refused(modelarts_local):
    credentials = PaiAccessKey(modelarts_local.config.pai_access_key, "wrong-secret")
    async with PaiDsw(credentials, region="cn-hangzhou", endpoint=modelarts_local.base_url) as dsw:
        with pytest.raises(AuthError) as caught:
            await dsw.list()
    assert "wrong-secret" not in str(caught.value)
