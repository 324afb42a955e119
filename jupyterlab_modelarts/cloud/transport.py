"""The HTTP layer every API client stands on.

:class:`HttpSession` owns one pooled ``httpx.AsyncClient`` (one per account: the ModelArts, IAM
and PAI clients of an account share it), with proxy and CA settings from the environment.
:class:`ServiceClient` binds it to one service endpoint and one authenticator and implements the
call rules: per-kind timeouts, retries with backoff and jitter, ``Retry-After``, token refresh
on 401, reconciliation of creates whose outcome is unknown, and one error per failure.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import ssl
import urllib.request
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, NamedTuple
from urllib.parse import quote

import httpx

from .auth import Authenticator
from .errors import (
    CloudError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    TimeoutError,
    ValidationError,
    error_from_response,
    parse_retry_after,
)
from .policy import CallKind, RetryPolicy, Timeouts
from .redaction import install_log_redaction
from .signing import sdk_canonical_query

log = logging.getLogger(__name__)
install_log_redaction()

USER_AGENT = "jupyterlab-modelarts/0.1"
CA_BUNDLE_ENV = ("MODELARTS_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE")
_LOOPBACK = ("all://127.0.0.1", "all://localhost", "all://[::1]")

QueryValue = str | int | float | bool | None
Query = Mapping[str, QueryValue | list[str]] | None
Reconcile = Callable[[], Awaitable[Any]]


def ssl_context(ca_bundle: str | None = None) -> ssl.SSLContext:
    """A verifying context from ``ca_bundle``, else the first CA bundle named by the environment
    (``MODELARTS_CA_BUNDLE``, ``REQUESTS_CA_BUNDLE``, ``SSL_CERT_FILE``, ``CURL_CA_BUNDLE``)."""
    source = "ca_bundle"
    cafile = ca_bundle
    if cafile is None:
        source, cafile = next(
            ((name, os.environ[name]) for name in CA_BUNDLE_ENV if os.environ.get(name)),
            (source, None),
        )
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise ValidationError(f"cannot load CA bundle {cafile!r}: {exc}", field=source) from None


class HttpSession:
    """One connection pool for one account. Use as an async context manager or call
    :meth:`aclose`."""

    def __init__(
        self,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        ca_bundle: str | None = None,
        max_connections: int = 100,
        max_in_flight: int | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.max_in_flight = max_in_flight
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        verify = ssl_context(ca_bundle)
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=50)
        mounts: dict[str, httpx.AsyncBaseTransport | None] = {}
        if transport is None and urllib.request.getproxies():
            # Local ModelArts and other loopback services never go through a proxy.
            direct = httpx.AsyncHTTPTransport(verify=verify, limits=limits)
            mounts = dict.fromkeys(_LOOPBACK, direct)
        self.client = httpx.AsyncClient(
            verify=verify,
            limits=limits,
            trust_env=True,
            transport=transport,
            mounts=mounts or None,
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(self.timeouts.read, connect=self.timeouts.connect),
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> HttpSession:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def in_flight_limit(self, endpoint: str) -> int:
        """How many calls to ``endpoint`` may be on the wire at once; more wait their turn.

        httpcore's pool checks every pooled connection of a host on each request, so its cost
        per request grows with the number of connections. Measured against Local ModelArts
        (50 concurrent callers): 4 connections gave ~0.5 ms client CPU per request, 16 gave
        ~1.2 ms and 50 ~2.4 ms. A loopback service answers in well under a millisecond, so a
        few connections keep it busy; a remote cloud needs more calls in flight to hide its
        round trips.
        """
        if self.max_in_flight is not None:
            return self.max_in_flight
        host = httpx.URL(endpoint).host
        return 4 if host in ("127.0.0.1", "localhost", "::1") else 32

    def timeout_for(self, kind: CallKind) -> httpx.Timeout:
        seconds = self.timeouts.for_kind(kind)
        return httpx.Timeout(seconds, connect=self.timeouts.connect)


def encode_query(query: Query) -> str:
    """The canonical query string (sorted, ``%20`` for spaces, booleans as ``true``) that
    SDK-HMAC-SHA256 signs and that therefore goes on the wire for every service."""
    if not query:
        return ""
    pairs: list[tuple[str, str]] = []
    for key, value in query.items():
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, bool):
                item = "true" if item else "false"
            pairs.append((key, str(item)))
    return sdk_canonical_query(pairs)


def encode_json(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def decode_body(response: httpx.Response) -> Any:
    content = response.content
    if not content.strip():
        return None
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", "replace")


# Failures after which the server may or may not have acted on the request.
_AMBIGUOUS = (httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.WriteError,
              httpx.RemoteProtocolError)  # fmt: skip
_AMBIGUOUS_STATUSES = frozenset({500, 502, 504})


class Reply(NamedTuple):
    status: int
    headers: httpx.Headers
    body: Any


class _Outcome:
    """Why an attempt failed, for the retry decision."""

    __slots__ = ("error", "reached_server", "retry_after")

    def __init__(self, error: CloudError, reached_server: bool, retry_after: float | None = None):
        self.error = error
        self.reached_server = reached_server
        self.retry_after = retry_after


#: RFC 3986 path characters left as they are; anything else in an id is percent-encoded.
_PATH_SAFE = "-._~!$&'()*+,;=:@"


def encode_path(path: str) -> str:
    """``path`` with each segment percent-encoded. Ids come from users: one must never move a
    request to another resource, so ``.`` and ``..`` segments are refused."""
    segments = path.split("/")
    for segment in segments[1:]:
        if segment in (".", ".."):
            raise ValidationError(f"{segment!r} is not a valid id", field="id")
    return "/".join(quote(segment, safe=_PATH_SAFE) for segment in segments)


class ServiceClient:
    """One service endpoint (ModelArts, IAM or PAI) with one authenticator."""

    def __init__(
        self,
        session: HttpSession,
        endpoint: str,
        auth: Authenticator,
        *,
        service: str,
        default_headers: Mapping[str, str] | None = None,
        check_body: Callable[[int, httpx.Headers, Any], CloudError | None] | None = None,
    ) -> None:
        self.session = session
        self.endpoint = endpoint.rstrip("/")
        self.auth = auth
        self.service = service
        self._default_headers = dict(default_headers or {})
        self._check_body = check_body
        self._in_flight = asyncio.Semaphore(session.in_flight_limit(self.endpoint))

    async def call(
        self,
        method: str,
        path: str,
        *,
        query: Query = None,
        body: Any = None,
        kind: CallKind = CallKind.READ,
        headers: Mapping[str, str] | None = None,
        reconcile: Reconcile | None = None,
    ) -> Any:
        """Send one API call and return its decoded JSON body (None if empty).

        ``reconcile`` (creates only) looks the resource up after a failure whose outcome is
        unknown; if it finds it, its result is returned instead of creating again.
        """
        result = await self._execute(method, path, query, body, kind, headers, reconcile)
        return result.body if isinstance(result, Reply) else result

    async def send(
        self,
        method: str,
        path: str,
        *,
        query: Query = None,
        body: Any = None,
        kind: CallKind = CallKind.READ,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Like :meth:`call` (without reconciliation) but also gives the response headers."""
        result = await self._execute(method, path, query, body, kind, headers, None)
        assert isinstance(result, Reply)
        return result

    async def _execute(
        self,
        method: str,
        path: str,
        query: Query,
        body: Any,
        kind: CallKind,
        headers: Mapping[str, str] | None,
        reconcile: Reconcile | None,
    ) -> Any:
        path = encode_path(path)
        content = encode_json(body) if body is not None else b""
        query_string = encode_query(query)
        url = f"{self.endpoint}{path}" + (f"?{query_string}" if query_string else "")
        base_headers = {**self._default_headers, "Content-Type": "application/json"}
        if headers:
            base_headers.update(headers)
        retry = self.session.retry
        timeout = self.session.timeout_for(kind)
        refreshed = False
        uncertain = False  # an earlier attempt may have been acted on
        attempt = 0
        while True:
            attempt += 1
            if uncertain and reconcile is not None:
                found = await reconcile()
                if found is not None:
                    log.info("%s %s: reconciled after an unknown outcome", method, path)
                    return found
            outcome = await self._attempt(method, url, base_headers, content, timeout)
            if isinstance(outcome, Reply):
                return outcome
            error = outcome.error
            if error.status == 401 and not refreshed and await self.auth.refresh():
                refreshed = True
                attempt -= 1  # a new token is not a retry
                continue
            if uncertain and kind is CallKind.DELETE and isinstance(error, NotFoundError):
                return None  # an earlier attempt deleted it
            if not self._retryable(kind, outcome, reconcile is not None):
                raise error
            delay = retry.delay(attempt, outcome.retry_after)
            if delay is None:
                raise error
            uncertain = uncertain or outcome.reached_server
            if uncertain and reconcile is not None:
                delay = max(delay, retry.reconcile_delay)
            log.debug("%s %s failed (%s); retry %d in %.2fs", method, path, error, attempt, delay)
            await asyncio.sleep(delay)

    def _retryable(self, kind: CallKind, outcome: _Outcome, can_reconcile: bool) -> bool:
        error = outcome.error
        if not outcome.reached_server:
            return True  # nothing was sent: any call may be sent again
        if isinstance(error, RateLimitError) or error.status == 503:
            return True  # the server refused to act
        status = error.status
        transient = status is None or status in self.session.retry.retry_statuses_idempotent
        if kind.idempotent:
            return transient
        if kind is CallKind.CREATE and can_reconcile:
            return status is None or status in _AMBIGUOUS_STATUSES
        return False

    async def _attempt(
        self, method: str, url: str, headers: dict[str, str], content: bytes, timeout: httpx.Timeout
    ) -> Reply | _Outcome:
        signed_url, signed_headers = await self.auth.authorize(method, url, headers, content)
        try:
            async with self._in_flight:
                response = await self.session.client.request(
                    method, signed_url, headers=signed_headers, content=content, timeout=timeout
                )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            return _Outcome(self._network_error(exc, method, url), reached_server=False)
        except _AMBIGUOUS as exc:
            return _Outcome(self._network_error(exc, method, url), reached_server=True)
        except httpx.TransportError as exc:
            return _Outcome(self._network_error(exc, method, url), reached_server=True)
        decoded = decode_body(response)
        error: CloudError | None = None
        if response.status_code >= 400:
            error = error_from_response(
                response.status_code, response.headers, decoded, service=self.service
            )
        elif self._check_body is not None:
            error = self._check_body(response.status_code, response.headers, decoded)
        if error is None:
            return Reply(response.status_code, response.headers, decoded)
        retry_after = error.retry_after if isinstance(error, RateLimitError) else None
        if retry_after is None and response.status_code == 503:
            retry_after = parse_retry_after(response.headers)
        return _Outcome(error, reached_server=True, retry_after=retry_after)

    def _network_error(self, exc: httpx.TransportError, method: str, url: str) -> NetworkError:
        target = url.split("?", 1)[0]
        if isinstance(exc, httpx.TimeoutException):
            return TimeoutError(
                f"{method} {target} timed out ({type(exc).__name__})", service=self.service
            )
        return NetworkError(
            f"{method} {target} failed: {type(exc).__name__}: {exc}", service=self.service
        )
