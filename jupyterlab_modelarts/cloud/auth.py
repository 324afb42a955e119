"""Authenticators: turn an outgoing request into an authenticated one.

The transport asks its authenticator for the final URL and headers of every attempt, and after
a 401 asks it to ``refresh`` once (only a token can be refreshed; a signature cannot).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from .credentials import AccessKey, IamPassword, PaiAccessKey
from .errors import AuthError
from .signing import Acs3Signer, SdkHmacSigner


class Authenticator(Protocol):
    async def authorize(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> tuple[str, dict[str, str]]: ...

    async def refresh(self) -> bool:
        """Called after a 401; True if new credentials were obtained and a retry makes sense."""
        ...


class Anonymous:
    """For the one call that needs no authentication: asking IAM for a token."""

    async def authorize(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> tuple[str, dict[str, str]]:
        return url, headers

    async def refresh(self) -> bool:
        return False


class SdkHmacAuth:
    """AK/SK (and temporary AK/SK with a security token): SDK-HMAC-SHA256 on every request."""

    def __init__(self, credentials: AccessKey) -> None:
        self._signer = SdkHmacSigner(
            credentials.access_key, credentials.secret_key, credentials.security_token
        )

    async def authorize(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> tuple[str, dict[str, str]]:
        signed = self._signer.sign(method, url, headers, body)
        return signed.url, signed.headers

    async def refresh(self) -> bool:
        return False


class Acs3Auth:
    """Alibaba Cloud AccessKey: ACS3-HMAC-SHA256 (the caller sets x-acs-action/-version)."""

    def __init__(self, credentials: PaiAccessKey) -> None:
        self._signer = Acs3Signer(
            credentials.access_key_id, credentials.access_key_secret, credentials.security_token
        )

    async def authorize(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> tuple[str, dict[str, str]]:
        signed = self._signer.sign(method, url, headers, body)
        return signed.url, signed.headers

    async def refresh(self) -> bool:
        return False


@dataclass(frozen=True)
class IamToken:
    """A project-scoped IAM token. ``value`` is a secret: keep it out of logs and repr."""

    value: str
    expires_at: float  # epoch seconds
    issued_at: float
    project_id: str | None
    project_name: str | None
    #: The Keystone v3 service catalog, when it was asked for.
    catalog: tuple[Mapping[str, Any], ...] = ()

    def __repr__(self) -> str:
        return f"IamToken(project_id={self.project_id!r}, expires_at={self.expires_at})"

    def fresh(self, now: float, margin: float) -> bool:
        return now < self.expires_at - margin


def parse_iso_time(value: str) -> float:
    """Epoch seconds of an IAM time such as ``2019-02-13T06:52:13.855000Z``."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


TokenFetcher = Callable[[IamPassword], Awaitable[IamToken]]


class TokenAuth:
    """IAM password token: fetched once, cached for its lifetime, refreshed shortly before it
    expires (a tenth of its lifetime, at most five minutes early) and once after a 401."""

    def __init__(self, credentials: IamPassword, fetch: TokenFetcher) -> None:
        self._credentials = credentials
        self._fetch = fetch
        self._token: IamToken | None = None
        self._lock = asyncio.Lock()

    async def token(self) -> IamToken:
        token = self._token
        if token is not None and token.fresh(time.time(), self._margin(token)):
            return token
        async with self._lock:  # one fetch however many calls are waiting
            token = self._token
            if token is None or not token.fresh(time.time(), self._margin(token)):
                token = self._token = await self._fetch(self._credentials)
            return token

    @staticmethod
    def _margin(token: IamToken) -> float:
        return min(300.0, max(0.0, token.expires_at - token.issued_at) / 10)

    async def authorize(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> tuple[str, dict[str, str]]:
        token = await self.token()
        return url, {**headers, "X-Auth-Token": token.value}

    async def refresh(self) -> bool:
        stale = self._token
        async with self._lock:
            if self._token is stale:  # nobody refreshed it meanwhile
                try:
                    self._token = await self._fetch(self._credentials)
                except AuthError:
                    self._token = None
                    raise
        return True
