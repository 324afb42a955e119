"""Accounts: the profiles a user can switch between, their credentials and their clients.

There is always a ``local`` profile (Local ModelArts, embedded in the server). Administrators add
managed profiles through traitlets; cloud credentials in the environment add a managed
``huaweicloud`` and/or ``alibabacloud`` profile; users add their own, which are checked by a real
call before anything is saved.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from ..accounts.backend import ALIBABA_VARIABLES, HUAWEI_PROJECT_VARIABLE, HUAWEI_VARIABLES
from ..accounts.chain import (
    ResolvedCredentials,
    credentials_from_secret,
    resolve_credentials,
    secret_from_credentials,
)
from ..accounts.endpoints import endpoint_problem
from ..accounts.profiles import (
    DEFAULT_PAI_REGION,
    DEFAULT_WORKSPACE,
    LOCAL_PROFILE,
    Backend,
    Profile,
    ProfileStore,
)
from ..cloud.credentials import AccessKey, IamPassword, PaiAccessKey
from ..cloud.errors import AuthError, CloudError, NetworkError
from ..cloud.errors import ValidationError as CloudValidationError
from ..cloud.modelarts import ModelArts
from .errors import OperationError

if TYPE_CHECKING:
    from ..cloud.pai import PaiDsw
    from ..emulator.app import EmulatorServer

HUAWEI_ENVIRONMENT_PROFILE = "huaweicloud"
ALIBABA_ENVIRONMENT_PROFILE = "alibabacloud"


class ProfileInput(BaseModel):
    """A profile as the sign-in dialog submits it; ``credentials`` may be omitted on edit."""

    model_config = ConfigDict(extra="forbid")

    name: str
    backend: Backend
    region: str | None = None
    endpoints: dict[str, str] = Field(default_factory=dict)
    project_id: str | None = None
    workspace_id: str = DEFAULT_WORKSPACE
    credentials: dict[str, str] | None = None


#: How long a connection check answers for: the status of every open tab shares one check.
CONNECTION_CHECK_SECONDS = 15.0


@dataclass
class _Client:
    identity: tuple[Any, ...]
    client: ModelArts | PaiDsw
    #: The latest connection check and when it started (monotonic seconds).
    connection: asyncio.Future[dict[str, Any]] | None = None
    checked_at: float = 0.0


def field_error(error: PydanticValidationError) -> OperationError:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or None
    return OperationError("INVALID", f"{field}: {first['msg']}", field=field)


def _credential_field(resolved: ResolvedCredentials | Any) -> str:
    """The form field a rejected credential points at."""
    if isinstance(resolved, IamPassword):
        return "credentials.password"
    if isinstance(resolved, PaiAccessKey):
        return "credentials.access_key_secret"
    return "credentials.secret_key"


class Accounts:
    def __init__(
        self,
        *,
        store: ProfileStore,
        configured: Sequence[Profile] = (),
        default_profile: str | None = None,
        region: str,
        project_id: str | None = None,
        endpoints: Mapping[str, str] | None = None,
        local_server: Callable[[], Awaitable[EmulatorServer]],
        environ: Mapping[str, str] | None = None,
        allowed_endpoint_hosts: Sequence[str] = (),
    ) -> None:
        self.store = store
        self._configured = [profile.model_copy(update={"managed": True}) for profile in configured]
        self._default_profile = default_profile
        self._region = region
        self._project_id = project_id or None
        self._endpoints = dict(endpoints or {})
        self._local_server = local_server
        self._allowed_endpoint_hosts = tuple(allowed_endpoint_hosts)
        self._environ = environ if environ is not None else os.environ
        self._clients: dict[str, _Client] = {}
        self._profile_listeners: list[Callable[[str], Awaitable[None]]] = []

    def on_profile_changed(self, listener: Callable[[str], Awaitable[None]]) -> None:
        """Await ``listener(name)`` after a profile's credentials change or it signs out."""
        self._profile_listeners.append(listener)

    # -- profiles ---------------------------------------------------------------------------

    def _environment_profiles(self) -> list[Profile]:
        found = []
        if self._environ.get(HUAWEI_VARIABLES[0]) and self._environ.get(HUAWEI_VARIABLES[1]):
            found.append(
                Profile(
                    name=HUAWEI_ENVIRONMENT_PROFILE,
                    backend=Backend.MODELARTS,
                    region=self._region,
                    project_id=self._environ.get(HUAWEI_PROJECT_VARIABLE) or self._project_id,
                    endpoints={k: v for k, v in self._endpoints.items() if k != "pai"},
                    managed=True,
                )
            )
        if self._environ.get(ALIBABA_VARIABLES[0]) and self._environ.get(ALIBABA_VARIABLES[1]):
            pai_endpoint = self._endpoints.get("pai")
            found.append(
                Profile(
                    name=ALIBABA_ENVIRONMENT_PROFILE,
                    backend=Backend.PAI,
                    region=DEFAULT_PAI_REGION,
                    endpoints={"pai": pai_endpoint} if pai_endpoint else {},
                    managed=True,
                )
            )
        return found

    def profiles(self) -> list[Profile]:
        managed = [
            Profile(name=LOCAL_PROFILE, backend=Backend.LOCAL, region=self._region, managed=True),
            *self._configured,
            *self._environment_profiles(),
        ]
        names = {profile.name for profile in managed}
        users = [p for p in self.store.load_state().profiles if p.name not in names]
        return managed + users

    def get(self, name: str) -> Profile:
        for profile in self.profiles():
            if profile.name == name:
                return profile
        raise OperationError("NOT_FOUND", f"no profile named {name!r}", status=404, field="name")

    def active(self) -> Profile:
        profiles = {profile.name: profile for profile in self.profiles()}
        chosen = self.store.load_state().active
        if chosen in profiles and self.store.profiles_path.exists():
            return profiles[chosen]
        for name in (self._default_profile, *(p.name for p in self._environment_profiles())):
            if name and name in profiles:
                return profiles[name]
        return profiles[LOCAL_PROFILE]

    async def credentials(self, profile: Profile) -> ResolvedCredentials | None:
        if profile.backend is Backend.LOCAL:
            config = (await self._local_server()).config
            return ResolvedCredentials(AccessKey(config.access_key, config.secret_key), "local")
        return resolve_credentials(profile, self.store, self._environ)

    async def endpoints(self, profile: Profile) -> dict[str, str]:
        if profile.backend is Backend.LOCAL:
            base = (await self._local_server()).base_url
            return {"modelarts": base, "iam": base, "obs": base, "pai": base}
        return dict(profile.endpoints)

    async def describe(self, profile: Profile) -> dict[str, Any]:
        """A profile as the browser sees it: no secret, a masked key id at most."""
        resolved = await self.credentials(profile)
        view = profile.model_dump(
            mode="json",
            include={"name", "backend", "region", "project_id", "workspace_id", "managed"},
        )
        if profile.backend is Backend.LOCAL:
            view["project_id"] = (await self._local_server()).config.project_id
        elif view["project_id"] is None:
            cached = self._clients.get(profile.name)
            looked_up = (
                cached.client.known_project_id
                if cached and isinstance(cached.client, ModelArts)
                else None
            )
            view["project_id"] = (resolved.project_id if resolved else None) or looked_up
        view["workspace_id"] = self.workspace_id(profile)
        view["endpoints"] = await self.endpoints(profile)
        view["credentials"] = resolved.describe() if resolved else {"present": False}
        view["active"] = profile.name == self.active().name
        return view

    async def list(self) -> list[dict[str, Any]]:
        return [await self.describe(profile) for profile in self.profiles()]

    # -- changes ----------------------------------------------------------------------------

    async def save(self, submitted: Mapping[str, Any]) -> dict[str, Any]:
        """Add or edit a user profile; its credentials are checked by a real call first."""
        try:
            request = ProfileInput.model_validate(submitted)
            if request.backend is Backend.LOCAL:
                raise OperationError("INVALID", "the local profile always exists", field="backend")
            profile = Profile(
                name=request.name,
                backend=request.backend,
                region=request.region
                or (DEFAULT_PAI_REGION if request.backend is Backend.PAI else self._region),
                endpoints=request.endpoints,
                project_id=request.project_id or None,
                workspace_id=request.workspace_id,
            )
        except PydanticValidationError as error:
            raise field_error(error) from None
        existing = {p.name: p for p in self.profiles()}
        if profile.name in existing and existing[profile.name].managed:
            raise OperationError(
                "READ_ONLY",
                f"profile {profile.name!r} is managed by the administrator",
                status=409,
                field="name",
            )
        for service, url in profile.endpoints.items():
            problem = endpoint_problem(url, self._allowed_endpoint_hosts)
            if problem is not None:
                raise OperationError(
                    "ENDPOINT_REFUSED", f"{url} {problem}", field=f"endpoints.{service}"
                )
        earlier = existing.get(profile.name)
        if (
            request.credentials is None
            and earlier is not None
            and (earlier.endpoints, earlier.region) != (profile.endpoints, profile.region)
        ):
            # The stored secret goes only where it was entered for.
            raise OperationError(
                "SECRET_REQUIRED",
                "enter the secret again to use it with other endpoints or another region",
                field="credentials",
            )
        if request.credentials is not None:
            try:
                credentials = credentials_from_secret(request.credentials, profile.backend)
            except CloudValidationError as error:
                raise OperationError(
                    "INVALID", str(error.message), field=f"credentials.{error.field}"
                ) from None
        else:
            stored = self.store.secret(profile.name)
            if stored is None:
                raise OperationError(
                    "INVALID", "credentials are required for a new profile", field="credentials"
                )
            credentials = credentials_from_secret(stored, profile.backend)
        resolved = ResolvedCredentials(credentials, "credentials-file")
        project_id = await self._verify(profile, resolved)
        if profile.backend is Backend.MODELARTS and profile.project_id is None:
            profile = profile.model_copy(update={"project_id": project_id})
        state = self.store.load_state()
        state.profiles = [p for p in state.profiles if p.name != profile.name] + [profile]
        self.store.save_secret(profile.name, secret_from_credentials(credentials))
        self.store.save_state(state)
        await self._forget_client(profile.name)
        return await self.describe(profile)

    async def activate(self, name: str) -> dict[str, Any]:
        profile = self.get(name)
        state = self.store.load_state()
        state.active = profile.name
        self.store.save_state(state)
        return await self.describe(profile)

    def workspace_id(self, profile: Profile) -> str:
        """The workspace every create call of ``profile`` uses."""
        return self.store.load_state().workspaces.get(profile.name, profile.workspace_id)

    async def set_workspace(self, name: str, workspace_id: str) -> dict[str, Any]:
        """Make ``workspace_id`` (which must exist) the profile's active workspace."""
        profile = self.get(name)
        client = await self.modelarts(profile)
        try:
            await client.workspaces.get(workspace_id)
        except CloudError as error:
            raise OperationError.from_cloud(error, field="workspace_id") from None
        state = self.store.load_state()
        state.workspaces[name] = workspace_id
        self.store.save_state(state)
        return await self.describe(profile)

    async def sign_out(self, name: str) -> None:
        """Forget a user profile and its stored secrets; managed profiles cannot be removed."""
        profile = self.get(name)
        if profile.managed:
            raise OperationError(
                "READ_ONLY",
                f"profile {name!r} is managed by the administrator",
                status=409,
                field="name",
            )
        self.store.remove_secret(name)
        state = self.store.load_state()
        state.profiles = [p for p in state.profiles if p.name != name]
        state.workspaces.pop(name, None)
        if state.active == name:
            state.active = LOCAL_PROFILE
        self.store.save_state(state)
        await self._forget_client(name)

    # -- clients ----------------------------------------------------------------------------

    async def modelarts(self, profile: Profile | None = None) -> ModelArts:
        """The ModelArts client of ``profile`` (default: the active one), reused across calls."""
        profile = profile or self.active()
        if profile.backend is Backend.PAI:
            raise OperationError(
                "WRONG_BACKEND", f"profile {profile.name!r} is a PAI DSW profile", field="profile"
            )
        client = await self._cached_client(profile)
        assert isinstance(client, ModelArts)
        return client

    async def pai(self, profile: Profile | None = None) -> PaiDsw:
        """The PAI DSW client of ``profile`` (default: the active one), reused across calls."""
        profile = profile or self.active()
        if profile.backend is not Backend.PAI:
            raise OperationError(
                "WRONG_BACKEND",
                f"profile {profile.name!r} is not a PAI DSW profile",
                field="profile",
            )
        client = await self._cached_client(profile)
        assert not isinstance(client, ModelArts)
        return client

    async def _cached_client(self, profile: Profile) -> ModelArts | PaiDsw:
        resolved = await self.credentials(profile)
        if resolved is None:
            raise OperationError(
                "NO_CREDENTIALS",
                f"profile {profile.name!r} has no credentials",
                status=401,
                field="profile",
            )
        endpoints = await self.endpoints(profile)
        identity = (profile.model_dump_json(), resolved, tuple(sorted(endpoints.items())))
        cached = self._clients.get(profile.name)
        if cached and cached.identity == identity:
            return cached.client
        if cached:
            # Credentials or endpoints changed: drop what was built on the old client. (A first
            # client must not: it would stop the watcher whose poll is asking for it.)
            await self._forget_client(profile.name)
        client = self._client_for(profile, resolved, endpoints)
        self._clients[profile.name] = _Client(identity, client)
        return client

    def _client_for(
        self, profile: Profile, resolved: ResolvedCredentials, endpoints: Mapping[str, str]
    ) -> ModelArts | PaiDsw:
        credentials = resolved.credentials
        if isinstance(credentials, PaiAccessKey):
            # Imported here: a server without a PAI profile never loads PAI's schemas.
            from ..cloud.pai import PaiDsw

            return PaiDsw(credentials, region=profile.region, endpoint=endpoints.get("pai"))
        return ModelArts(
            credentials,
            region=profile.region,
            endpoint=endpoints.get("modelarts"),
            iam_endpoint=endpoints.get("iam"),
            project_id=profile.project_id or resolved.project_id,
        )

    async def _verify(self, profile: Profile, resolved: ResolvedCredentials) -> str | None:
        """One real call with the submitted credentials; the project id it found."""
        client = self._client_for(profile, resolved, await self.endpoints(profile))
        try:
            return await _probe(client)
        except AuthError as error:
            raise OperationError.from_cloud(
                error, field=_credential_field(resolved.credentials)
            ) from None
        except NetworkError as error:
            raise OperationError.from_cloud(error, field="endpoints") from None
        except CloudError as error:
            raise OperationError.from_cloud(error) from None
        finally:
            await client.aclose()

    async def check(self, profile: Profile | None = None) -> dict[str, Any]:
        """Connection state of ``profile``: ok, no_credentials, auth_failed, unreachable or
        error, with the upstream message. Concurrent and recent callers share one check."""
        profile = profile or self.active()
        try:
            client = await self._cached_client(profile)
        except OperationError as error:
            return {"state": "no_credentials", "message": error.message}
        cached = self._clients[profile.name]
        if (
            cached.connection is None
            or time.monotonic() - cached.checked_at > CONNECTION_CHECK_SECONDS
        ):
            cached.checked_at = time.monotonic()
            cached.connection = asyncio.ensure_future(_connection_state(client))
        return await asyncio.shield(cached.connection)

    async def _forget_client(self, name: str) -> None:
        cached = self._clients.pop(name, None)
        if cached:
            await cached.client.aclose()
        for listener in self._profile_listeners:
            await listener(name)

    async def close(self) -> None:
        for name in list(self._clients):
            await self._forget_client(name)


async def _probe(client: ModelArts | PaiDsw) -> str | None:
    """The cheapest real call that proves the credentials; the project id it found."""
    if not isinstance(client, ModelArts):
        await client.list(PageSize=1)
        return None
    project_id = await client.project_id()
    await client.workspaces.list(limit=1)
    return project_id


async def _connection_state(client: ModelArts | PaiDsw) -> dict[str, Any]:
    try:
        await _probe(client)
    except AuthError as error:
        return {"state": "auth_failed", **_upstream(error)}
    except NetworkError as error:
        return {"state": "unreachable", **_upstream(error)}
    except CloudError as error:
        return {"state": "error", **_upstream(error)}
    return {"state": "ok"}


def _upstream(error: CloudError) -> dict[str, Any]:
    return {"message": error.message, "upstream": OperationError.from_cloud(error).upstream}
