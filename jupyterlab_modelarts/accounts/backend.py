"""Which service a profile talks to, and the environment variables that name a cloud account.
Apart from the profile model: the server extension needs these at start, before anything loads
pydantic (bench P8)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

LOCAL_PROFILE = "local"


class Backend(str, Enum):
    LOCAL = "local"
    MODELARTS = "modelarts"
    PAI = "pai"


HUAWEI_VARIABLES = ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN")
HUAWEI_PROJECT_VARIABLE = "HUAWEICLOUD_SDK_PROJECT_ID"
ALIBABA_VARIABLES = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
)


def cloud_credentials_in_environment(environ: Mapping[str, str]) -> bool:
    return any(
        environ.get(names[0]) and environ.get(names[1])
        for names in (HUAWEI_VARIABLES, ALIBABA_VARIABLES)
    )
