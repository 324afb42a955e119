"""The ModelArts client: ``async with ModelArts(credentials, region=...) as ma: ...``."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from .auth import Authenticator, SdkHmacAuth, TokenAuth
from .clouds import default_endpoint
from .credentials import AccessKey, HuaweiCredentials, IamPassword
from .errors import CloudError, error_from_response
from .iam import Iam
from .policy import CallKind, RetryPolicy, Timeouts
from .transport import HttpSession, ServiceClient

if TYPE_CHECKING:
    from .resources.devenv import DevEnvironments
    from .resources.models import Models
    from .resources.notebooks import Notebooks
    from .resources.services import Services
    from .resources.training import Specs, TrainingConfigs, TrainingJobs, VisualizationJobs
    from .resources.training_v2 import TrainingJobsV2
    from .resources.workspaces import Workspaces


def check_training_body(status: int, headers: httpx.Headers, body: Any) -> CloudError | None:
    """The training family (004 §5) reports failures as ``"is_success": false``, possibly
    with a 2xx status."""
    if isinstance(body, Mapping) and body.get("is_success") is False:
        return error_from_response(max(status, 400), headers, body, service="ModelArts")
    return None


class _BuiltOnFirstUse:
    """A resource group of the client, imported and built on first use: a Jupyter server that
    loads the extension does not pay for every API's pydantic schemas at start (bench P8)."""

    def __init__(self, module: str, class_name: str) -> None:
        self._module = module
        self._class_name = class_name
        self._attribute = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._attribute = name

    def __get__(self, client: ModelArts | None, owner: type | None = None) -> Any:
        if client is None:
            return self
        group_class = getattr(importlib.import_module(self._module, __package__), self._class_name)
        # Cached on the instance, which from now on answers before this descriptor is asked.
        group = client.__dict__[self._attribute] = group_class(client)
        return group


def _built_on_first_use(module: str, class_name: str) -> Any:
    return _BuiltOnFirstUse(module, class_name)


class ModelArts:
    """All ModelArts APIs of one account and region, over one pooled HTTP session.

    ``credentials`` is an :class:`AccessKey` (AK/SK, optionally temporary) or an
    :class:`IamPassword`. ``endpoint`` and ``iam_endpoint`` default to the endpoints of
    ``region`` on ``cloud`` (a preset of :mod:`.clouds`: ``"huaweicloud"`` unless named,
    ``"tcloudpublic"``, ``"hcs"`` with ``domain``); ``project_id`` is looked up in IAM (project
    named after the region) if not given. Pass ``session`` to share a connection pool with
    other clients of the account.
    """

    devenv: DevEnvironments = _built_on_first_use(".resources.devenv", "DevEnvironments")
    notebooks: Notebooks = _built_on_first_use(".resources.notebooks", "Notebooks")
    training: TrainingJobs = _built_on_first_use(".resources.training", "TrainingJobs")
    training_configs: TrainingConfigs = _built_on_first_use(
        ".resources.training", "TrainingConfigs"
    )
    visualization: VisualizationJobs = _built_on_first_use(
        ".resources.training", "VisualizationJobs"
    )
    specs: Specs = _built_on_first_use(".resources.training", "Specs")
    training_v2: TrainingJobsV2 = _built_on_first_use(".resources.training_v2", "TrainingJobsV2")
    models: Models = _built_on_first_use(".resources.models", "Models")
    services: Services = _built_on_first_use(".resources.services", "Services")
    workspaces: Workspaces = _built_on_first_use(".resources.workspaces", "Workspaces")

    def __init__(
        self,
        credentials: HuaweiCredentials,
        *,
        region: str,
        cloud: str | None = None,
        domain: str | None = None,
        endpoint: str | None = None,
        iam_endpoint: str | None = None,
        project_id: str | None = None,
        session: HttpSession | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        ca_bundle: str | None = None,
    ) -> None:
        self.region = region
        self.endpoint = (
            endpoint or default_endpoint("modelarts", region, cloud, domain=domain)
        ).rstrip("/")
        self._owns_session = session is None
        self.session = session or HttpSession(timeouts=timeouts, retry=retry, ca_bundle=ca_bundle)
        self.auth: Authenticator
        iam_url = iam_endpoint or default_endpoint("iam", region, cloud, domain=domain)
        if isinstance(credentials, IamPassword):
            self._token_auth: TokenAuth | None = TokenAuth(
                credentials, lambda creds: self.iam.create_token(creds, region=region)
            )
            self.auth = self._token_auth
        else:
            self._token_auth = None
            self.auth = SdkHmacAuth(credentials)
        self.iam = Iam(self.session, iam_url, self.auth)
        self._client = ServiceClient(
            self.session,
            self.endpoint,
            self.auth,
            service="ModelArts",
            check_body=check_training_body,
        )
        self._project_id = project_id or (
            credentials.project_id if isinstance(credentials, IamPassword) else None
        )
        self._project_lock = asyncio.Lock()

    async def __aenter__(self) -> ModelArts:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_session:
            await self.session.aclose()

    @property
    def known_project_id(self) -> str | None:
        """The project id if given or already looked up; never calls IAM."""
        return self._project_id

    async def project_id(self) -> str:
        if self._project_id is None:
            async with self._project_lock:
                if self._project_id is None:
                    if self._token_auth is not None:
                        token = await self._token_auth.token()
                        self._project_id = token.project_id
                    if self._project_id is None:
                        self._project_id = await self.iam.project_id(self.region)
        return self._project_id

    async def call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        kind: CallKind = CallKind.READ,
        reconcile: Callable[[], Awaitable[Any]] | None = None,
        api_version: str = "v1",
    ) -> Any:
        """One call to ``/{api_version}/{project_id}{path}``; the decoded JSON answer."""
        project_id = self._project_id or await self.project_id()
        return await self._client.call(
            method,
            f"/{api_version}/{project_id}{path}",
            query=query,
            body=body,
            kind=kind,
            reconcile=reconcile,
        )

    async def call_url(self, method: str, url: str, *, body: Any = None) -> Any:
        """An authenticated call to an absolute URL of the account (e.g. a service's
        ``access_address`` behind the API gateway); never retried once sent."""
        parts = httpx.URL(url)
        origin = f"{parts.scheme}://{parts.netloc.decode()}"
        path = parts.raw_path.decode()
        client = ServiceClient(self.session, origin, self.auth, service="ModelArts inference")
        return await client.call(method, path, body=body, kind=CallKind.ACTION)


__all__ = ["AccessKey", "IamPassword", "ModelArts"]
