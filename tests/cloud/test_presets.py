"""Cloud presets: every region's endpoints, the regions a cloud lacks, the token catalog, and
the API generations each cloud speaks."""

from __future__ import annotations

import re

import pytest

from jupyterlab_modelarts.accounts.profiles import Profile
from jupyterlab_modelarts.cloud import clouds
from jupyterlab_modelarts.cloud.auth import Anonymous
from jupyterlab_modelarts.cloud.clouds import CLOUDS, CloudPresetError
from jupyterlab_modelarts.cloud.credentials import AccessKey, IamPassword
from jupyterlab_modelarts.cloud.iam import Iam, endpoints_from_catalog
from jupyterlab_modelarts.cloud.modelarts import ModelArts
from jupyterlab_modelarts.cloud.transport import HttpSession

PRESET_REGIONS = [
    (preset.name, region.id) for preset in CLOUDS.values() for region in preset.regions
]


@pytest.mark.parametrize(("cloud_name", "region"), PRESET_REGIONS)
def test_every_preset_region_resolves_an_https_endpoint_per_offered_service(
    cloud_name: str, region: str
) -> None:
    preset = CLOUDS[cloud_name]
    offered = preset.region(region).services
    endpoints = clouds.resolve_endpoints(cloud_name, region)
    assert set(endpoints) >= offered
    for service, url in endpoints.items():
        host = re.fullmatch(r"https://([a-z0-9.-]+)", url)
        assert host, url
        if service not in preset.shared_endpoints:
            assert region in host.group(1)


def test_the_published_t_cloud_public_endpoints() -> None:
    assert clouds.resolve_endpoints("tcloudpublic", "eu-de") == {
        "modelarts": "https://modelarts.eu-de.otc.t-systems.com",
        "obs": "https://obs.eu-de.otc.t-systems.com",
        "iam": "https://iam.eu-de.otc.t-systems.com",
    }
    eu_nl = clouds.resolve_endpoints("tcloudpublic", "eu-nl")
    assert eu_nl["obs"] == "https://obs.eu-nl.otc.t-systems.com"
    assert "modelarts" not in eu_nl


def test_huawei_clouds_european_site_has_its_own_domain() -> None:
    assert clouds.resolve_endpoints("huaweicloud", "cn-north-4")["modelarts"] == (
        "https://modelarts.cn-north-4.myhuaweicloud.com"
    )
    assert clouds.resolve_endpoints("huaweicloud", "eu-west-101")["iam"] == (
        "https://iam.eu-west-101.myhuaweicloud.eu"
    )


def test_alibaba_cloud_endpoints_are_pai_dsw_hosts() -> None:
    assert clouds.resolve_endpoints("alibabacloud", "cn-shanghai") == {
        "pai": "https://pai-dsw.cn-shanghai.aliyuncs.com"
    }


def test_huawei_cloud_stack_endpoints_come_from_the_customer_domain() -> None:
    assert clouds.resolve_endpoints("hcs", "region-a", domain="cloud.example.com") == {
        "modelarts": "https://modelarts.region-a.cloud.example.com",
        "iam": "https://iam.region-a.cloud.example.com",
        "obs": "https://obs.region-a.cloud.example.com",
    }
    # Without a domain nothing is guessed; the token catalog fills what the overrides leave.
    assert clouds.resolve_endpoints(
        "hcs",
        "region-a",
        overrides={"iam": "https://iam.x.example"},
        discovered={"modelarts": "https://ma.x.example", "iam": "https://other.example"},
    ) == {"iam": "https://iam.x.example", "modelarts": "https://ma.x.example"}


def test_overrides_win_over_the_preset() -> None:
    endpoints = clouds.resolve_endpoints(
        "tcloudpublic", "eu-de", overrides={"modelarts": "http://127.0.0.1:9"}
    )
    assert endpoints["modelarts"] == "http://127.0.0.1:9"
    assert endpoints["obs"] == "https://obs.eu-de.otc.t-systems.com"


@pytest.mark.parametrize(
    ("cloud_name", "region"),
    [("tcloudpublic", "cn-north-4"), ("huaweicloud", "eu-de"), ("alibabacloud", "cn-north-4")],
)
def test_a_region_the_cloud_lacks_is_a_region_field_error(cloud_name: str, region: str) -> None:
    with pytest.raises(CloudPresetError) as raised:
        clouds.resolve_endpoints(cloud_name, region)
    assert raised.value.field == "region"
    assert CLOUDS[cloud_name].default_region in raised.value.message


def test_modelarts_in_a_region_without_it_names_the_region_that_has_it() -> None:
    with pytest.raises(CloudPresetError) as raised:
        CLOUDS["tcloudpublic"].endpoint("modelarts", "eu-nl")
    assert raised.value.field == "region"
    assert "eu-de" in raised.value.message


def test_a_profile_naming_its_cloud_is_held_to_its_regions() -> None:
    assert Profile(name="otc", backend="modelarts", cloud="tcloudpublic").region == "eu-de"
    with pytest.raises(ValueError, match="no region 'cn-north-4'"):
        Profile(name="otc", backend="modelarts", cloud="tcloudpublic", region="cn-north-4")
    with pytest.raises(ValueError, match="pai backend"):
        Profile(name="otc", backend="modelarts", cloud="alibabacloud")


def test_profiles_saved_before_clouds_had_names_keep_their_backends_cloud() -> None:
    assert Profile(name="a", backend="modelarts", region="cn-north-7").cloud_name == "huaweicloud"
    assert Profile(name="b", backend="pai", region="cn-hangzhou").cloud_name == "alibabacloud"
    assert Profile(name="local", backend="local").cloud_name == "local"


def test_training_generation_is_the_profiles_else_the_clouds() -> None:
    assert clouds.training_api("huaweicloud", None) == "v2"
    assert clouds.training_api("tcloudpublic", None) == "v1"
    assert clouds.training_api("local", None) == "v1"
    assert clouds.training_api("tcloudpublic", "v2") == "v2"


def test_missing_generations_are_refused_in_words_with_the_alternative() -> None:
    devenviron = clouds.missing_feature("huaweicloud", "devenviron")
    assert devenviron == clouds.MissingFeature(
        "devenviron",
        {"cloud": "Huawei Cloud"},
        "The old DevEnviron API is not offered by Huawei Cloud; use the Notebooks API.",
    )
    refusal = clouds.missing_feature("huaweicloud", "training.v1")
    assert refusal and "training v2" in refusal.message
    assert (refusal.reason, refusal.params["offered"]) == ("training_generation", ["v2"])
    assert clouds.missing_feature("tcloudpublic", "devenviron") is None
    assert clouds.missing_feature("tcloudpublic", "training.v1") is None
    assert clouds.missing_feature("huaweicloud", "training.v2") is None


KEYSTONE_CATALOG = [
    {
        "type": "identity",
        "name": "iam",
        "endpoints": [
            {"interface": "public", "region_id": "dc2", "url": "https://iam.dc2.example/v3"},
        ],
    },
    {
        "type": "modelarts",
        "name": "modelarts",
        "endpoints": [
            {"interface": "internal", "region": "dc1", "url": "https://ma-internal.example"},
            {"interface": "public", "region": "dc2", "url": "https://ma.dc2.example/v1"},
            {
                "interface": "public",
                "region": "dc1",
                "url": "https://modelarts.dc1.example/v1/$(tenant_id)s",
            },
        ],
    },
    {"type": "object", "name": "obs", "endpoints": [{"url": "https://obs.dc1.example/"}]},
    {"type": "compute", "name": "ecs", "endpoints": [{"url": "https://ecs.dc1.example"}]},
]


def test_the_token_catalog_gives_each_services_public_endpoint_of_the_region() -> None:
    assert endpoints_from_catalog(KEYSTONE_CATALOG, "dc1") == {
        "modelarts": "https://modelarts.dc1.example",
        "obs": "https://obs.dc1.example",
    }
    assert endpoints_from_catalog(KEYSTONE_CATALOG, "dc2") == {
        "iam": "https://iam.dc2.example",
        "modelarts": "https://ma.dc2.example",
        "obs": "https://obs.dc1.example",
    }


async def test_a_keystone_token_from_local_modelarts_carries_its_catalog(modelarts_local) -> None:
    config = modelarts_local.config
    async with HttpSession() as session:
        iam = Iam(session, modelarts_local.base_url, Anonymous())
        found = await iam.service_endpoints(
            IamPassword(config.iam_user, config.iam_password, config.iam_domain), config.region
        )
    assert found == {
        "iam": modelarts_local.base_url,
        "modelarts": modelarts_local.base_url,
        "obs": modelarts_local.base_url,
    }


def test_the_client_library_defaults_to_the_named_clouds_endpoints() -> None:
    keys = AccessKey("AK", "SK")
    otc = ModelArts(keys, region="eu-de", cloud="tcloudpublic")
    assert otc.endpoint == "https://modelarts.eu-de.otc.t-systems.com"
    onprem = ModelArts(keys, region="dc1", cloud="hcs", domain="cloud.example.com")
    assert onprem.endpoint == "https://modelarts.dc1.cloud.example.com"
    # Unnamed: Huawei Cloud, whose scheme also serves a region the preset does not list yet.
    assert ModelArts(keys, region="cn-north-9").endpoint == (
        "https://modelarts.cn-north-9.myhuaweicloud.com"
    )
    with pytest.raises(CloudPresetError) as raised:
        ModelArts(keys, region="dc1", cloud="hcs")
    assert raised.value.field == "domain"
    assert clouds.default_endpoint("pai", "cn-guangzhou") == (
        "https://pai-dsw.cn-guangzhou.aliyuncs.com"
    )
