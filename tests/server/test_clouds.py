"""Cloud presets over REST: what the sign-in dialog offers, the training API each profile uses,
regions a cloud lacks, Huawei Cloud Stack's endpoints from the token catalog, and DevEnviron
refused in words on Huawei Cloud. Local ModelArts plays each cloud through endpoint overrides,
in region eu-de so that it can stand in for T Cloud Public too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from jupyterlab_modelarts.cloud.credentials import AccessKey
from jupyterlab_modelarts.cloud.modelarts import ModelArts
from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.pytest_plugin import fast_test_modules
from jupyterlab_modelarts.handlers import openapi_document

REGION = "eu-de"


def documented(schema_name: str, instance: object) -> None:
    document = openapi_document()
    schema = {"components": document["components"], "$ref": f"#/components/schemas/{schema_name}"}
    Draft202012Validator(schema).validate(instance)


@pytest.fixture
def plays() -> str:
    """Which cloud's training APIs Local ModelArts serves; parametrize to change."""
    return "both"


@pytest.fixture
def modelarts_local_config(tmp_path: Path, plays: str) -> EmulatorConfig:
    modules = fast_test_modules()
    modules["training"] = {**modules.get("training", {}), "plays": plays}
    return EmulatorConfig(
        data_dir=tmp_path / "modelarts-local", region=REGION, speed=50.0, modules=modules
    )


@pytest.fixture
def modelarts_config(modelarts_local, tmp_path, request, monkeypatch):
    """The extension's settings; ``indirect`` parametrization adds a managed Huawei Cloud Stack
    profile (keys from the environment) that is active by default."""
    config = {"profiles_dir": str(tmp_path / "profiles")}
    if hasattr(request, "param"):
        monkeypatch.setenv("ONPREM_AK", modelarts_local.config.access_key)
        monkeypatch.setenv("ONPREM_SK", modelarts_local.config.secret_key)
        url = modelarts_local.base_url
        config["profiles"] = [
            {
                "name": "onprem",
                "cloud": "hcs",
                "region": REGION,
                "endpoints": {"modelarts": url, "iam": url, "obs": url},
                "access_key_env": "ONPREM_AK",
                "secret_key_env": "ONPREM_SK",
            }
        ]
        config["default_profile"] = "onprem"
    return config


@pytest.fixture
def api(jp_fetch):
    async def call(method: str, *path: str, body: object = None):
        response = await jp_fetch(
            "modelarts", "api", "v1", *path,
            method=method,
            body=None if body is None else json.dumps(body),
            raise_error=False,
            allow_nonstandard_methods=True,
        )  # fmt: skip
        text = response.body.decode()
        return response.code, (json.loads(text) if text else None)

    return call


def profile_of(local, cloud: str, name: str = "prod", **changes):
    """A profile of ``cloud`` whose requests go to Local ModelArts."""
    url = local.base_url
    return {
        "name": name,
        "cloud": cloud,
        "region": REGION,
        "endpoints": {"modelarts": url, "iam": url, "obs": url},
        "credentials": {
            "kind": "access_key",
            "access_key": local.config.access_key,
            "secret_key": local.config.secret_key,
        },
        **changes,
    }


async def test_the_presets_list_each_clouds_regions_and_api_generations(api):
    code, body = await api("GET", "clouds")
    assert code == 200
    for cloud in body["clouds"]:
        documented("CloudPreset", cloud)
    clouds = {cloud["name"]: cloud for cloud in body["clouds"]}
    assert set(clouds) == {"huaweicloud", "tcloudpublic", "hcs", "alibabacloud"}
    otc = clouds["tcloudpublic"]
    assert [region["id"] for region in otc["regions"]] == ["eu-de", "eu-nl"]
    assert "modelarts" not in otc["regions"][1]["services"]
    assert (otc["training_api"], otc["devenviron"]) == ("v1", True)
    huawei = clouds["huaweicloud"]
    assert (huawei["training_apis"], huawei["devenviron"]) == (["v2"], False)
    assert "eu-west-101" in [region["id"] for region in huawei["regions"]]
    assert clouds["hcs"]["needs_domain"] is True and clouds["hcs"]["regions"] == []
    assert clouds["alibabacloud"]["backend"] == "pai"


async def test_local_modelarts_trains_v1_unless_told_otherwise(api):
    _, status = await api("GET", "status")
    assert (status["cloud"], status["training_api"]) == ("local", "v1")


async def test_a_t_cloud_public_profile_confirms_v1_training_at_sign_in(api, modelarts_local):
    code, saved = await api("POST", "profiles", body=profile_of(modelarts_local, "tcloudpublic"))
    assert code == 201, saved
    documented("Profile", saved)
    assert (saved["cloud"], saved["backend"], saved["training_api"]) == (
        "tcloudpublic",
        "modelarts",
        "v1",
    )
    await api("POST", "profiles", "prod", "activate")
    _, status = await api("GET", "status")
    documented("Status", status)
    assert status["training_api"] == "v1"
    assert status["cloud_label"] == "T Cloud Public"
    assert status["connection"] == {"state": "ok"}


@pytest.mark.parametrize(
    ("cloud", "region", "named"),
    [("tcloudpublic", "cn-north-4", "eu-de"), ("huaweicloud", "eu-de", "cn-north-4")],
)
async def test_a_region_the_cloud_lacks_is_refused_on_the_region_field(
    api, modelarts_local, cloud, region, named
):
    code, body = await api(
        "POST", "profiles", body=profile_of(modelarts_local, cloud, region=region)
    )
    assert code == 400, body
    assert body["error"]["field"] == "region"
    assert named in body["error"]["message"]
    _, listing = await api("GET", "profiles")
    assert [p["name"] for p in listing["profiles"]] == ["local"]


async def test_modelarts_in_eu_nl_is_refused_with_the_region_that_has_it(api, modelarts_local):
    profile = profile_of(modelarts_local, "tcloudpublic", region="eu-nl")
    profile["endpoints"] = {}
    code, body = await api("POST", "profiles", body=profile)
    assert code == 400, body
    assert body["error"]["field"] == "region"
    assert "eu-de" in body["error"]["message"]


@pytest.mark.parametrize(("plays", "found"), [("huaweicloud", "v2"), ("tcloudpublic", "v1")])
async def test_the_sign_in_probe_finds_which_training_api_answers(api, modelarts_local, found):
    code, saved = await api("POST", "profiles", body=profile_of(modelarts_local, "hcs"))
    assert code == 201, saved
    assert saved["training_api"] == found


@pytest.mark.parametrize("plays", ["huaweicloud"])
@pytest.mark.parametrize(
    "modelarts_config",
    [pytest.param(None, id="managed-hcs-profile")],
    indirect=True,
)
async def test_a_managed_profile_learns_its_training_api_at_the_first_check(api):
    _, status = await api("GET", "status")
    assert (status["profile"], status["connection"]["state"]) == ("onprem", "ok")
    assert status["training_api"] == "v2"


async def test_huawei_cloud_stack_needs_its_domain_or_an_iam_endpoint(api, modelarts_local):
    profile = profile_of(modelarts_local, "hcs")
    profile["endpoints"] = {}
    code, body = await api("POST", "profiles", body=profile)
    assert code == 400, body
    assert body["error"]["field"] == "external_domain"


async def test_huawei_cloud_stack_takes_its_endpoints_from_the_token_catalog(api, modelarts_local):
    config = modelarts_local.config
    profile = profile_of(modelarts_local, "hcs", region=REGION)
    profile["endpoints"] = {"iam": modelarts_local.base_url}
    profile["credentials"] = {
        "kind": "iam_password",
        "domain": config.iam_domain,
        "username": config.iam_user,
        "password": config.iam_password,
    }
    code, saved = await api("POST", "profiles", body=profile)
    assert code == 201, saved
    assert saved["endpoint_overrides"] == {"iam": modelarts_local.base_url}
    assert saved["endpoints"]["modelarts"] == modelarts_local.base_url
    assert saved["endpoints"]["obs"] == modelarts_local.base_url
    assert saved["training_api"] == "v1"  # the probe found the v1 training list answering


async def test_devenviron_on_huawei_cloud_is_refused_in_words_before_anything_is_sent(
    api, modelarts_local
):
    # Huawei Cloud's real region with endpoints overridden to Local ModelArts (project eu-de,
    # named explicitly so that no IAM lookup by region is needed).
    profile = profile_of(
        modelarts_local,
        "huaweicloud",
        region="cn-north-4",
        project_id=modelarts_local.config.project_id,
    )
    code, saved = await api("POST", "profiles", body=profile)
    assert code == 201, saved
    assert saved["training_api"] == "v2"
    await api("POST", "profiles", "prod", "activate")

    code, listing = await api("GET", "instances")
    assert code == 200, listing
    assert listing["apis"] == ["notebooks"]
    refusal = "The old DevEnviron API is not offered by Huawei Cloud; use the Notebooks API."
    assert listing["unavailable"] == {
        "devenv": {
            "code": "NOT_OFFERED",
            "message": refusal,
            "field": "api",
            "params": {"reason": "devenviron", "cloud": "Huawei Cloud"},
        }
    }
    documented("ErrorBody", listing["unavailable"]["devenv"])

    code, body = await api(
        "POST", "instances", body={"api": "devenv", "request": {"name": "old-api"}}
    )
    assert code == 409, body
    assert body["error"] == {
        "code": "NOT_OFFERED",
        "message": refusal,  # what the magics print
        "field": "api",
        "params": {"reason": "devenviron", "cloud": "Huawei Cloud"},  # what the browser words
    }
    async with ModelArts(
        AccessKey(modelarts_local.config.access_key, modelarts_local.config.secret_key),
        region=REGION,
        endpoint=modelarts_local.base_url,
        iam_endpoint=modelarts_local.base_url,
    ) as client:
        assert (await client.devenv.list(limit=0)).instances == []


@pytest.fixture
def profile_saved_before_clouds(modelarts_config) -> None:
    """A profiles.json of an earlier version: no cloud, a region the presets do not list."""
    profiles = Path(modelarts_config["profiles_dir"])
    profiles.mkdir(parents=True, exist_ok=True)
    saved = {"profiles": [{"name": "old", "backend": "modelarts", "region": "cn-north-9"}]}
    (profiles / "profiles.json").write_text(json.dumps(saved))


@pytest.mark.usefixtures("profile_saved_before_clouds")
async def test_a_profile_saved_before_clouds_had_names_keeps_its_unlisted_region(api):
    code, listing = await api("GET", "profiles")
    assert code == 200, listing
    old = next(p for p in listing["profiles"] if p["name"] == "old")
    assert (old["cloud"], old["region"]) == ("huaweicloud", "cn-north-9")
    assert old["endpoints"]["obs"] == "https://obs.cn-north-9.myhuaweicloud.com"
