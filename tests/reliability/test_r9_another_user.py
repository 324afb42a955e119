"""R9: another OS user of the machine cannot get into the user's Local ModelArts. The extension
runs as this user (root in CI) with its data in a folder every user can traverse, so that only
the extension's own modes protect it; then, as ``nobody`` (``runuser``), another_user.py tries
the documented default credentials on IAM, OBS, ModelArts and the admin endpoint, reads the data
folders and the notebook instance's /proc entries, and calls the model server directly. Every
attempt must fail."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import httpx
import psutil
import pytest
from emulator_leftovers import leftovers
from local_workloads import listening_ports, start_everything
from server import jupyter_server

from jupyterlab_modelarts.cloud import signing
from jupyterlab_modelarts.emulator import config as defaults

OTHER_USER = "nobody"
SYSTEM_PYTHON = "/usr/bin/python3"
RUNUSER = shutil.which("runuser", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")


def another_user_available() -> str | None:
    """Why the test cannot run here, or None."""
    if os.geteuid() != 0:
        return "switching to another user needs root"
    if RUNUSER is None or not Path(SYSTEM_PYTHON).exists():
        return "runuser or a system Python is missing"
    try:
        pwd.getpwnam(OTHER_USER)
    except KeyError:
        return f"there is no user {OTHER_USER}"
    return None


pytestmark = pytest.mark.skipif(
    another_user_available() is not None, reason=str(another_user_available())
)


@pytest.fixture
def shared_folder():
    """A folder every user can enter, as a home under /home is: only the modes the extension
    gives its own folders and files stand between them and another user."""
    folder = Path(tempfile.mkdtemp(prefix="r9-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_another_user_gets_nowhere(shared_folder, report):
    home = shared_folder / "home"
    home.mkdir(mode=0o755)
    options = {"local_speed": 50.0, "local_modules": {"instances": {"runtime": "jupyter"}}}
    with jupyter_server(home, options) as server:
        api = httpx.Client(base_url=f"{server.url}/modelarts/api/v1/", headers=server.headers,
                           timeout=60, trust_env=False)  # fmt: skip
        key = start_everything(api, home / "root")
        instance = api.get(f"instances/{key}").json()
        token = instance["url"].split("token=", 1)[1]
        local = api.get("status").json()["endpoint"]
        model_servers = [p for p in leftovers(home) if "model_server.py" in " ".join(p.cmdline())]
        # By command line, not by the marker: what another user sees in ps.
        notebook_servers = [
            p
            for p in psutil.Process(server.process.pid).children(recursive=True)
            if "jupyter_server" in " ".join(p.cmdline())
        ]
        data = home / "data"
        targets = {
            "local_modelarts": local,
            "signing_module": str(shared_folder / "signing.py"),
            "defaults": {
                name.removeprefix("DEFAULT_").lower(): value
                for name, value in vars(defaults).items()
                if name.startswith("DEFAULT_")
            },
            "private_paths": [
                str(data / "modelarts-local"),
                str(data / "modelarts-local" / "state.sqlite3"),
                str(data / "modelarts"),
                str(data / "modelarts" / "operations.json"),
            ],
            "instance_pids": [p.pid for p in notebook_servers],
            "instance_token": token,
            "model_server_ports": sorted(listening_ports(model_servers)),
        }
        assert targets["instance_pids"] and targets["model_server_ports"], targets
        shutil.copy(signing.__file__, shared_folder / "signing.py")
        shutil.copy(Path(__file__).parent / "another_user.py", shared_folder / "another_user.py")
        (shared_folder / "targets.json").write_text(json.dumps(targets))
        for name in ("signing.py", "another_user.py", "targets.json"):
            (shared_folder / name).chmod(0o644)
        attempt = subprocess.run(
            [str(RUNUSER), "-u", OTHER_USER, "--", SYSTEM_PYTHON,
             str(shared_folder / "another_user.py"), str(shared_folder / "targets.json")],
            capture_output=True, text=True, timeout=120, cwd="/", env={"PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        assert attempt.returncode == 0, attempt.stderr
        results = json.loads(attempt.stdout)
    got_in = {name: result for name, result in results.items() if result.startswith("GOT IN")}
    assert not got_in, got_in
    assert len(results) >= 10, results
    report(f"R9 another user ({OTHER_USER}): {len(results)} attempts, all refused")
