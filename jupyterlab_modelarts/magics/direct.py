"""The magics without a Jupyter server (plain IPython, ``jupyter console``).

The server extension's own object, configured from the same Jupyter config files, runs in this
process on a background event loop: the same accounts, credential chain, operations layer and
Local ModelArts as the server would use. Requests take the REST paths of :mod:`.rest` and are
dispatched here to the operations layer, so each subcommand is written once.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import queue
import re
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from ..cloud.errors import CloudError
from ..events import EventBus
from ..operations import (
    catalog,
    deploy,
    instances,
    model_package,
    models,
    services,
    training,
    workspaces,
)
from ..operations.accounts import Accounts
from ..operations.errors import OperationError
from ..operations.instances_options import instance_options
from ..operations.tasks import Operations
from ..operations.watch import Watchers
from .errors import MagicError
from .rest import Event

if TYPE_CHECKING:
    from ..extension import ModelArtsExtension

T = TypeVar("T")
Params = dict[str, Any]
Body = dict[str, Any]


@dataclass(frozen=True)
class Services:
    """What the extension object sets up and the routes below use."""

    extension: ModelArtsExtension
    accounts: Accounts
    operations: Operations
    events: EventBus
    watchers: Watchers
    #: What paths are relative to and confined to, as the server's root would be.
    root_dir: Path

    @property
    def fresh(self) -> float:
        """How old a watched list may be and still answer (seconds), as in the handlers."""
        return float(self.extension.poll_interval_active)

    @property
    def obs_folder(self) -> str:
        """The extension's OBS folder template (``{project_id}``, ``{region}``)."""
        return str(self.extension.obs_folder)

    def training_places(self) -> training.TrainingPlaces:
        return training.TrainingPlaces(
            root_dir=self.root_dir,
            obs_folder=self.extension.obs_folder,
            staging_dir=Path(self.extension.profiles_dir) / "training-staging",
        )

    def deploy_settings(self) -> deploy.DeploySettings:
        return deploy.DeploySettings(
            root_dir=self.root_dir,
            staging_dir=Path(self.extension.profiles_dir) / "staging",
            obs_folder=self.extension.obs_folder,
        )


Route = Callable[[Services, dict[str, str], Params, Body], Awaitable[Any]]


async def _status(ext: Services, _: dict[str, str], __: Params, ___: Body) -> Any:
    profile = ext.accounts.active()
    connection = await ext.accounts.check(profile)
    view = await ext.accounts.describe(profile)
    return {
        "profile": profile.name,
        "profile_backend": profile.backend.value,
        "cloud": view["cloud"],
        "training_api": view["training_api"],
        "region": view["region"],
        "project_id": view["project_id"],
        "workspace_id": view["workspace_id"],
        "endpoint": view["endpoints"].get("modelarts"),
        "credentials": view["credentials"],
        "connection": connection,
    }


async def _profiles(ext: Services, _: dict[str, str], __: Params, ___: Body) -> Any:
    return {"profiles": await ext.accounts.list(), "active": ext.accounts.active().name}


async def _workspaces(ext: Services, filters: Params) -> Any:
    listing = await (await workspaces.workspaces_of_active_profile(ext.accounts)).list(filters)
    return workspaces.as_json(listing)


async def _inspect(ext: Services, _: dict[str, str], __: Params, body: Body) -> Any:
    # As the inspect handler: what the path holds, and the next free version of its name.
    root = ext.deploy_settings().root_dir
    inspection = model_package.inspect(model_package.confine(root, str(body.get("path") or "")))
    found = inspection.to_dict()
    found["model_version"] = await models.next_version(ext.accounts, inspection.suggested_name)
    return found


async def _train(ext: Services, _: dict[str, str], __: Params, body: Body) -> Any:
    places = ext.training_places()
    return await _json(
        training.train_from_file(ext.accounts, ext.operations, ext.watchers, places, body)
    )


async def _log(ext: Services, path: dict[str, str], params: Params, _: Body) -> Any:
    return await training.read_log(
        ext.accounts,
        int(path["job_id"]),
        int(path["version_id"]),
        base_line=params.get("base_line"),
        lines=int(params.get("lines") or training.LOG_BATCH),
    )


async def _delete_instance(ext: Services, path: dict[str, str], _: Params, __: Body) -> Any:
    await instances.delete_instance(ext.accounts, ext.watchers, path["api"], path["id"])


async def _next_version(ext: Services, name: str) -> Any:
    return {"model_name": name, "model_version": await models.next_version(ext.accounts, name)}


async def _json(record: Awaitable[BaseModel]) -> Any:
    return (await record).model_dump(mode="json")


async def _records(ext: Services, kind: str | None) -> Any:
    return {"operations": [r.model_dump(mode="json") for r in ext.operations.records(kind)]}


async def _record(ext: Services, operation_id: str) -> Any:
    return ext.operations.get(operation_id).model_dump(mode="json")


async def _keyed(key: str, items: Awaitable[Any]) -> Any:
    return {key: await items}


_VERSION = r"training/jobs/(?P<job_id>\d+)/versions/(?P<version_id>\d+)"
_INSTANCE = r"instances/(?P<api>[^/]+)/(?P<id>[^/]+)"

#: (method, path pattern, handler): the REST routes the magics use, answered in process.
ROUTES: list[tuple[str, str, Route]] = [
    ("GET", r"status", _status),
    ("GET", r"profiles", _profiles),
    (
        "POST",
        r"profiles/(?P<name>[^/]+)/activate",
        lambda ext, path, _, __: ext.accounts.activate(path["name"]),
    ),
    (
        "PUT",
        r"profiles/(?P<name>[^/]+)/workspace",
        lambda ext, path, _, body: ext.accounts.set_workspace(
            path["name"], str(body.get("workspace_id") or "")
        ),
    ),
    (
        "GET",
        r"workspaces",
        lambda ext, _, params, __: _workspaces(ext, params),
    ),
    (
        "GET",
        r"models",
        lambda ext, _, __, ___: models.list_models(ext.accounts, ext.watchers, ext.fresh),
    ),
    (
        "GET",
        r"models/next-version",
        lambda ext, _, params, __: _next_version(ext, str(params.get("model_name") or "")),
    ),
    (
        "GET",
        r"services",
        lambda ext, _, __, ___: services.list_services(ext.accounts, ext.watchers, ext.fresh),
    ),
    (
        "GET",
        r"services/specifications",
        lambda ext, _, params, __: services.specifications(
            ext.accounts, params.get("infer_type", "real-time")
        ),
    ),
    (
        "POST",
        r"services/(?P<service_id>[^/]+)/predict",
        lambda ext, path, _, body: services.predict(ext.accounts, path["service_id"], body),
    ),
    (
        "POST",
        r"services/(?P<service_id>[^/]+)/(?P<action>start|stop)",
        lambda ext, path, _, __: services.set_running(
            ext.accounts, ext.watchers, path["service_id"], path["action"] == "start"
        ),
    ),
    (
        "DELETE",
        r"services/(?P<service_id>[^/]+)",
        lambda ext, path, _, __: services.delete_service(
            ext.accounts, ext.watchers, path["service_id"]
        ),
    ),
    ("POST", r"deployments/inspect", _inspect),
    (
        "POST",
        r"deployments",
        lambda ext, _, __, body: _json(
            deploy.start_deploy(ext.operations, ext.accounts, body, ext.deploy_settings())
        ),
    ),
    (
        "GET",
        r"catalog/specs",
        lambda ext, _, __, ___: _keyed("specs", catalog.resource_specs(ext.accounts)),
    ),
    (
        "GET",
        r"catalog/engines",
        lambda ext, _, __, ___: _keyed("engines", catalog.engines(ext.accounts)),
    ),
    (
        "GET",
        r"training/prefill",
        lambda ext, _, params, __: training.prefill(
            ext.accounts, ext.training_places(), str(params.get("path") or "")
        ),
    ),
    (
        "GET",
        r"training/jobs",
        lambda ext, _, __, ___: _keyed(
            "jobs", training.list_jobs(ext.accounts, ext.watchers, ext.fresh)
        ),
    ),
    ("POST", r"training/jobs", _train),
    (
        "GET",
        r"training/jobs/(?P<job_id>\d+)",
        lambda ext, path, _, __: training.job_versions(ext.accounts, int(path["job_id"])),
    ),
    (
        "GET",
        _VERSION,
        lambda ext, path, _, __: training.version_detail(
            ext.accounts, int(path["job_id"]), int(path["version_id"])
        ),
    ),
    (
        "POST",
        _VERSION + "/stop",
        lambda ext, path, _, __: training.stop_version(
            ext.accounts, ext.watchers, int(path["job_id"]), int(path["version_id"])
        ),
    ),
    ("GET", _VERSION + "/log", _log),
    (
        "GET",
        r"instances",
        lambda ext, _, __, ___: instances.list_instances(ext.accounts, ext.watchers),
    ),
    (
        "POST",
        r"instances",
        lambda ext, _, __, body: instances.create_instance(
            ext.accounts, ext.watchers, body, ext.obs_folder
        ),
    ),
    (
        "GET",
        r"instances/(?P<api>[^/]+)/options",
        lambda ext, path, _, __: instance_options(ext.accounts, path["api"], ext.obs_folder),
    ),
    ("DELETE", _INSTANCE, _delete_instance),
    (
        "POST",
        _INSTANCE + r"/(?P<action>[^/]+)",
        lambda ext, path, _, __: instances.act_on_instance(
            ext.accounts, ext.watchers, path["api"], path["id"], path["action"]
        ),
    ),
    ("GET", r"operations", lambda ext, _, params, __: _records(ext, params.get("kind"))),
    (
        "GET",
        r"operations/(?P<operation_id>[^/]+)",
        lambda ext, path, _, __: _record(ext, path["operation_id"]),
    ),
]


class DirectApi:
    def __init__(self) -> None:
        self.where = "this process (no Jupyter server found)"
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="modelarts-magics", daemon=True
        )
        self._thread.start()
        # Without a server, paths are confined to the folder the magics were first used in.
        self._services = self._run(_start_extension(Path.cwd()))
        self.root_dir = str(self._services.root_dir)
        # Local ModelArts' jobs and services are processes of this one: stop them with it.
        atexit.register(self.close)

    def _run(self, coroutine: Awaitable[T]) -> T:
        future = asyncio.run_coroutine_threadsafe(_awaited(coroutine), self._loop)
        try:
            return future.result()
        except KeyboardInterrupt:
            future.cancel()
            raise
        except OperationError as error:
            raise MagicError.from_operation(error) from None
        except CloudError as error:
            raise MagicError.from_operation(OperationError.from_cloud(error)) from None

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        body: Body | None = None,
    ) -> Any:
        for route_method, pattern, handler in ROUTES:
            found = re.fullmatch(pattern, path)
            if found and route_method == method:
                return self._run(
                    handler(self._services, found.groupdict(), params or {}, body or {})
                )
        raise MagicError(
            "NEEDS_SERVER",
            f"{method} {path} is only available through a Jupyter server with jupyterlab_modelarts",
        )

    @contextlib.contextmanager
    def events(self) -> Iterator[Iterator[Event]]:
        """The in-process event bus, bridged to the calling thread."""
        received: queue.Queue[Event] = queue.Queue()
        subscribed = threading.Event()
        stop = asyncio.Event()

        async def forward() -> None:
            async with self._services.events.subscribe() as subscription:
                subscribed.set()
                while not stop.is_set():
                    event = await subscription.next(0.5)
                    if event is not None:
                        received.put((event.type, event.data))

        task = asyncio.run_coroutine_threadsafe(forward(), self._loop)
        subscribed.wait()

        def stream() -> Iterator[Event]:
            while True:
                # A timeout keeps the wait interruptible (Ctrl-C, the kernel's interrupt).
                with contextlib.suppress(queue.Empty):
                    yield received.get(timeout=0.5)

        try:
            yield stream()
        finally:
            self._loop.call_soon_threadsafe(stop.set)
            with contextlib.suppress(Exception):
                task.result(timeout=5)

    def close(self) -> None:
        atexit.unregister(self.close)
        self._run(self._services.extension.stop_extension())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable


async def _start_extension(root_dir: Path) -> Services:
    from ..extension import ModelArtsExtension

    # The same options the server would read: c.ModelArtsExtension.* in jupyter_server_config.
    extension = ModelArtsExtension(config_file_name="jupyter_server_config", log_level="WARN")
    extension.load_config_file()
    extension.initialize_settings()
    return Services(
        extension,
        extension.accounts,
        extension.operations,
        extension.events,
        extension.watchers,
        root_dir,
    )
