"""Request signatures: SDK-HMAC-SHA256 (Huawei Cloud APIs) and ACS3-HMAC-SHA256 (Alibaba Cloud).

Both sides use this module: the async client signs with :class:`SdkHmacSigner` /
:class:`Acs3Signer` (objects holding the key bytes, cheap per request), and Local ModelArts
verifies by recomputing the string to sign from the raw path, raw query and raw body bytes
(:func:`sdk_string_to_sign`, :func:`acs3_string_to_sign`). The algorithms follow the official
SDKs byte for byte (huaweicloudsdkcore ``Signer``, alibabacloud_tea_openapi ``get_authorization``);
tests/cloud/test_signing.py checks that against them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote, unquote, unquote_plus, urlsplit

SDK_ALGORITHM = "SDK-HMAC-SHA256"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
SDK_CONTENT_SHA256 = "X-Sdk-Content-Sha256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
ACS3_ALGORITHM = "ACS3-HMAC-SHA256"
ACS3_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

QueryPairs = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class SignedRequest:
    """What to send: the URL (with the canonical query string) and every header to set."""

    url: str
    headers: dict[str, str]


def _encode(text: str) -> str:
    return quote(text, safe="~")


def _hmac_hex(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def parse_query(raw_query: str, *, plus_is_space: bool = False) -> list[tuple[str, str]]:
    """Decoded (key, value) pairs of a raw query string, keeping repeated and empty keys.

    Huawei signers send spaces as ``%20`` and a literal ``+`` as ``%2B``, so ``+`` stays a plus
    by default; Alibaba clients form-encode (``plus_is_space=True``).
    """
    decode = unquote_plus if plus_is_space else unquote
    pairs = []
    for part in raw_query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((decode(key), decode(value)))
    return pairs


def _split_url(url: str) -> tuple[str, str, str]:
    """(scheme://netloc, raw path, raw query) of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}", parts.path or "/", parts.query


# --- SDK-HMAC-SHA256 -------------------------------------------------------------------------


def sdk_canonical_uri(raw_path: str) -> str:
    """Decode the raw path once, re-encode each segment, always end with ``/``."""
    uri = "/".join(_encode(segment) for segment in unquote(raw_path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def sdk_canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Sorted by decoded (key, value); this exact string also goes on the wire."""
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(pairs))


def sdk_payload_hash(body: bytes, content_sha256: str | None) -> str:
    """Hex SHA-256 of the body; an empty body always hashes as empty, whatever the header says."""
    if not body:
        return EMPTY_SHA256
    if content_sha256:
        return content_sha256
    return hashlib.sha256(body).hexdigest()


def sdk_string_to_sign(
    method: str,
    raw_path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    body: bytes,
    sdk_date: str,
) -> str:
    """The SDK-HMAC-SHA256 string to sign. ``headers`` is looked up with lowercase names
    (a case-insensitive mapping such as tornado's ``HTTPHeaders`` works as is)."""
    canonical_headers = "".join(
        f"{name}:{(headers.get(name) or '').strip()}\n" for name in signed_headers
    )
    canonical_request = "\n".join(
        (
            method.upper(),
            sdk_canonical_uri(raw_path),
            sdk_canonical_query(query),
            canonical_headers,
            ";".join(signed_headers),
            sdk_payload_hash(body, headers.get(SDK_CONTENT_SHA256.lower())),
        )
    )
    digest = hashlib.sha256(canonical_request.encode()).hexdigest()
    return f"{SDK_ALGORITHM}\n{sdk_date}\n{digest}"


@dataclass(frozen=True)
class SdkAuthorization:
    """A parsed ``Authorization: SDK-HMAC-SHA256 ...`` header."""

    access_key: str
    signed_headers: tuple[str, ...]
    signature: str


_SDK_AUTH = re.compile(
    r"SDK-HMAC-SHA256\s+(?:Access=(?P<access>[^,\s]+)|Credential=(?P<credential>[^,\s]+))\s*,"
    r"\s*SignedHeaders=(?P<headers>[^,\s]+)\s*,\s*Signature=(?P<signature>[0-9a-fA-F]+)\s*"
)


def parse_sdk_authorization(value: str) -> SdkAuthorization | None:
    """Accepts ``Access=AK`` (current SDKs) and ``Credential=AK/date//service/sdk_request``
    (seed 004); None if the header is not an SDK-HMAC-SHA256 authorization."""
    match = _SDK_AUTH.fullmatch(value.strip())
    if match is None:
        return None
    access = match["access"] or match["credential"].split("/", 1)[0]
    return SdkAuthorization(
        access_key=access,
        signed_headers=tuple(match["headers"].split(";")),
        signature=match["signature"].lower(),
    )


class SdkHmacSigner:
    """Signs requests with one AK/SK pair (and a security token for temporary keys)."""

    def __init__(self, access_key: str, secret_key: str, security_token: str | None = None):
        self.access_key = access_key
        self._key = secret_key.encode()
        self._security_token = security_token

    def signature(self, string_to_sign: str) -> str:
        return _hmac_hex(self._key, string_to_sign)

    def sign(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        *,
        now: datetime | None = None,
    ) -> SignedRequest:
        """Sign every header given plus Host and X-Sdk-Date (X-Security-Token if temporary).

        A body whose Content-Type is not JSON is sent as UNSIGNED-PAYLOAD (no hashing of
        uploads), as the official SDK does.
        """
        origin, raw_path, raw_query = _split_url(url)
        out = {name: str(value).strip() for name, value in (headers or {}).items()}
        lowered = {name.lower(): value for name, value in out.items()}
        content_type = lowered.get("content-type", "")
        if content_type and not content_type.startswith(("application/json", "application/bson")):
            out[SDK_CONTENT_SHA256] = UNSIGNED_PAYLOAD
        if "x-sdk-date" not in lowered:
            out["X-Sdk-Date"] = (now or datetime.now(timezone.utc)).strftime(SDK_DATE_FORMAT)
        if "host" not in lowered:
            out["Host"] = urlsplit(url).netloc
        if self._security_token is not None:
            out["X-Security-Token"] = self._security_token
        lowered = {name.lower(): value for name, value in out.items()}
        signed = sorted(name for name in lowered if "_" not in name)
        query = parse_query(raw_query)
        to_sign = sdk_string_to_sign(
            method, raw_path, query, lowered, signed, body, lowered["x-sdk-date"]
        )
        out["Authorization"] = (
            f"{SDK_ALGORITHM} Access={self.access_key}, SignedHeaders={';'.join(signed)}, "
            f"Signature={self.signature(to_sign)}"
        )
        canonical_query = sdk_canonical_query(query)
        return SignedRequest(
            url=f"{origin}{raw_path}" + (f"?{canonical_query}" if canonical_query else ""),
            headers=out,
        )


# --- ACS3-HMAC-SHA256 ------------------------------------------------------------------------


def acs3_canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Keys sorted and left as they are, values encoded; a repeated key keeps its last value
    (the Alibaba SDKs hold the query in a dict)."""
    query = dict(pairs)
    return "&".join(f"{key}={_encode(query[key])}" for key in sorted(query))


def acs3_string_to_sign(
    method: str,
    raw_path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, Sequence[str]],
    signed_headers: Sequence[str],
    payload_hash: str,
) -> str:
    """The ACS3-HMAC-SHA256 string to sign; ``headers`` maps lowercase names to their values."""
    canonical_headers = "".join(
        f"{name}:{','.join(sorted(v.strip() for v in headers.get(name, ())))}\n"
        for name in signed_headers
    )
    canonical_request = (
        f"{method}\n{raw_path or '/'}\n{acs3_canonical_query(query)}\n{canonical_headers}\n"
        f"{';'.join(signed_headers)}\n{payload_hash}"
    )
    return f"{ACS3_ALGORITHM}\n{hashlib.sha256(canonical_request.encode()).hexdigest()}"


@dataclass(frozen=True)
class Acs3Authorization:
    access_key: str
    signed_headers: tuple[str, ...]
    signature: str


_ACS3_AUTH = re.compile(
    r"ACS3-HMAC-SHA256\s+Credential=(?P<access>[^,\s]+)\s*,\s*SignedHeaders=(?P<headers>[^,\s]*)"
    r"\s*,\s*Signature=(?P<signature>[0-9a-fA-F]+)\s*"
)


def parse_acs3_authorization(value: str) -> Acs3Authorization | None:
    match = _ACS3_AUTH.fullmatch(value.strip())
    if match is None:
        return None
    return Acs3Authorization(
        access_key=match["access"],
        signed_headers=tuple(h for h in match["headers"].split(";") if h),
        signature=match["signature"].lower(),
    )


class Acs3Signer:
    """Signs Alibaba Cloud ROA requests (PAI DSW) with one AccessKey pair."""

    def __init__(
        self, access_key_id: str, access_key_secret: str, security_token: str | None = None
    ):
        self.access_key_id = access_key_id
        self._key = access_key_secret.encode()
        self._security_token = security_token

    def signature(self, string_to_sign: str) -> str:
        return _hmac_hex(self._key, string_to_sign)

    def sign(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        *,
        now: datetime | None = None,
    ) -> SignedRequest:
        """Adds host, x-acs-date, x-acs-signature-nonce, x-acs-content-sha256 and signs every
        header. The caller sets x-acs-action and x-acs-version. The query goes on the wire as
        given."""
        _origin, raw_path, raw_query = _split_url(url)
        out = {name.lower(): str(value).strip() for name, value in (headers or {}).items()}
        out.setdefault("host", urlsplit(url).netloc)
        out.setdefault("x-acs-date", (now or datetime.now(timezone.utc)).strftime(ACS3_DATE_FORMAT))
        out.setdefault("x-acs-signature-nonce", secrets.token_hex(16))
        out["x-acs-content-sha256"] = hashlib.sha256(body).hexdigest()
        if self._security_token is not None:
            out["x-acs-accesskey-id"] = self.access_key_id
            out["x-acs-security-token"] = self._security_token
        signed = sorted(out)
        to_sign = acs3_string_to_sign(
            method.upper(),
            raw_path,
            parse_query(raw_query, plus_is_space=True),
            {name: (value,) for name, value in out.items()},
            signed,
            out["x-acs-content-sha256"],
        )
        out["Authorization"] = (
            f"{ACS3_ALGORITHM} Credential={self.access_key_id},SignedHeaders={';'.join(signed)},"
            f"Signature={self.signature(to_sign)}"
        )
        return SignedRequest(url=url, headers=out)
