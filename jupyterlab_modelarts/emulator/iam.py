"""IAM (Keystone v3 as Huawei IAM implements it): version document, password tokens, project
lookup and temporary AK/SK (security tokens).

One domain, one user and one project (named after the region) come from the config. Tokens
are kept in the store, so they survive a restart until they expire.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timezone
from typing import Any

from . import auth
from .auth import AuthScheme
from .errors import ApiError, Family
from .handler import EmulatorHandler

#: Bounds of temporary AK/SK lifetimes (Huawei IAM: 15 minutes to 24 hours).
_SECURITY_TOKEN_SECONDS = (900, 86400)


def _stable_id(*parts: str) -> str:
    """A 32-hex id derived from names, stable across restarts."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:32]


def iso_time(epoch: float) -> str:
    """Keystone timestamp: 2019-02-13T06:52:13.855000Z."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class IamHandler(EmulatorHandler):
    family = Family.IAM
    auth_scheme = AuthScheme.IAM
    validation_code = "400"

    @property
    def origin(self) -> str:
        return f"{self.request.protocol}://{self.request.host}"

    @property
    def domain(self) -> dict[str, str]:
        name = self.ctx.config.iam_domain
        return {"id": _stable_id("domain", name), "name": name}

    @property
    def user(self) -> dict[str, Any]:
        config = self.ctx.config
        return {
            "domain": self.domain,
            "id": _stable_id("user", config.iam_domain, config.iam_user),
            "name": config.iam_user,
            "password_expires_at": "",
        }

    def project(self) -> dict[str, Any]:
        config = self.ctx.config
        return {
            "domain_id": self.domain["id"],
            "is_domain": False,
            "parent_id": self.domain["id"],
            "name": config.region,
            "description": "",
            "links": {
                "next": None,
                "previous": None,
                "self": f"{self.origin}/v3/projects/{config.project_id}",
            },
            "id": config.project_id,
            "enabled": True,
        }

    def catalog(self) -> list[dict[str, Any]]:
        region = self.ctx.config.region
        services = (("iam", "identity"), ("modelarts", "modelarts"), ("obs", "object"))
        return [
            {
                "type": service_type,
                "id": _stable_id("service", name),
                "name": name,
                "endpoints": [
                    {
                        "id": _stable_id("endpoint", name, region),
                        "interface": "public",
                        "region": region,
                        "region_id": region,
                        "url": self.origin + ("/v3" if name == "iam" else ""),
                    }
                ],
            }
            for name, service_type in services
        ]


class VersionHandler(IamHandler):
    auth_scheme = AuthScheme.NONE

    def get(self) -> None:
        self.send_json(
            {
                "version": {
                    "status": "stable",
                    "updated": "2016-04-04T00:00:00Z",
                    "media-types": [
                        {
                            "base": "application/json",
                            "type": "application/vnd.openstack.identity-v3+json",
                        }
                    ],
                    "id": "v3.6",
                    "links": [{"href": f"{self.origin}/v3/", "rel": "self"}],
                }
            }
        )


class TokensHandler(IamHandler):
    auth_scheme = AuthScheme.NONE

    def post(self) -> None:
        body = self.json_body()
        identity = _object(body, "auth", "identity")
        methods = identity.get("methods")
        if methods != ["password"]:
            raise self.invalid('auth.identity.methods: only ["password"] is supported')
        user = _object(identity, "password", "user")
        self._check_password(user)
        account_scoped = self._check_scope(body["auth"].get("scope"))
        token, record = auth.issue_token(
            self.ctx, methods=["password"], account_scoped=account_scoped
        )
        document: dict[str, Any] = {
            "expires_at": iso_time(record["expires_at"]),
            "issued_at": iso_time(record["issued_at"]),
            "methods": ["password"],
            "user": self.user,
            "roles": [{"id": _stable_id("role", "te_admin"), "name": "te_admin"}],
        }
        if account_scoped:
            document["domain"] = self.domain
        else:
            document["project"] = {
                "domain": self.domain,
                "id": self.ctx.config.project_id,
                "name": self.ctx.config.region,
            }
        if self.get_query_argument("nocatalog", "false").lower() != "true":
            document["catalog"] = self.catalog()
        self.set_header("X-Subject-Token", token)
        self.send_json({"token": document}, status=201)

    def _check_password(self, user: dict[str, Any]) -> None:
        config = self.ctx.config
        for field in ("name", "password"):
            if not isinstance(user.get(field), str) or not user[field]:
                raise self.invalid(
                    f"auth.identity.password.user.{field}: a non-empty string is required"
                )
        domain = user.get("domain")
        if not isinstance(domain, dict) or not (domain.get("name") or domain.get("id")):
            raise self.invalid("auth.identity.password.user.domain: name or id is required")
        domain_ok = domain.get("name") == config.iam_domain or domain.get("id") == self.domain["id"]
        password_ok = hmac.compare_digest(user["password"], config.iam_password)
        if not (domain_ok and user["name"] == config.iam_user and password_ok):
            raise ApiError(401, "401", "The username or password is wrong.")

    def _check_scope(self, scope: Any) -> bool:
        """Whether the token is for the account. 004 §3.1: "You can set scope to an account or a
        project under an account"; ModelArts APIs take project tokens only (§3.2: "you must set
        auth.scope in the request body to project")."""
        if isinstance(scope, dict) and isinstance(scope.get("domain"), dict):
            domain = scope["domain"]
            if not (domain.get("id") or domain.get("name")):
                raise self.invalid("auth.scope.domain: id or name is required")
            if (
                domain.get("id", self.domain["id"]) != self.domain["id"]
                or domain.get("name", self.domain["name"]) != self.domain["name"]
            ):
                raise ApiError(
                    401, "401", "The account in auth.scope does not exist or is not accessible."
                )
            return True
        if not isinstance(scope, dict) or not isinstance(scope.get("project"), dict):
            raise self.invalid(
                "auth.scope: a project (id or name) or an account (domain id or name) is required"
            )
        project = scope["project"]
        if "id" in project:
            matches = project["id"] == self.ctx.config.project_id
        elif "name" in project:
            matches = project["name"] == self.ctx.config.region
        else:
            raise self.invalid("auth.scope.project: id or name is required")
        if not matches:
            raise ApiError(
                401, "401", "The project in auth.scope does not exist or is not accessible."
            )
        return False


class ProjectsHandler(IamHandler):
    """GET /v3/projects (filter ``name``) and GET /v3/auth/projects."""

    def get(self) -> None:
        name = self.get_query_argument("name", None)
        project = self.project()
        projects = [project] if name is None or name == project["name"] else []
        self.send_json(
            {
                "projects": projects,
                "links": {
                    "next": None,
                    "previous": None,
                    "self": f"{self.origin}{self.request.path}",
                },
            }
        )


class SecurityTokensHandler(IamHandler):
    """POST /v3.0/OS-CREDENTIAL/securitytokens: temporary AK/SK for the caller's token."""

    def post(self) -> None:
        body = self.json_body()
        identity = _object(body, "auth", "identity")
        if identity.get("methods") != ["token"]:
            raise self.invalid('auth.identity.methods: only ["token"] is supported')
        token = identity.get("token") or {}
        duration = token.get("duration_seconds", _SECURITY_TOKEN_SECONDS[0])
        low, high = _SECURITY_TOKEN_SECONDS
        if not isinstance(duration, int) or not low <= duration <= high:
            raise self.invalid(
                f"auth.identity.token.duration_seconds: an integer from {low} to {high}"
            )
        if self.caller.method != "token":
            raise ApiError(
                403, "403", "Temporary credentials are issued for token authentication only."
            )
        access = "LOCALTMP" + secrets.token_hex(6).upper()
        expires_at = self.ctx.now() + duration
        credential: dict[str, Any] = {
            "access": access,
            "secret": secrets.token_urlsafe(30),
            "securitytoken": "gQpjbi1ub3J0aC00" + secrets.token_urlsafe(120),
            "expires_at": expires_at,
        }
        self.store.put(auth.TEMPORARY_CREDENTIALS, access, credential)
        self.send_json({"credential": {**credential, "expires_at": iso_time(expires_at)}}, 201)


def _object(document: dict[str, Any], *path: str) -> dict[str, Any]:
    """The object at ``path`` (400 naming the first missing level)."""
    current = document
    for depth, key in enumerate(path):
        value = current.get(key)
        if not isinstance(value, dict):
            raise ApiError(400, "400", f"{'.'.join(path[: depth + 1])}: an object is required")
        current = value
    return current


ROUTES = [
    (r"/v3/?", VersionHandler),
    (r"/v3/auth/tokens", TokensHandler),
    (r"/v3/(?:auth/)?projects/?", ProjectsHandler),
    (r"/v3\.0/OS-CREDENTIAL/securitytokens", SecurityTokensHandler),
]
