"""The cloud and training API of the active profile in a cell, and an API its cloud lacks
refused in words before anything is sent."""

from __future__ import annotations

import re

from conftest import run_cell

API = "modelarts/api/v1"


def sign_in_to_huawei_cloud(jupyter_server, cloud) -> None:
    """A Huawei Cloud profile whose requests go to a Local ModelArts of the test's own (the
    server's embedded one has credentials only the server knows)."""
    url = cloud.base_url
    jupyter_server.request(
        "POST",
        f"{API}/profiles",
        {
            "name": "hw",
            "cloud": "huaweicloud",
            "region": cloud.config.region,
            "project_id": cloud.config.project_id,
            "endpoints": {"modelarts": url, "iam": url, "obs": url},
            "credentials": {
                "kind": "access_key",
                "access_key": cloud.config.access_key,
                "secret_key": cloud.config.secret_key,
            },
        },
    )
    jupyter_server.request("POST", f"{API}/profiles/hw/activate")


def test_status_and_profiles_name_the_cloud_and_its_training_api(
    server_kernel, jupyter_server, modelarts_local_session
):
    sign_in_to_huawei_cloud(jupyter_server, modelarts_local_session)
    lines = run_cell(server_kernel, "%modelarts status").text().splitlines()
    fields = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in lines if "  " in line)
    assert (fields["Cloud"], fields["Training API"]) == ("huaweicloud", "v2")
    rows = run_cell(server_kernel, "%modelarts profile").text().splitlines()
    hw = next(line for line in rows if " hw " in f" {line} ")
    assert hw.split()[:5] == ["*", "hw", "modelarts", "huaweicloud", "cn-north-4"]


def test_devenviron_on_huawei_cloud_is_refused_in_words(
    server_kernel, jupyter_server, modelarts_local_session
):
    sign_in_to_huawei_cloud(jupyter_server, modelarts_local_session)
    output = run_cell(server_kernel, "%modelarts notebooks create old-nb --api devenv")
    assert output.error is None
    assert output.stderr == (
        "modelarts: NOT_OFFERED: The old DevEnviron API is not offered by Huawei Cloud;"
        " use the Notebooks API. (field api)\n"
    )
    listed = run_cell(server_kernel, "%modelarts notebooks").text()
    assert "old-nb" not in listed
