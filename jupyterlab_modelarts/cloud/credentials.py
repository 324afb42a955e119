"""The kinds of credentials the clouds accept. Plain data: secrets never appear in ``repr``.

* :class:`AccessKey`: Huawei Cloud AK/SK (SDK-HMAC-SHA256), optionally temporary with a
  security token.
* :class:`IamPassword`: an IAM user's password, exchanged for a project-scoped token.
* :class:`PaiAccessKey`: an Alibaba Cloud AccessKey pair for PAI DSW (ACS3-HMAC-SHA256).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import ValidationError


def _require(value: str, name: str) -> None:
    if not value or not value.strip():
        missing = ValidationError(f"{name} is required", field=name)
        missing.wording = ("FIELD_REQUIRED", {})
        raise missing


@dataclass(frozen=True)
class AccessKey:
    access_key: str
    secret_key: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        _require(self.access_key, "access_key")
        _require(self.secret_key, "secret_key")

    @property
    def temporary(self) -> bool:
        return self.security_token is not None


@dataclass(frozen=True)
class IamPassword:
    """``domain`` is the account name; the token is scoped to ``project_id`` if given, else to
    the project named ``project_name`` (by default the region name)."""

    username: str
    password: str = field(repr=False)
    domain: str
    project_name: str | None = None
    project_id: str | None = None

    def __post_init__(self) -> None:
        _require(self.username, "username")
        _require(self.password, "password")
        _require(self.domain, "domain")


@dataclass(frozen=True)
class PaiAccessKey:
    access_key_id: str
    access_key_secret: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        _require(self.access_key_id, "access_key_id")
        _require(self.access_key_secret, "access_key_secret")


HuaweiCredentials = AccessKey | IamPassword
