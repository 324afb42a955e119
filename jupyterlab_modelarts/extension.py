"""The Jupyter server extension: configuration and route registration."""

from __future__ import annotations

import asyncio
import gc
import importlib
import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from jupyter_core.paths import jupyter_data_dir
from jupyter_server.extension.application import ExtensionApp
from traitlets import Dict, Enum, Float, Int, List, Unicode, default

from . import handlers
from .accounts.backend import LOCAL_PROFILE, Backend, cloud_credentials_in_environment
from .events import EventBus
from .operations.watch import PollIntervals, Watchers

if TYPE_CHECKING:
    from .emulator.app import EmulatorServer
    from .operations.accounts import Accounts
    from .operations.tasks import Operations

DEFAULT_OBS_FOLDER = "obs://jupyterlab-modelarts-{project_id}/"
#: What the first requests need, loaded in a worker thread once the server runs (bench P8).
OPERATIONS_LAYER = (
    "jupyterlab_modelarts.operations.accounts",
    "jupyterlab_modelarts.operations.tasks",
)


class ModelArtsExtension(ExtensionApp):
    """Server side of jupyterlab_modelarts.

    Every option is settable as ``c.ModelArtsExtension.<name>``.
    """

    name = "jupyterlab_modelarts"
    # The front end is a prebuilt labextension; this app serves no page of its own.
    load_other_extensions = True

    backend = Enum(
        ["local", "cloud"],
        help=(
            "Where requests go: 'local' runs the embedded Local ModelArts, 'cloud' talks to the "
            "real services. Defaults to 'cloud' when cloud credentials are in the environment, "
            "else 'local'."
        ),
    ).tag(config=True)

    region = Unicode("cn-north-4", help="ModelArts region id, e.g. cn-north-4.").tag(config=True)

    project_id = Unicode("", help="Project id of the region; looked up from IAM when empty.").tag(
        config=True
    )

    endpoints = Dict(
        key_trait=Unicode(),
        value_trait=Unicode(),
        help=(
            "Endpoint overrides by service name ('modelarts', 'iam', 'obs', 'pai'), e.g. "
            "{'modelarts': 'https://modelarts.example.internal'}. "
            "Empty means the region's defaults."
        ),
    ).tag(config=True)

    poll_interval_active = Float(
        2.0,
        help="Seconds between list polls while any resource is in a transitional state.",
    ).tag(config=True)

    poll_interval_idle = Float(
        30.0, help="Seconds between list polls while nothing is changing."
    ).tag(config=True)

    obs_folder = Unicode(
        DEFAULT_OBS_FOLDER,
        help=(
            "OBS folder that uploads go to (model packages under models/), as "
            "obs://bucket/folder/; '{project_id}' and '{region}' are replaced by the profile's. "
            "The bucket is created in the profile's region when it does not exist."
        ),
    ).tag(config=True)

    profiles = List(
        Dict(),
        help=(
            "Profiles an administrator provides to every user, e.g. "
            "[{'name': 'prod', 'cloud': 'tcloudpublic', 'region': 'eu-de', "
            "'access_key_env': 'PROD_AK', 'secret_key_env': 'PROD_SK'}]. 'cloud' is one of "
            "huaweicloud, tcloudpublic, hcs (with 'external_domain' or 'endpoints') and "
            "alibabacloud, and gives the backend, the region list and the endpoints; "
            "'training_api' ('v1' or 'v2') overrides the cloud's training generation. "
            "Users can use them "
            "but not edit or remove them. Credentials come from the named environment "
            "variables or from 'credentials_file' (a JSON file), never from this config."
        ),
    ).tag(config=True)

    allowed_endpoint_hosts = List(
        Unicode(),
        help=(
            "Host patterns (fnmatch, e.g. '*.myhuaweicloud.com') that users' profiles may use "
            "as endpoints; empty: any https host. Plain http is only accepted to loopback and "
            "link-local addresses never."
        ),
    ).tag(config=True)

    default_profile = Unicode(
        "", help="Profile active until the user picks another; empty: see 'backend'."
    ).tag(config=True)

    profiles_dir = Unicode(
        help="Where the user's profiles and their 0600 credentials file are kept."
    ).tag(config=True)

    local_data_dir = Unicode(
        help="Where Local ModelArts keeps its state, objects and job folders.",
    ).tag(config=True)

    local_port = Int(0, help="Loopback port of Local ModelArts; 0 picks a free one.").tag(
        config=True
    )

    local_speed = Float(
        1.0, help="How much faster than documented Local ModelArts' status machines run."
    ).tag(config=True)

    local_modules = Dict(
        help=(
            "Per-module settings of Local ModelArts, e.g. "
            "{'instances': {'runtime': 'simulated'}} (see its README)."
        ),
    ).tag(config=True)

    local_admin_key = Unicode(
        "",
        help=(
            "X-Admin-Key of Local ModelArts' fault-injection endpoint (browser tests); empty: a "
            "new random key at every start, like its other credentials."
        ),
    ).tag(config=True)

    # The embedded Local ModelArts: one start shared by every caller, set on first use.
    _local_start: asyncio.Future[EmulatorServer] | None = None
    _warm_up: asyncio.Future[None] | None = None

    @default("backend")
    def _default_backend(self) -> str:
        return "cloud" if cloud_credentials_in_environment(os.environ) else "local"

    @default("profiles_dir")
    def _default_profiles_dir(self) -> str:
        return str(Path(jupyter_data_dir()) / "modelarts")

    @default("local_data_dir")
    def _default_local_data_dir(self) -> str:
        return str(Path(jupyter_data_dir()) / "modelarts-local")

    def initialize_settings(self) -> None:
        self.events = EventBus()
        self.watchers = Watchers(
            self.events, lambda: PollIntervals(self.poll_interval_active, self.poll_interval_idle)
        )

    # The operations layer (and pydantic, the cloud clients) loads on first use or in the
    # background after the server has started, not while Jupyter starts (bench P8).

    @cached_property
    def operations(self) -> Operations:
        from .operations.tasks import Operations

        return Operations(self.events, Path(self.profiles_dir) / "operations.json")

    @cached_property
    def accounts(self) -> Accounts:
        from .accounts.profiles import Profile, ProfileStore
        from .emulator.config import profile_training_api
        from .operations.accounts import Accounts

        accounts = Accounts(
            store=ProfileStore(Path(self.profiles_dir)),
            configured=[Profile.model_validate(profile) for profile in self.profiles],
            default_profile=self.default_profile
            or (LOCAL_PROFILE if self.backend == "local" else None),
            region=self.region,
            project_id=self.project_id,
            endpoints=self.endpoints,
            local_server=self.local_modelarts,
            environ=os.environ,
            allowed_endpoint_hosts=self.allowed_endpoint_hosts,
            local_training_api=profile_training_api(dict(self.local_modules)),
        )
        # A profile whose credentials changed or that signed out gets new watchers.
        accounts.on_profile_changed(self.watchers.forget_profile)
        return accounts

    def initialize_handlers(self) -> None:
        self.handlers.extend(handlers.routes())

    async def local_modelarts(self) -> EmulatorServer:
        """The embedded Local ModelArts, started on first use and shared by every request."""
        if self._local_start is None:
            self._local_start = asyncio.ensure_future(self._start_local_modelarts())
        try:
            return await asyncio.shield(self._local_start)
        except Exception:
            # A failed start (e.g. the configured port is taken) is retried by the next caller.
            self._local_start = None
            raise

    async def _start_local_modelarts(self) -> EmulatorServer:
        # Imported here: a server whose profiles are all cloud ones never loads Local ModelArts.
        from .emulator.app import EmulatorServer
        from .emulator.config import EmulatorConfig, fresh_credentials

        # Loopback is open to every user of the machine: only this server knows these, and
        # hands them to the local profile (Accounts.credentials).
        credentials = fresh_credentials()
        if self.local_admin_key:
            credentials["admin_key"] = self.local_admin_key
        config = EmulatorConfig(
            host="127.0.0.1",
            port=self.local_port,
            data_dir=Path(self.local_data_dir),
            region=self.region,
            speed=self.local_speed,
            modules=dict(self.local_modules),
        ).replace(**credentials)
        server = EmulatorServer(config)
        await server.start()
        self.log.info("Local ModelArts is serving at %s", server.base_url)
        return server

    async def _start_jupyter_server_extension(self, serverapp: object) -> None:
        self._warm_up = asyncio.ensure_future(self._warm_up_in_background())

    async def _warm_up_in_background(self) -> None:
        """Once the server runs: load the operations layer in a worker thread, then, when the
        active profile is Local ModelArts, start it (its modules import in a worker thread too),
        so that both are ready when the page's first requests come.

        The cyclic garbage collector is paused meanwhile, and what exists then (the server's and
        our modules, classes and settings, all kept for the server's life) is frozen out of its
        later full passes: each of the ~50 collections these imports trigger walks the whole
        heap of a started server, 100 ms of CPU in all, a third of the extension's start
        (bench P8)."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            for module in OPERATIONS_LAYER:
                await asyncio.to_thread(importlib.import_module, module)
            if self.accounts.active().backend is Backend.LOCAL:
                await self.local_modelarts()
        except Exception as error:  # the first request that needs it will say what failed
            self.log.warning("jupyterlab_modelarts could not prepare in the background: %s", error)
        finally:
            gc.freeze()
            if collecting:
                gc.enable()

    async def stop_extension(self) -> None:
        if self._warm_up is not None:
            self._warm_up.cancel()
        if "operations" in self.__dict__:
            await self.operations.close()
        await self.watchers.close()
        if "accounts" in self.__dict__:
            await self.accounts.close()
        if self._local_start is not None:
            server = await self._local_start
            self._local_start = None
            await server.stop()
