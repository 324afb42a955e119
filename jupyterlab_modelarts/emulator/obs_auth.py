"""OBS request signatures, verified from the raw request: AWS v2 (``AWS AK:sig``), the native
OBS family (``OBS AK:sig`` with ``x-obs-*`` headers) and AWS v4 (``AWS4-HMAC-SHA256``), as
esdk-obs-python and S3 clients send them (path-style addressing).

Failures use the OBS/S3 codes: AccessDenied (no signature), InvalidAccessKeyId,
SignatureDoesNotMatch, RequestTimeTooSkewed (all 403), XAmzContentSHA256Mismatch (400).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote

from tornado.httputil import HTTPServerRequest

from .auth import Caller
from .context import EmulatorContext
from .errors import ApiError, Family

_V2 = re.compile(r"(?P<family>AWS|OBS) (?P<access>[^:\s]+):(?P<signature>\S+)")
_V4 = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<access>[^/\s]+)/(?P<date>\d{8})/(?P<region>[^/\s]*)/"
    r"(?P<service>[^/\s]+)/aws4_request\s*,\s*SignedHeaders=(?P<headers>[^,\s]+)\s*,"
    r"\s*Signature=(?P<signature>[0-9a-f]{64})"
)
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"


@functools.cache
def _subresources() -> frozenset[str]:
    """The query parameters an OBS signature covers, as the SDK lists them. Its package loads
    its whole crypto suite (170 ms), so this waits for the first OBS request instead of slowing
    every start of Local ModelArts."""
    from obs.const import ALLOWED_RESOURCE_PARAMTER_NAMES

    return frozenset(ALLOWED_RESOURCE_PARAMTER_NAMES)


def _error(status: int, code: str, message: str) -> ApiError:
    return ApiError(status, code, message, family=Family.OBS)


def raw_query_items(raw_query: str) -> list[tuple[str, str | None]]:
    """Decoded query items; a key without ``=`` (``?uploads``) has the value None."""
    items: list[tuple[str, str | None]] = []
    for part in raw_query.split("&"):
        if not part:
            continue
        key, equals, value = part.partition("=")
        items.append((unquote(key), unquote(value) if equals else None))
    return items


def header_prefix(request: HTTPServerRequest) -> str:
    """``x-obs-`` for the native OBS family, ``x-amz-`` otherwise (for response headers too)."""
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("OBS ") or any(
        k.lower().startswith("x-obs-") for k in request.headers
    ):
        return "x-obs-"
    return "x-amz-"


def authenticate_obs(ctx: EmulatorContext, request: HTTPServerRequest) -> Caller:
    """Verify whichever signature the request carries (headers only: payloads of v4 requests
    with a hashed body are checked by :func:`check_payload_hash` once the body is in)."""
    authorization = request.headers.get("Authorization", "")
    if not authorization:
        raise _error(403, "AccessDenied", "Anonymous access is not allowed: sign the request.")
    if authorization.startswith("AWS4-HMAC-SHA256"):
        return _verify_v4(ctx, request, authorization)
    match = _V2.fullmatch(authorization.strip())
    if match is None:
        raise _error(400, "InvalidArgument", "Unsupported Authorization header.")
    return _verify_v2(ctx, request, match)


def _secret_for(ctx: EmulatorContext, access_key: str) -> str:
    if not hmac.compare_digest(access_key, ctx.config.access_key):
        raise _error(403, "InvalidAccessKeyId", "The access key Id you provided does not exist.")
    return ctx.config.secret_key


def _check_skew(ctx: EmulatorContext, signed_at: datetime) -> None:
    if abs(signed_at.timestamp() - ctx.now()) > ctx.config.signature_skew_seconds:
        raise _error(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the server's time is too large.",
        )


def _resource(request: HTTPServerRequest) -> str:
    return quote(unquote(request.path), safe="/~")


def _verify_v2(ctx: EmulatorContext, request: HTTPServerRequest, match: re.Match[str]) -> Caller:
    prefix = "x-obs-" if match["family"] == "OBS" else "x-amz-"
    secret = _secret_for(ctx, match["access"])
    date_header = request.headers.get(prefix + "date") or request.headers.get("Date", "")
    try:
        signed_at = parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        raise _error(403, "AccessDenied", "The Date header is missing or malformed.") from None
    _check_skew(ctx, signed_at if signed_at.tzinfo else signed_at.replace(tzinfo=timezone.utc))

    interesting: dict[str, str] = {"content-md5": "", "content-type": ""}
    for name, value in request.headers.get_all():
        lowered = name.lower()
        if lowered in ("content-md5", "content-type", "date") or lowered.startswith(prefix):
            interesting[lowered] = value
    if prefix + "date" in interesting:
        interesting["date"] = ""
    lines = [request.method or "GET"]
    for name in sorted(interesting):
        value = interesting[name]
        lines.append(f"{name}:{value.strip()}" if name.startswith(prefix) else value)
    subresources = sorted(
        (k, v)
        for k, v in raw_query_items(request.query)
        if k.lower() in _subresources() or k.lower().startswith(prefix)
    )
    query = "&".join(k if v is None else f"{k}={v}" for k, v in subresources)
    resource = _resource(request)
    # esdk-obs-python signs a bucket as "/bucket", other S3 clients as "/bucket/".
    candidates = {
        resource,
        resource.rstrip("/") or "/",
        resource if resource.endswith("/") else resource + "/",
    }
    key = secret.encode()
    for candidate in candidates:
        to_sign = "\n".join(lines) + "\n" + candidate + (f"?{query}" if query else "")
        digest = hmac.new(key, to_sign.encode(), hashlib.sha1).digest()
        if hmac.compare_digest(base64.b64encode(digest).decode(), match["signature"]):
            return Caller(
                method="obs", access_key=match["access"], project_id=ctx.config.project_id
            )
    raise _error(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
    )


def _verify_v4(ctx: EmulatorContext, request: HTTPServerRequest, authorization: str) -> Caller:
    match = _V4.fullmatch(authorization.strip())
    if match is None:
        raise _error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed.")
    secret = _secret_for(ctx, match["access"])
    amz_date = request.headers.get("x-amz-date")
    try:
        if amz_date:
            signed_at = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        else:
            signed_at = parsedate_to_datetime(request.headers.get("Date", ""))
    except (TypeError, ValueError):
        raise _error(403, "AccessDenied", "x-amz-date or Date is missing or malformed.") from None
    _check_skew(ctx, signed_at)
    long_date = amz_date or signed_at.strftime("%Y%m%dT%H%M%SZ")
    signed_headers = match["headers"].split(";")
    canonical_headers = "".join(
        f"{name}:{','.join(v.strip() for v in request.headers.get_list(name))}\n"
        for name in signed_headers
    )
    query = sorted((k, v or "") for k, v in raw_query_items(request.query))
    canonical_query = "&".join(f"{quote(k, safe='/~')}={quote(v, safe='~')}" for k, v in query)
    payload = request.headers.get("x-amz-content-sha256", UNSIGNED_PAYLOAD)
    canonical_request = "\n".join(
        (
            request.method or "GET",
            _resource(request),
            canonical_query,
            canonical_headers,
            match["headers"],
            payload,
        )
    )
    scope = f"{match['date']}/{match['region']}/{match['service']}/aws4_request"
    to_sign = "\n".join(
        (
            "AWS4-HMAC-SHA256",
            long_date,
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        )
    )
    key = ("AWS4" + secret).encode()
    for part in (match["date"], match["region"], match["service"], "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, match["signature"]):
        raise _error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
    return Caller(method="obs", access_key=match["access"], project_id=ctx.config.project_id)


def check_payload_hash(request: HTTPServerRequest, sha256_hex: str) -> None:
    """For v4 requests that signed a body hash: the body received must have that hash."""
    declared = request.headers.get("x-amz-content-sha256")
    if declared and declared != UNSIGNED_PAYLOAD and not declared.startswith("STREAMING-"):
        if declared.lower() != sha256_hex:
            raise _error(
                400,
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            )
