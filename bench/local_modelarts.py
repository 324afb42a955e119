"""Local ModelArts in a process of its own, so that the client CPU a benchmark reads from its
own process is the client's alone (the machine has two cores: one each).

``with LocalModelArtsProcess(data_dir) as local: local.base_url``. Run as a module, it serves
until stdin closes; it prints its base URL once it accepts requests.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from jupyterlab_modelarts.cloud.credentials import AccessKey
from jupyterlab_modelarts.emulator.app import EmulatorServer
from jupyterlab_modelarts.emulator.config import EmulatorConfig

REPOSITORY = Path(__file__).resolve().parent.parent


def bench_config(data_dir: Path) -> EmulatorConfig:
    # Notebook instances are simulated: a benchmark of list calls must not start real Jupyter
    # servers that would compete for the two cores. Ten times the cloud's speed brings 200 of
    # them up in seconds, while their one-hour auto-stop (6 minutes here) outlasts any run.
    return EmulatorConfig(
        data_dir=data_dir, speed=10.0, modules={"instances": {"runtime": "simulated"}}
    )


class LocalModelArtsProcess:
    def __init__(self, data_dir: Path) -> None:
        self.config = bench_config(data_dir)
        self.base_url = ""
        self._process: subprocess.Popen[str] | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    @property
    def access_key(self) -> AccessKey:
        return AccessKey(self.config.access_key, self.config.secret_key)

    def __enter__(self) -> LocalModelArtsProcess:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.local_modelarts", str(self.config.data_dir)],
            cwd=REPOSITORY,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        self.base_url = self._process.stdout.readline().strip()
        if not self.base_url.startswith("http://127.0.0.1:"):
            self.__exit__()
            raise RuntimeError("Local ModelArts did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait(timeout=30)
            self._process = None


async def _serve(data_dir: Path) -> None:
    server = EmulatorServer(bench_config(data_dir))
    await server.start()
    print(server.base_url, flush=True)
    try:
        # The parent closes stdin to stop us, also when it dies.
        await asyncio.to_thread(sys.stdin.read)
    finally:
        await server.stop()


if __name__ == "__main__":
    asyncio.run(_serve(Path(sys.argv[1])))
