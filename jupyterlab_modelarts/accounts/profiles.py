"""Profiles and their storage.

A profile says where requests go (backend, region, endpoints, project, workspace) and, for
profiles an administrator configured, where its credentials are read from (the *names* of
environment variables or a file, never the values). Profiles a user adds are kept in
``profiles.json`` (no secrets); the secrets a user types in go to ``credentials.json`` with mode
0600, both in the user's Jupyter data dir.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..cloud.clouds import CloudPresetError, cloud
from ..private_paths import write_private_json
from .backend import LOCAL_PROFILE, Backend

DEFAULT_REGION = "cn-north-4"
DEFAULT_PAI_REGION = "cn-hangzhou"
#: ModelArts' default workspace (004 §8): every resource belongs to it unless told otherwise.
DEFAULT_WORKSPACE = "0"
ENDPOINT_SERVICES = ("modelarts", "iam", "obs", "pai")
PROFILE_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


class Profile(BaseModel):
    """Everything about an account except its secrets."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)

    name: str = Field(pattern=PROFILE_NAME_PATTERN)
    backend: Backend
    #: The cloud preset (``cloud.clouds.CLOUDS``); None: the backend's (modelarts: Huawei Cloud,
    #: pai: Alibaba Cloud, local: Local ModelArts), as profiles saved before clouds had names.
    cloud: str | None = None
    region: str = Field(default=DEFAULT_REGION, pattern=r"^[a-z0-9-]{2,32}$")
    #: Huawei Cloud Stack's own domain: its endpoints are ``{service}.{region}.{domain}``.
    external_domain: str | None = Field(default=None, pattern=r"^[A-Za-z0-9.-]{1,253}$")
    #: Endpoint overrides by service: "modelarts", "iam", "obs", "pai".
    endpoints: dict[str, str] = Field(default_factory=dict)
    project_id: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$")
    workspace_id: str = DEFAULT_WORKSPACE
    #: Which training API the account trains through: v1 (004 section 5, T Cloud Public) or v2
    #: (Huawei Cloud since v1 was retired). None: the cloud's preset decides, confirmed at sign-in.
    training_api: Literal["v1", "v2"] | None = None
    #: Configured by an administrator (traitlets): users can use it but not edit or delete it.
    managed: bool = False
    #: Credential sources of managed profiles: names of environment variables or a file path.
    access_key_env: str | None = None
    secret_key_env: str | None = None
    security_token_env: str | None = None
    credentials_file: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _backend_and_region_default_to_the_clouds(cls, data: Any) -> Any:
        if not (isinstance(data, dict) and data.get("cloud")):
            return data
        try:
            preset = cloud(data["cloud"])
        except CloudPresetError:
            return data  # reported by the check of the named cloud
        defaults = {"backend": preset.backend, "region": preset.default_region}
        return {**data, **{k: v for k, v in defaults.items() if v and not data.get(k)}}

    @field_validator("cloud")
    @classmethod
    def _cloud_is_known(cls, name: str | None) -> str | None:
        return cloud(name).name if name else None

    @model_validator(mode="after")
    def _region_is_the_clouds(self) -> Profile:
        # Only a named cloud is held to its region list: profiles saved before clouds had names
        # keep loading whatever region they had.
        if self.cloud is None:
            return self
        preset = cloud(self.cloud)
        if preset.backend != self.backend.value:
            raise ValueError(f"{preset.label} profiles use the {preset.backend} backend")
        preset.region(self.region)
        return self

    @property
    def cloud_name(self) -> str:
        """The profile's cloud preset, named or implied by its backend."""
        return cloud(self.cloud, self.backend.value).name

    @field_validator("endpoints")
    @classmethod
    def _endpoints_are_urls(cls, endpoints: dict[str, str]) -> dict[str, str]:
        for service, url in endpoints.items():
            if service not in ENDPOINT_SERVICES:
                raise ValueError(
                    f"unknown service {service!r}: one of {', '.join(ENDPOINT_SERVICES)}"
                )
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"endpoint of {service} must start with http:// or https://")
        return {service: url.rstrip("/") for service, url in endpoints.items()}


class ProfileState(BaseModel):
    """What ``profiles.json`` holds."""

    active: str = LOCAL_PROFILE
    profiles: list[Profile] = Field(default_factory=list)
    #: The workspace the user picked, by profile name (managed profiles included).
    workspaces: dict[str, str] = Field(default_factory=dict)


Secret = dict[str, str]


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


class ProfileStore:
    """User profiles and secrets under one directory (the user's Jupyter data dir)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.profiles_path = directory / "profiles.json"
        self.credentials_path = directory / "credentials.json"

    def load_state(self) -> ProfileState:
        document = read_json(self.profiles_path)
        return ProfileState.model_validate(document) if document else ProfileState()

    def save_state(self, state: ProfileState) -> None:
        write_private_json(self.profiles_path, state.model_dump(mode="json", exclude_none=True))

    def secret(self, profile: str) -> Secret | None:
        document = read_json(self.credentials_path) or {}
        found = document.get(profile)
        return dict(found) if isinstance(found, dict) else None

    def save_secret(self, profile: str, secret: Secret) -> None:
        document = read_json(self.credentials_path) or {}
        document[profile] = secret
        write_private_json(self.credentials_path, document)

    def remove_secret(self, profile: str) -> bool:
        document = read_json(self.credentials_path) or {}
        if profile not in document:
            return False
        del document[profile]
        write_private_json(self.credentials_path, document)
        return True
