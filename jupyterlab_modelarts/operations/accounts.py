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
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from ..accounts.backend import ALIBABA_VARIABLES, HUAWEI_PROJECT_VARIABLE, HUAWEI_VARIABLES
from ..accounts.chain import (
    ResolvedCredentials,
    credentials_from_secret,
    resolve_credentials,
    secret_from_credentials,
)
from ..accounts.endpoints import ENDPOINT_PROBLEMS, endpoint_problem
from ..accounts.profiles import (
    DEFAULT_PAI_REGION,
    DEFAULT_WORKSPACE,
    LOCAL_PROFILE,
    Backend,
    Profile,
    ProfileStore,
)
from ..cloud import clouds
from ..cloud.clouds import TrainingApi
from ..cloud.credentials import AccessKey, IamPassword, PaiAccessKey
from ..cloud.errors import (
    AuthError,
    CloudError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from ..cloud.errors import ValidationError as CloudValidationError
from ..cloud.field_errors import field_wording
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
    #: The cloud preset; the backend follows from it (either may be given).
    cloud: str | None = None
    backend: Backend | None = None
    region: str | None = None
    #: Huawei Cloud Stack's domain.
    external_domain: str | None = None
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
    #: The training generation a connection check found answering (profiles that never
    #: signed in here: the administrator's and the environment's), and the probe that asks.
    training_api: TrainingApi | None = None
    training_probe: asyncio.Future[TrainingApi | None] | None = None


def cloud_presets() -> list[dict[str, Any]]:
    """The clouds a user can sign in to, for the sign-in dialog."""
    return [preset.describe() for preset in clouds.CLOUDS.values() if preset.name != clouds.LOCAL]


def not_offered(profile: Profile, feature: str, *, field: str = "profile") -> OperationError | None:
    """The refusal of a feature the profile's cloud does not offer (see
    :func:`..cloud.clouds.missing_feature`), or None."""
    missing = clouds.missing_feature(profile.cloud_name, feature)
    if missing is None:
        return None
    return OperationError(
        "NOT_OFFERED",
        missing.message,
        status=409,
        field=field,
        params={"reason": missing.reason, **missing.params},
    )


def field_error(error: PydanticValidationError) -> OperationError:
    """The first problem of a request body, on its field: a code and the limits it broke (the
    front end words them), or INVALID with pydantic's English for what has no code."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or None
    code, params = field_wording(first) or ("INVALID", None)
    return OperationError(code, f"{field}: {first['msg']}", field=field, params=params)


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
        local_training_api: Literal["v1", "v2"] | None = None,
    ) -> None:
        self.store = store
        self._configured = [profile.model_copy(update={"managed": True}) for profile in configured]
        self._default_profile = default_profile
        self._region = region
        self._project_id = project_id or None
        self._endpoints = dict(endpoints or {})
        self._local_server = local_server
        self._allowed_endpoint_hosts = tuple(allowed_endpoint_hosts)
        #: The training API of the local profile: the one the embedded Local ModelArts plays.
        self._local_training_api = local_training_api
        self._environ = environ if environ is not None else os.environ
        self._clients: dict[str, _Client] = {}
        #: Endpoints found in an IAM token's service catalog, by profile name.
        self._discovered: dict[str, dict[str, str]] = {}
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
            Profile(
                name=LOCAL_PROFILE,
                backend=Backend.LOCAL,
                region=self._region,
                managed=True,
                training_api=self._local_training_api,
            ),
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
        raise OperationError(
            "NO_SUCH_PROFILE",
            f"no profile named {name!r}",
            status=404,
            field="name",
            params={"name": name},
        )

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

    async def endpoints(
        self, profile: Profile, resolved: ResolvedCredentials | None = None
    ) -> dict[str, str]:
        """Where each service of ``profile`` answers: its override, else its cloud preset's,
        else (Huawei Cloud Stack without a domain) its IAM token's service catalog."""
        if profile.backend is Backend.LOCAL:
            base = (await self._local_server()).base_url
            return {"modelarts": base, "iam": base, "obs": base, "pai": base}
        endpoints = clouds.resolve_endpoints(
            profile.cloud_name,
            profile.region,
            overrides=profile.endpoints,
            domain=profile.external_domain,
            # Profiles saved before clouds had names keep whatever region they had.
            listed_only=profile.cloud is not None,
        )
        if profile.backend is Backend.MODELARTS and not {"modelarts", "obs"} <= endpoints.keys():
            discovered = await self._catalog_endpoints(profile, endpoints.get("iam"), resolved)
            endpoints = {**discovered, **endpoints}
            if "modelarts" not in endpoints:
                raise OperationError(
                    "NO_MODELARTS_ENDPOINT",
                    "no ModelArts endpoint: give the cloud's domain or the ModelArts endpoint,"
                    " or sign in with an IAM password so that the token's catalog names it",
                    field="external_domain",
                )
        return endpoints

    async def _catalog_endpoints(
        self, profile: Profile, iam_endpoint: str | None, resolved: ResolvedCredentials | None
    ) -> dict[str, str]:
        """The endpoints an IAM token's catalog lists; only a password sign-in gets a token."""
        if profile.name in self._discovered:
            return self._discovered[profile.name]
        resolved = resolved or await self.credentials(profile)
        if iam_endpoint is None or resolved is None:
            return {}
        credentials = resolved.credentials
        if not isinstance(credentials, IamPassword):
            return {}
        from ..cloud.auth import Anonymous
        from ..cloud.iam import Iam
        from ..cloud.transport import HttpSession

        async with HttpSession() as session:
            iam = Iam(session, iam_endpoint, Anonymous())
            try:
                found = await iam.service_endpoints(credentials, profile.region)
            except AuthError as error:
                raise OperationError.from_cloud(
                    error, field=_credential_field(credentials)
                ) from None
            except CloudError as error:
                raise OperationError.from_cloud(error, field="endpoints.iam") from None
        self._discovered[profile.name] = found
        return found

    async def describe(self, profile: Profile) -> dict[str, Any]:
        """A profile as the browser sees it: no secret, a masked key id at most."""
        resolved = await self.credentials(profile)
        view = profile.model_dump(
            mode="json",
            include={
                "name",
                "backend",
                "region",
                "external_domain",
                "project_id",
                "workspace_id",
                "managed",
            },
        )
        view["cloud"] = profile.cloud_name
        view["training_api"] = self.training_api(profile)
        view["endpoint_overrides"] = dict(profile.endpoints)
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
        try:
            view["endpoints"] = await self.endpoints(profile)
        except OperationError:  # a managed profile that names no ModelArts endpoint
            view["endpoints"] = dict(profile.endpoints)
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
        except PydanticValidationError as error:
            raise field_error(error) from None
        profile = self._profile_from(request)
        existing = {p.name: p for p in self.profiles()}
        if profile.name in existing and existing[profile.name].managed:
            raise OperationError(
                "READ_ONLY",
                f"profile {profile.name!r} is managed by the administrator",
                status=409,
                field="name",
                params={"name": profile.name},
            )
        for service, url in profile.endpoints.items():
            problem = endpoint_problem(url, self._allowed_endpoint_hosts)
            if problem is not None:
                raise OperationError(
                    "ENDPOINT_REFUSED",
                    f"{url} {ENDPOINT_PROBLEMS[problem]}",
                    field=f"endpoints.{service}",
                    params={"url": url, "reason": problem},
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
                raise OperationError.from_validation(
                    error, field=f"credentials.{error.field}"
                ) from None
        else:
            stored = self.store.secret(profile.name)
            if stored is None:
                raise OperationError(
                    "CREDENTIALS_REQUIRED",
                    "credentials are required for a new profile",
                    field="credentials",
                )
            credentials = credentials_from_secret(stored, profile.backend)
        resolved = ResolvedCredentials(credentials, "credentials-file")
        # A catalog found with other credentials or endpoints may not be this account's.
        self._discovered.pop(profile.name, None)
        project_id, training_api = await self._verify(profile, resolved)
        if profile.backend is Backend.MODELARTS:
            profile = profile.model_copy(
                update={
                    "project_id": profile.project_id or project_id,
                    "training_api": training_api,
                }
            )
        state = self.store.load_state()
        state.profiles = [p for p in state.profiles if p.name != profile.name] + [profile]
        self.store.save_secret(profile.name, secret_from_credentials(credentials))
        self.store.save_state(state)
        await self._forget_client(profile.name)
        return await self.describe(profile)

    def _profile_from(self, request: ProfileInput) -> Profile:
        """The profile a sign-in asks for, refused field by field before any call."""
        try:
            preset = clouds.cloud(request.cloud, (request.backend or Backend.MODELARTS).value)
            if request.backend is not None and request.backend.value != preset.backend:
                raise OperationError(
                    "BACKEND_OF_CLOUD",
                    f"{preset.label} profiles use the {preset.backend} backend",
                    field="backend",
                    params={"cloud": preset.label, "backend": preset.backend},
                )
            if preset.backend == Backend.LOCAL.value:
                raise OperationError(
                    "LOCAL_PROFILE_EXISTS", "the local profile always exists", field="cloud"
                )
            region = request.region or preset.default_region or self._region
            preset.region(region)
            profile = Profile(
                name=request.name,
                backend=Backend(preset.backend),
                cloud=preset.name,
                region=region,
                external_domain=request.external_domain or None,
                endpoints=request.endpoints,
                project_id=request.project_id or None,
                workspace_id=request.workspace_id,
            )
            if preset.domain is None and not (
                profile.external_domain or "iam" in profile.endpoints
            ):
                raise OperationError(
                    "DOMAIN_OR_IAM_REQUIRED",
                    f"{preset.label} needs its domain (endpoints are"
                    " {service}.{region}.{domain}) or at least its IAM endpoint",
                    field="external_domain",
                    params={"cloud": preset.label},
                )
            if preset.regions:
                # A region without the backend's service (ModelArts in eu-nl) is refused here,
                # unless the user names an endpoint for it.
                service = "pai" if preset.backend == Backend.PAI.value else "modelarts"
                if service not in profile.endpoints:
                    preset.endpoint(service, region)
        except clouds.CloudPresetError as error:
            raise OperationError(
                error.code, error.message, field=error.field, params=error.params
            ) from None
        except PydanticValidationError as error:
            raise field_error(error) from None
        return profile

    async def activate(self, name: str) -> dict[str, Any]:
        profile = self.get(name)
        state = self.store.load_state()
        state.active = profile.name
        self.store.save_state(state)
        return await self.describe(profile)

    def training_api(self, profile: Profile | None = None) -> TrainingApi:
        """The training generation ``profile`` (default: the active one) trains through: its
        own ``training_api`` (set by the administrator, or confirmed by the sign-in probe), else
        what the connection check found, else its cloud's default."""
        profile = profile or self.active()
        cached = self._clients.get(profile.name)
        probed = cached.training_api if cached else None
        return clouds.training_api(profile.cloud_name, profile.training_api or probed)

    def require(self, profile: Profile, feature: str, *, field: str = "profile") -> None:
        """Refuse, in words and before anything is sent, a feature (``"training.v1"``,
        ``"training.v2"``, ``"devenviron"``) the profile's cloud does not offer."""
        refused = not_offered(profile, feature, field=field)
        if refused:
            raise refused

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
                params={"name": name},
            )
        self.store.remove_secret(name)
        self._discovered.pop(name, None)
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
                "WRONG_BACKEND",
                f"profile {profile.name!r} is a PAI DSW profile",
                field="profile",
                params={"name": profile.name, "pai": True},
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
                params={"name": profile.name, "pai": False},
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
                params={"name": profile.name},
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

    async def _verify(
        self, profile: Profile, resolved: ResolvedCredentials
    ) -> tuple[str | None, TrainingApi | None]:
        """Real calls with the submitted credentials: the project id they found and the
        training generation that answered (the profile's own setting is kept)."""
        client = self._client_for(profile, resolved, await self.endpoints(profile, resolved))
        try:
            project_id = await _probe(client)
            if not isinstance(client, ModelArts):
                return project_id, None
            generation = profile.training_api or await _probe_training_api(
                client, clouds.cloud(profile.cloud_name)
            )
            return project_id, generation
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
        state = await asyncio.shield(cached.connection)
        if (
            state["state"] == "ok"
            and isinstance(client, ModelArts)
            and profile.training_api is None
            and cached.training_api is None
        ):
            if cached.training_probe is None:  # one probe for every tab asking meanwhile
                cached.training_probe = asyncio.ensure_future(
                    _probe_training_api(client, clouds.cloud(profile.cloud_name))
                )
            probe = cached.training_probe
            cached.training_api = await asyncio.shield(probe)
            if cached.training_api is None and cached.training_probe is probe:
                cached.training_probe = None  # no answer: the next check asks again
        return state

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


async def _probe_training_api(client: ModelArts, preset: clouds.Cloud) -> TrainingApi | None:
    """Which training generation the account's ModelArts serves, by its cheapest call: one
    job of the v1 list; None where the preset leaves no choice (Huawei Cloud: v2). A v1 that
    is not there answers 404; a refusal (a permission, a quota) means it is; no answer (the
    network, a server error) leaves it unknown, to be asked again.

    The call is made raw: its answer is not read, and building the training client's models
    would cost the status check a tenth of a second of CPU while the server starts (bench P8).
    """
    if "v1" not in preset.training_apis or "v2" not in preset.training_apis:
        return None
    try:
        await client.call("GET", "/training-jobs", query={"per_page": 1, "page": 1})
    except NotFoundError:
        return "v2"
    except (NetworkError, ServerError, RateLimitError):
        return None
    except CloudError:
        pass
    return "v1"


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
