"""Where cloud credentials come from. Only presence is ever reported; values stay here."""

from __future__ import annotations

import os

#: Pairs of environment variables that together make a usable cloud credential.
CLOUD_CREDENTIAL_VARIABLES = (
    ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"),
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
)


def cloud_credentials_in_environment() -> bool:
    return any(all(os.environ.get(name) for name in pair) for pair in CLOUD_CREDENTIAL_VARIABLES)
