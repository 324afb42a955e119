"""Settings of one Local ModelArts instance: where it listens, what it stores, whom it accepts.

The credential defaults are fixed, well-known values so that the standalone command and the
pytest fixture work without configuration; they protect nothing (loopback is reachable by every
user of the machine) and are not cloud credentials. The Local ModelArts embedded in the Jupyter
server uses :func:`fresh_credentials` instead, new at every start and known only to that server.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

DEFAULT_ACCESS_KEY = "LOCALMODELARTSAK0001"
DEFAULT_SECRET_KEY = "local-modelarts-secret-key-0000000000000"  # noqa: S105 (documented local default)
DEFAULT_PROJECT_ID = "0123456789abcdef0123456789abcdef"
DEFAULT_IAM_DOMAIN = "local-domain"
DEFAULT_IAM_USER = "local-user"
DEFAULT_IAM_PASSWORD = "local-password"  # noqa: S105 (documented local default)
DEFAULT_PAI_ACCESS_KEY = "LTAILOCALPAIKEY00001"
DEFAULT_PAI_SECRET = "local-pai-secret-000000000000000"  # noqa: S105 (documented local default)
DEFAULT_ADMIN_KEY = "local-modelarts-admin"
DEFAULT_REGION = "cn-north-4"

_PROJECT_ID = re.compile(r"[0-9a-f]{32}")
_KEY_ID_ALPHABET = string.ascii_uppercase + string.digits


def _key_id(prefix: str, length: int) -> str:
    return prefix + "".join(secrets.choice(_KEY_ID_ALPHABET) for _ in range(length - len(prefix)))


def fresh_credentials() -> dict[str, str]:
    """Random values for every credential field of :class:`EmulatorConfig`, shaped like the
    cloud's (a 20-character AK, an ``LTAI`` AccessKey id), as keyword arguments."""
    return {
        "access_key": _key_id("", 20),
        "secret_key": secrets.token_urlsafe(30),
        "iam_password": secrets.token_urlsafe(24),
        "pai_access_key": _key_id("LTAI", 24),
        "pai_secret": secrets.token_urlsafe(24),
        "admin_key": secrets.token_urlsafe(24),
    }


#: Which training API generations Local ModelArts serves when it plays a cloud
#: (`modules["training"]["plays"]`): Huawei Cloud today has only v2 (v1 went offline on
#: 2023-06-30), T Cloud Public serves v1; "both" rehearses either.
TRAINING_APIS_OF = {
    "both": frozenset({"v1", "v2"}),
    "huaweicloud": frozenset({"v2"}),
    "tcloudpublic": frozenset({"v1"}),
}


def profile_training_api(modules: dict[str, dict[str, Any]]) -> Literal["v1", "v2"] | None:
    """The training API a profile of a Local ModelArts with these module settings trains
    through: the only one served, or None when both are."""
    served = TRAINING_APIS_OF.get(str(modules.get("training", {}).get("plays", "both")))
    if served is None or len(served) != 1:
        return None
    return "v2" if "v2" in served else "v1"


@dataclass
class EmulatorConfig:
    """Everything a Local ModelArts server needs; every field has a working default."""

    host: str = "127.0.0.1"
    #: 0 picks a free port; `EmulatorServer.port` tells which one after start.
    port: int = 0
    #: Directory for the SQLite state, OBS objects and work dirs. None: a temporary directory
    #: removed on stop (tests).
    data_dir: Path | None = None

    #: AK/SK accepted for SDK-HMAC-SHA256 (ModelArts, IAM) and for OBS signatures.
    access_key: str = DEFAULT_ACCESS_KEY
    secret_key: str = DEFAULT_SECRET_KEY
    #: The only IAM project; its name is `region`.
    project_id: str = DEFAULT_PROJECT_ID
    iam_domain: str = DEFAULT_IAM_DOMAIN
    iam_user: str = DEFAULT_IAM_USER
    iam_password: str = DEFAULT_IAM_PASSWORD
    #: AccessKey pair accepted for ACS3-HMAC-SHA256 (PAI DSW).
    pai_access_key: str = DEFAULT_PAI_ACCESS_KEY
    pai_secret: str = DEFAULT_PAI_SECRET
    #: Key for the admin (fault injection) endpoint, sent as `X-Admin-Key`.
    admin_key: str = DEFAULT_ADMIN_KEY
    region: str = DEFAULT_REGION

    #: Lifetime of IAM tokens (the cloud: 24 h).
    token_ttl_seconds: float = 24 * 3600
    #: Largest accepted difference between a signed request's date and the server clock.
    signature_skew_seconds: float = 15 * 60
    #: Time factor for simulated state machines: a documented delay of D seconds takes
    #: D / speed seconds (tests use large values).
    speed: float = 1.0
    #: Largest accepted request body (OBS parts, model uploads).
    max_body_bytes: int = 5 * 1024**3
    #: Faults active from start, as accepted by the admin endpoint (see faults.py).
    faults: list[dict[str, Any]] = field(default_factory=list)
    #: Per-module settings for resource modules, keyed by module name (e.g.
    #: {"notebooks": {"runtime": "simulated"}}); each module documents its own keys.
    modules: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not _PROJECT_ID.fullmatch(self.project_id):
            raise ValueError("project_id must be 32 lowercase hexadecimal characters")
        if self.speed <= 0:
            raise ValueError("speed must be positive")
        if self.data_dir is not None:
            self.data_dir = Path(self.data_dir)
        if self.plays not in TRAINING_APIS_OF:
            raise ValueError(
                f"modules.training.plays must be one of {', '.join(TRAINING_APIS_OF)} "
                f"(got {self.plays!r})"
            )

    @property
    def plays(self) -> str:
        """The cloud whose training API generations are served (see TRAINING_APIS_OF)."""
        return str(self.module_settings("training").get("plays", "both"))

    def training_apis(self) -> frozenset[str]:
        return TRAINING_APIS_OF[self.plays]

    def scaled(self, seconds: float) -> float:
        """How long a documented delay of `seconds` lasts here."""
        return seconds / self.speed

    def module_settings(self, module: str) -> dict[str, Any]:
        return self.modules.get(module, {})

    def replace(self, **changes: Any) -> EmulatorConfig:
        return dataclasses.replace(self, **changes)
