"""IAM: password tokens (``POST /v3/auth/tokens``), project lookup (``GET /v3/projects``) and the
endpoints a token's service catalog lists (how Huawei Cloud Stack profiles find theirs)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

from .auth import Anonymous, Authenticator, IamToken, parse_iso_time
from .credentials import IamPassword
from .errors import AuthError, NotFoundError
from .policy import CallKind
from .schemas.iam import Project, ProjectList, TokenDocument
from .transport import HttpSession, ServiceClient

# A Keystone v3 catalog entry's URL may carry the API version and project template
# (``https://modelarts.x/v1/$(tenant_id)s``, ``https://iam.x/v3``); our clients add those paths.
_VERSIONED_PATH = re.compile(r"/v\d+(\.\d+)?(/.*)?$")

#: The catalog's service ``type`` (or ``name``) of each service we know.
_CATALOG_TYPES = {
    "modelarts": ("modelarts", "ma"),
    "iam": ("identity", "iam"),
    "obs": ("object", "obs", "object-store"),
    "pai": ("pai", "pai-dsw"),
}


def endpoints_from_catalog(catalog: Iterable[Mapping[str, Any]], region: str) -> dict[str, str]:
    """The public endpoint of each known service in ``region`` from a Keystone v3 token's
    ``catalog`` (a list of ``{type, name, endpoints: [{url, region, region_id, interface}]}``).
    An entry without a region counts for every region."""
    found: dict[str, str] = {}
    for entry in catalog:
        names = {str(entry.get("type", "")).lower(), str(entry.get("name", "")).lower()}
        service = next((s for s, kinds in _CATALOG_TYPES.items() if names & set(kinds)), None)
        if service is None or service in found:
            continue
        for endpoint in entry.get("endpoints") or ():
            if endpoint.get("interface", "public") != "public":
                continue
            where = endpoint.get("region_id") or endpoint.get("region")
            if where and where != region:
                continue
            url = str(endpoint.get("url", "")).rstrip("/")
            if url.startswith(("http://", "https://")):
                found[service] = _VERSIONED_PATH.sub("", url)
                break
    return found


class Iam:
    """IAM calls of one account. ``auth`` signs the project lookup; token creation needs none."""

    def __init__(self, session: HttpSession, endpoint: str, auth: Authenticator) -> None:
        self._client = ServiceClient(session, endpoint, auth, service="IAM")
        self._anonymous = ServiceClient(session, endpoint, Anonymous(), service="IAM")

    async def create_token(
        self, credentials: IamPassword, *, region: str | None = None, with_catalog: bool = False
    ) -> IamToken:
        """A token scoped to the credentials' project (by id, else by name, else ``region``);
        ``with_catalog``: with the service catalog (larger, so only when endpoints are wanted)."""
        if credentials.project_id:
            project: dict[str, object] = {"id": credentials.project_id}
        else:
            project = {"name": credentials.project_name or region}
            if not project["name"]:
                raise AuthError("a project id, project name or region is needed for a token")
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": credentials.username,
                            "password": credentials.password,
                            "domain": {"name": credentials.domain},
                        }
                    },
                },
                "scope": {"project": project},
            }
        }
        # asking twice for a token is harmless, so the call may be retried like an update
        reply = await self._anonymous.send(
            "POST",
            "/v3/auth/tokens",
            query={"nocatalog": not with_catalog},
            body=body,
            kind=CallKind.UPDATE,
        )
        value = reply.headers.get("x-subject-token")
        if not value:
            raise AuthError("IAM answered without an X-Subject-Token header", service="IAM")
        token = TokenDocument.model_validate(reply.body).token
        scoped = token.project or {}
        return IamToken(
            value=value,
            expires_at=parse_iso_time(token.expires_at),
            issued_at=parse_iso_time(token.issued_at) if token.issued_at else time.time(),
            project_id=scoped.get("id"),
            project_name=scoped.get("name"),
            catalog=tuple(token.catalog or ()),
        )

    async def service_endpoints(self, credentials: IamPassword, region: str) -> dict[str, str]:
        """The endpoints the account's token catalog lists for ``region``."""
        token = await self.create_token(credentials, region=region, with_catalog=True)
        return endpoints_from_catalog(token.catalog, region)

    async def projects(self, name: str | None = None) -> list[Project]:
        data = await self._client.call("GET", "/v3/projects", query={"name": name})
        return ProjectList.model_validate(data).projects

    async def project_id(self, region: str) -> str:
        """The id of the project named after ``region`` (004 §10.3)."""
        for project in await self.projects(name=region):
            if project.name == region:
                return project.id
        raise NotFoundError(f"no IAM project named {region!r}", service="IAM")
