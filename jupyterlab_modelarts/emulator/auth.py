"""Who is calling: IAM tokens, SDK-HMAC-SHA256 (ModelArts, IAM), ACS3 (PAI) and the admin key.

Every check raises :class:`ApiError` with a documented code before the handler runs, so a
refused request changes nothing. ModelArts codes (004 §10.2): 0201 token missing, 0202 token
expired, 0203 token invalid, 0210 project in the URI is not the caller's, 0211 AK/SK failed
verification. OBS signatures live in obs_auth.py.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from tornado.httputil import HTTPServerRequest

from ..cloud.signing import (
    ACS3_DATE_FORMAT,
    SDK_DATE_FORMAT,
    Acs3Signer,
    SdkHmacSigner,
    acs3_string_to_sign,
    parse_acs3_authorization,
    parse_query,
    parse_sdk_authorization,
    sdk_string_to_sign,
)
from .context import EmulatorContext
from .errors import ApiError

TOKENS = "iam_tokens"
TEMPORARY_CREDENTIALS = "iam_temporary_credentials"

_PROJECT_IN_PATH = re.compile(r"^/v[12]/([^/]+)(?:/|$)")


class AuthScheme(enum.Enum):
    """How a handler's callers prove who they are."""

    NONE = "none"
    #: X-Auth-Token or SDK-HMAC-SHA256; the project id in /v1|/v2/{project_id}/ must be theirs.
    MODELARTS = "modelarts"
    #: X-Auth-Token or SDK-HMAC-SHA256, no project in the path (IAM queries).
    IAM = "iam"
    #: AWS v2, AWS v4 or OBS signatures (obs_auth.py).
    OBS = "obs"
    #: ACS3-HMAC-SHA256 with the PAI AccessKey.
    PAI = "pai"
    #: X-Admin-Key equal to the configured admin key.
    ADMIN = "admin"


@dataclass(frozen=True)
class Caller:
    """An authenticated caller."""

    #: "token", "aksk", "temporary-aksk", "obs", "acs3", "admin" or "anonymous"
    method: str
    project_id: str | None = None
    user_name: str | None = None
    access_key: str | None = None


ANONYMOUS = Caller(method="anonymous")


def _unauthorized(code: str, message: str) -> ApiError:
    return ApiError(401, code, message)


def issue_token(
    ctx: EmulatorContext, *, methods: list[str], account_scoped: bool = False
) -> tuple[str, dict]:
    """A new IAM token for the configured user, scoped to the configured project or, with
    `account_scoped`, to the account (no project: project APIs answer 0210): (token, record)."""
    token = "MIIL" + secrets.token_urlsafe(96)
    issued = ctx.now()
    record = {
        "key": _token_key(token),
        "project_id": None if account_scoped else ctx.config.project_id,
        "user_name": ctx.config.iam_user,
        "methods": methods,
        "issued_at": issued,
        "expires_at": issued + ctx.config.token_ttl_seconds,
    }
    ctx.store.put(TOKENS, _token_key(token), record)
    return token, record


def expire_tokens(ctx: EmulatorContext) -> int:
    """Make every issued token expired now (fault injection); returns how many."""
    expired = 0
    with ctx.store.transaction():
        for record in ctx.store.list(TOKENS):
            record["expires_at"] = min(record["expires_at"], ctx.now() - 1)
            ctx.store.put(TOKENS, record["key"], record)
            expired += 1
    return expired


def _token_key(token: str) -> str:
    # Tokens are stored by digest so that the database file holds no usable token.
    return hashlib.sha256(token.encode()).hexdigest()


def caller_from_token(ctx: EmulatorContext, token: str) -> Caller:
    if not token.strip():
        raise _unauthorized("ModelArts.0201", "The token does not exist.")
    record = ctx.store.get(TOKENS, _token_key(token.strip()))
    if record is None:
        raise _unauthorized("ModelArts.0203", "The token is invalid.")
    if record["expires_at"] <= ctx.now():
        raise _unauthorized("ModelArts.0202", "The token has expired.")
    return Caller(method="token", project_id=record["project_id"], user_name=record["user_name"])


def _sdk_secret(
    ctx: EmulatorContext, request: HTTPServerRequest, access_key: str
) -> tuple[str, str]:
    """(secret key, caller method) for an access key, checking X-Security-Token for temporary
    keys."""
    config = ctx.config
    security_token = request.headers.get("X-Security-Token")
    if hmac.compare_digest(access_key, config.access_key) and security_token is None:
        return config.secret_key, "aksk"
    temporary = ctx.store.get(TEMPORARY_CREDENTIALS, access_key)
    if temporary is None or security_token is None:
        raise _unauthorized(
            "ModelArts.0211", "The AK/SK failed IAM verification: unknown access key."
        )
    if not hmac.compare_digest(security_token, temporary["securitytoken"]):
        raise _unauthorized(
            "ModelArts.0211", "The AK/SK failed IAM verification: wrong security token."
        )
    if temporary["expires_at"] <= ctx.now():
        raise _unauthorized("ModelArts.0211", "The temporary AK/SK has expired.")
    return temporary["secret"], "temporary-aksk"


def caller_from_sdk_signature(ctx: EmulatorContext, request: HTTPServerRequest) -> Caller:
    auth = parse_sdk_authorization(request.headers.get("Authorization", ""))
    if auth is None:
        raise _unauthorized("ModelArts.0211", "The Authorization header is not SDK-HMAC-SHA256.")
    sdk_date = request.headers.get("X-Sdk-Date", "")
    try:
        signed_at = datetime.strptime(sdk_date, SDK_DATE_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        raise _unauthorized("ModelArts.0211", "X-Sdk-Date is missing or malformed.") from None
    if abs(signed_at.timestamp() - ctx.now()) > ctx.config.signature_skew_seconds:
        raise _unauthorized(
            "ModelArts.0211",
            "The request date differs from the server time by more than 15 minutes.",
        )
    if "x-sdk-date" not in auth.signed_headers:
        raise _unauthorized("ModelArts.0211", "X-Sdk-Date must be a signed header.")
    secret, method = _sdk_secret(ctx, request, auth.access_key)
    if method == "temporary-aksk" and "x-security-token" not in auth.signed_headers:
        raise _unauthorized("ModelArts.0211", "X-Security-Token must be a signed header.")
    to_sign = sdk_string_to_sign(
        request.method or "GET",
        request.path,
        parse_query(request.query),
        request.headers,
        auth.signed_headers,
        request.body,
        sdk_date,
    )
    expected = SdkHmacSigner(auth.access_key, secret).signature(to_sign)
    if not hmac.compare_digest(expected, auth.signature):
        raise _unauthorized(
            "ModelArts.0211", "The AK/SK failed IAM verification: signature mismatch."
        )
    return Caller(
        method=method,
        project_id=ctx.config.project_id,
        user_name=ctx.config.iam_user,
        access_key=auth.access_key,
    )


def authenticate_modelarts(
    ctx: EmulatorContext, request: HTTPServerRequest, *, project_scoped: bool
) -> Caller:
    """Token or AK/SK; for project-scoped paths the project id must be the caller's."""
    if "X-Auth-Token" in request.headers:
        caller = caller_from_token(ctx, request.headers["X-Auth-Token"])
    elif "Authorization" in request.headers:
        caller = caller_from_sdk_signature(ctx, request)
    else:
        raise _unauthorized(
            "ModelArts.0201", "The token does not exist: send X-Auth-Token or sign the request."
        )
    if project_scoped:
        match = _PROJECT_IN_PATH.match(request.path)
        if match is None or match.group(1) != caller.project_id:
            raise ApiError(
                403,
                "ModelArts.0210",
                "The project ID in the URI is inconsistent with the project of the credentials.",
            )
    return caller


def authenticate_pai(ctx: EmulatorContext, request: HTTPServerRequest) -> Caller:
    """ACS3-HMAC-SHA256 with the configured PAI AccessKey (PAI error codes)."""
    auth = parse_acs3_authorization(request.headers.get("Authorization", ""))
    if auth is None:
        raise ApiError(
            401, "MissingAuthorization", "The ACS3-HMAC-SHA256 Authorization header is missing."
        )
    if not hmac.compare_digest(auth.access_key, ctx.config.pai_access_key):
        raise ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    try:
        signed_at = datetime.strptime(request.headers.get("x-acs-date", ""), ACS3_DATE_FORMAT)
    except ValueError:
        raise ApiError(400, "MissingParameter", "x-acs-date is missing or malformed.") from None
    if (
        abs(signed_at.replace(tzinfo=timezone.utc).timestamp() - ctx.now())
        > ctx.config.signature_skew_seconds
    ):
        raise ApiError(
            400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."
        )
    payload_hash = request.headers.get("x-acs-content-sha256", "")
    if payload_hash != hashlib.sha256(request.body).hexdigest():
        raise ApiError(400, "IncompleteSignature", "x-acs-content-sha256 does not match the body.")
    to_sign = acs3_string_to_sign(
        request.method or "GET",
        request.path,
        parse_query(request.query, plus_is_space=True),
        {name: request.headers.get_list(name) for name in auth.signed_headers},
        auth.signed_headers,
        payload_hash,
    )
    expected = Acs3Signer(auth.access_key, ctx.config.pai_secret).signature(to_sign)
    if not hmac.compare_digest(expected, auth.signature):
        raise ApiError(
            400,
            "IncompleteSignature",
            "The request signature does not conform to Aliyun standards.",
        )
    return Caller(method="acs3", access_key=auth.access_key)


def check_headers(ctx: EmulatorContext, request: HTTPServerRequest, scheme: AuthScheme) -> None:
    """What the headers alone tell of the credentials, before a body is read: a token must be
    valid, an access key one of ours, an admin key right. Raises as the full check would."""
    if scheme in (AuthScheme.MODELARTS, AuthScheme.IAM):
        if "X-Auth-Token" in request.headers:
            caller_from_token(ctx, request.headers["X-Auth-Token"])
        elif "Authorization" in request.headers:
            parsed = parse_sdk_authorization(request.headers["Authorization"])
            if parsed is None:
                raise _unauthorized(
                    "ModelArts.0211", "The Authorization header is not SDK-HMAC-SHA256."
                )
            _sdk_secret(ctx, request, parsed.access_key)
        else:
            raise _unauthorized(
                "ModelArts.0201", "The token does not exist: send X-Auth-Token or sign the request."
            )
    elif scheme is AuthScheme.PAI:
        found = parse_acs3_authorization(request.headers.get("Authorization", ""))
        if found is None:
            raise ApiError(
                401, "MissingAuthorization", "The ACS3-HMAC-SHA256 Authorization header is missing."
            )
        if not hmac.compare_digest(found.access_key, ctx.config.pai_access_key):
            raise ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    elif scheme is AuthScheme.ADMIN:
        authenticate_admin(ctx, request)


def authenticate_admin(ctx: EmulatorContext, request: HTTPServerRequest) -> Caller:
    if not hmac.compare_digest(request.headers.get("X-Admin-Key", ""), ctx.config.admin_key):
        raise ApiError(401, "LocalModelArts.Admin", "The X-Admin-Key header is missing or wrong.")
    return Caller(method="admin")
