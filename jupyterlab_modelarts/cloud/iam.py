"""IAM: password tokens (``POST /v3/auth/tokens``) and project lookup (``GET /v3/projects``)."""

from __future__ import annotations

import time

from .auth import Anonymous, Authenticator, IamToken, parse_iso_time
from .credentials import IamPassword
from .errors import AuthError, NotFoundError
from .policy import CallKind
from .schemas.iam import Project, ProjectList, TokenDocument
from .transport import HttpSession, ServiceClient


def iam_endpoint_for(region: str) -> str:
    return f"https://iam.{region}.myhuaweicloud.com"


class Iam:
    """IAM calls of one account. ``auth`` signs the project lookup; token creation needs none."""

    def __init__(self, session: HttpSession, endpoint: str, auth: Authenticator) -> None:
        self._client = ServiceClient(session, endpoint, auth, service="IAM")
        self._anonymous = ServiceClient(session, endpoint, Anonymous(), service="IAM")

    async def create_token(
        self, credentials: IamPassword, *, region: str | None = None
    ) -> IamToken:
        """A token scoped to the credentials' project (by id, else by name, else ``region``)."""
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
            "POST", "/v3/auth/tokens", query={"nocatalog": True}, body=body, kind=CallKind.UPDATE
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
        )

    async def projects(self, name: str | None = None) -> list[Project]:
        data = await self._client.call("GET", "/v3/projects", query={"name": name})
        return ProjectList.model_validate(data).projects

    async def project_id(self, region: str) -> str:
        """The id of the project named after ``region`` (004 §10.3)."""
        for project in await self.projects(name=region):
            if project.name == region:
                return project.id
        raise NotFoundError(f"no IAM project named {region!r}", service="IAM")
