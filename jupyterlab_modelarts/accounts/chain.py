"""The credential chain: where a profile's secrets come from, first match wins.

1. the profile's administrator configuration: names of environment variables
   (``access_key_env``/``secret_key_env``/``security_token_env``) or a ``credentials_file``;
2. the standard environment variables (``HUAWEICLOUD_SDK_AK``/``_SK``/``_SECURITY_TOKEN``/
   ``_PROJECT_ID`` for ModelArts, ``ALIBABA_CLOUD_ACCESS_KEY_ID``/``_SECRET``/
   ``_SECURITY_TOKEN`` for PAI);
3. what the user saved in the 0600 credentials file: AK/SK or PAI keys;
4. an IAM user name and password saved there (the token is kept in memory only).

Only :meth:`ResolvedCredentials.describe` leaves the server: the source, the kind and the last
four characters of the key id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cloud.credentials import AccessKey, IamPassword, PaiAccessKey
from ..cloud.errors import ValidationError
from .backend import ALIBABA_VARIABLES, HUAWEI_PROJECT_VARIABLE, HUAWEI_VARIABLES
from .profiles import Backend, Profile, ProfileStore, Secret

Credentials = AccessKey | IamPassword | PaiAccessKey


@dataclass(frozen=True)
class ResolvedCredentials:
    credentials: Credentials
    #: "local", "config-env", "config-file", "environment" or "credentials-file".
    source: str
    #: A project id that came with the credentials (``HUAWEICLOUD_SDK_PROJECT_ID``).
    project_id: str | None = None

    @property
    def kind(self) -> str:
        if isinstance(self.credentials, IamPassword):
            return "iam_password"
        if isinstance(self.credentials, PaiAccessKey):
            return "pai_access_key"
        return "access_key"

    def describe(self) -> dict[str, Any]:
        """What the browser may know: never a secret, only the last 4 characters of a key id."""
        creds = self.credentials
        key_id: str | None = None
        user: str | None = None
        if isinstance(creds, AccessKey):
            key_id = creds.access_key
        elif isinstance(creds, PaiAccessKey):
            key_id = creds.access_key_id
        else:
            user = f"{creds.domain}/{creds.username}"
        return {
            "present": True,
            "source": self.source,
            "kind": self.kind,
            "key_id": mask(key_id) if key_id else None,
            "user": user,
        }


def mask(key_id: str) -> str:
    return "****" + key_id[-4:]


def _kind_refused(message: str, code: str, params: dict[str, Any]) -> ValidationError:
    """A credential kind refused, with the code and values the front end words it from."""
    error = ValidationError(message, field="kind")
    error.wording = (code, params)
    return error


def credentials_from_secret(secret: Mapping[str, Any], backend: Backend) -> Credentials:
    """Credentials from a saved or submitted secret; errors name the offending field."""
    kind = secret.get("kind") or ("pai_access_key" if backend is Backend.PAI else "access_key")
    if backend is Backend.PAI and kind != "pai_access_key":
        raise _kind_refused(
            "PAI profiles take a PAI AccessKey pair", "CREDENTIALS_OF_BACKEND", {"backend": "pai"}
        )
    if backend is not Backend.PAI and kind == "pai_access_key":
        raise _kind_refused(
            "ModelArts profiles take an AK/SK or an IAM password",
            "CREDENTIALS_OF_BACKEND",
            {"backend": "modelarts"},
        )
    if kind == "access_key":
        return AccessKey(
            access_key=str(secret.get("access_key") or ""),
            secret_key=str(secret.get("secret_key") or ""),
            security_token=secret.get("security_token") or None,
        )
    if kind == "iam_password":
        return IamPassword(
            username=str(secret.get("username") or ""),
            password=str(secret.get("password") or ""),
            domain=str(secret.get("domain") or ""),
        )
    if kind == "pai_access_key":
        return PaiAccessKey(
            access_key_id=str(secret.get("access_key_id") or ""),
            access_key_secret=str(secret.get("access_key_secret") or ""),
            security_token=secret.get("security_token") or None,
        )
    raise _kind_refused(
        "kind must be access_key, iam_password or pai_access_key",
        "NOT_A_CHOICE",
        {"expected": ["access_key", "iam_password", "pai_access_key"]},
    )


def secret_from_credentials(credentials: Credentials) -> Secret:
    """What the credentials file keeps for ``credentials``."""
    if isinstance(credentials, AccessKey):
        secret = {
            "kind": "access_key",
            "access_key": credentials.access_key,
            "secret_key": credentials.secret_key,
        }
        if credentials.security_token:
            secret["security_token"] = credentials.security_token
        return secret
    if isinstance(credentials, IamPassword):
        return {
            "kind": "iam_password",
            "domain": credentials.domain,
            "username": credentials.username,
            "password": credentials.password,
        }
    secret = {
        "kind": "pai_access_key",
        "access_key_id": credentials.access_key_id,
        "access_key_secret": credentials.access_key_secret,
    }
    if credentials.security_token:
        secret["security_token"] = credentials.security_token
    return secret


def _key_pair(
    backend: Backend, key: str | None, secret: str | None, token: str | None
) -> Credentials | None:
    if not (key and secret):
        return None
    if backend is Backend.PAI:
        return PaiAccessKey(key, secret, token or None)
    return AccessKey(key, secret, token or None)


def _from_configuration(profile: Profile, environ: Mapping[str, str]) -> ResolvedCredentials | None:
    if profile.access_key_env and profile.secret_key_env:
        token_name = profile.security_token_env
        found = _key_pair(
            profile.backend,
            environ.get(profile.access_key_env),
            environ.get(profile.secret_key_env),
            environ.get(token_name) if token_name else None,
        )
        if found:
            return ResolvedCredentials(found, "config-env")
    if profile.credentials_file:
        path = Path(profile.credentials_file).expanduser()
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if isinstance(document, dict):
            return ResolvedCredentials(
                credentials_from_secret(document, profile.backend), "config-file"
            )
    return None


def _from_environment(profile: Profile, environ: Mapping[str, str]) -> ResolvedCredentials | None:
    names = ALIBABA_VARIABLES if profile.backend is Backend.PAI else HUAWEI_VARIABLES
    found = _key_pair(profile.backend, *(environ.get(name) for name in names))
    if found is None:
        return None
    project = None if profile.backend is Backend.PAI else environ.get(HUAWEI_PROJECT_VARIABLE)
    return ResolvedCredentials(found, "environment", project_id=project or None)


def resolve_credentials(
    profile: Profile, store: ProfileStore, environ: Mapping[str, str]
) -> ResolvedCredentials | None:
    """The first source of the chain that has credentials for ``profile``, or None."""
    resolved = _from_configuration(profile, environ) or _from_environment(profile, environ)
    if resolved:
        return resolved
    secret = store.secret(profile.name)
    if secret:
        return ResolvedCredentials(
            credentials_from_secret(secret, profile.backend), "credentials-file"
        )
    return None
