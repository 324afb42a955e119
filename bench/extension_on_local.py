"""A Jupyter server with the extension whose active profile is a Local ModelArts in another
process (seeded with running notebook instances), so that benchmarks can count the upstream
calls the extension makes (through that Local ModelArts' admin endpoint), change resources
behind the extension's back and sample each side's memory. Both poll intervals are
POLL_SECONDS, so poll counts follow time only."""

from __future__ import annotations

import asyncio
from pathlib import Path

from jupyterlab_modelarts.cloud.modelarts import ModelArts

from .jupyter_server import JupyterServerProcess
from .local_modelarts import LocalModelArtsProcess
from .notebooks_seed import create_notebooks
from .request_counter import RequestCounter

POLL_SECONDS = 1.0
INSTANCES_PATH = "/modelarts/api/v1/instances"
PROFILE = "bench"


class ExtensionOnLocal:
    def __init__(self, folder: Path, notebooks: int = 0, *, v1_training: bool = False) -> None:
        """``v1_training``: the profile trains through v1 (P7 creates its job with the v1
        client), so its cloud is one that serves it: Huawei Cloud Stack, whose endpoints the
        profile names. Otherwise the cloud is Huawei Cloud (a profile without ``cloud``)."""
        self.folder = folder
        self.notebooks = notebooks
        self.v1_training = v1_training
        self.local = LocalModelArtsProcess(folder / "local")
        self.server: JupyterServerProcess | None = None
        self.notebook_ids: list[str] = []

    def client(self) -> ModelArts:
        """Our client, straight to Local ModelArts (not through the extension)."""
        return ModelArts(
            self.local.access_key,
            region=self.local.config.region,
            endpoint=self.local.base_url,
            iam_endpoint=self.local.base_url,
            project_id=self.local.config.project_id,
        )

    def list_call_counter(self) -> RequestCounter:
        """Counts the watchers' upstream notebooks list calls (every page of every poll)."""
        route = rf"^/v1/{self.local.config.project_id}/notebooks$"
        return RequestCounter(self.local.base_url, self.local.config.admin_key, route).install()

    def __enter__(self) -> ExtensionOnLocal:
        self.local.__enter__()
        try:
            self.notebook_ids = asyncio.run(self._seed())
            self.server = self._server().__enter__()
        except BaseException:
            self.local.__exit__()
            raise
        return self

    async def _seed(self) -> list[str]:
        async with self.client() as ma:
            return await create_notebooks(ma, self.notebooks)

    def _server(self) -> JupyterServerProcess:
        config = self.local.config
        url = self.local.base_url
        profile = {
            "name": PROFILE,
            "backend": "modelarts",
            **({"cloud": "hcs", "training_api": "v1"} if self.v1_training else {}),
            "region": config.region,
            "project_id": config.project_id,
            "endpoints": {"modelarts": url, "iam": url, "obs": url},
            "access_key_env": "BENCH_MODELARTS_AK",
            "secret_key_env": "BENCH_MODELARTS_SK",
        }
        return JupyterServerProcess(
            self.folder / "server",
            extension=True,
            modelarts={
                "profiles": [profile],
                "default_profile": PROFILE,
                "poll_interval_active": POLL_SECONDS,
                "poll_interval_idle": POLL_SECONDS,
            },
            environment={
                "BENCH_MODELARTS_AK": config.access_key,
                "BENCH_MODELARTS_SK": config.secret_key,
            },
        )

    def __exit__(self, *exc: object) -> None:
        if self.server is not None:
            self.server.__exit__()
            self.server = None
        self.local.__exit__()
