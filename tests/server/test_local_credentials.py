"""The embedded Local ModelArts accepts only credentials its Jupyter server made up at start:
another user of the machine, who can reach its loopback port, cannot use the documented
defaults of the standalone command."""

import httpx

from jupyterlab_modelarts.emulator import config as defaults
from jupyterlab_modelarts.emulator.config import fresh_credentials

CREDENTIAL_FIELDS = sorted(fresh_credentials())


def extension(jp_serverapp):
    return next(iter(jp_serverapp.extension_manager.extension_apps["jupyterlab_modelarts"]))


async def password_token_request(base_url: str, password: str) -> httpx.Response:
    identity = {
        "methods": ["password"],
        "password": {
            "user": {
                "name": defaults.DEFAULT_IAM_USER,
                "password": password,
                "domain": {"name": defaults.DEFAULT_IAM_DOMAIN},
            }
        },
    }
    async with httpx.AsyncClient(trust_env=False) as client:
        scope = {"project": {"id": defaults.DEFAULT_PROJECT_ID}}
        body = {"auth": {"identity": identity, "scope": scope}}
        return await client.post(f"{base_url}/v3/auth/tokens", json=body)


def test_every_start_makes_new_credentials():
    first, second = fresh_credentials(), fresh_credentials()
    for name in CREDENTIAL_FIELDS:
        assert first[name] != second[name], name
        assert first[name] != getattr(defaults, f"DEFAULT_{name.upper()}"), name


async def test_the_embedded_server_refuses_the_documented_defaults(jp_serverapp, api):
    local = await extension(jp_serverapp).local_modelarts()
    for name in CREDENTIAL_FIELDS:
        assert getattr(local.config, name) != getattr(defaults, f"DEFAULT_{name.upper()}"), name

    refused = await password_token_request(local.base_url, defaults.DEFAULT_IAM_PASSWORD)
    assert refused.status_code == 401
    async with httpx.AsyncClient(trust_env=False) as client:
        admin = await client.get(
            f"{local.base_url}/_admin/faults", headers={"X-Admin-Key": defaults.DEFAULT_ADMIN_KEY}
        )
    assert admin.status_code in (401, 403)
    # The server's own password works, and so does the local profile, which it gets handed.
    accepted = await password_token_request(local.base_url, local.config.iam_password)
    assert accepted.status_code == 201, accepted.text
    status, body = await api("GET", "training", "jobs")
    assert status == 200, body
