"""Checks of the release build, run by scripts/fresh-clone.sh with the python of the clean venv
the wheel was installed into (standard library only, plus the installed package):

* the wheel built from the sdist holds the same files as the one built from the tree, among them
  the prebuilt labextension and the server extension's enabling config;
* `jupyter server extension list` and `jupyter labextension list` show the extension enabled;
* `jupyter lab` serves the sidebar's code and answers the extension's status route.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

LABEXTENSION = "jupyterlab-modelarts"
PACKAGE = "jupyterlab_modelarts"
STARTUP_DEADLINE_SECONDS = 90
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def fail(message: str) -> None:
    sys.exit(f"release check: {message}")


def only_wheel(folder: Path) -> Path:
    wheels = sorted(folder.glob("*.whl"))
    if len(wheels) != 1:
        fail(f"expected one wheel in {folder}, found {[wheel.name for wheel in wheels]}")
    return wheels[0]


# webpack names the federation entry after a hash of the build, which two builds of the same
# sources do not share; every other file name is compared as it is.
REMOTE_ENTRY_NAME = re.compile(r"(/static/remoteEntry\.)\w+(\.js)$")


def wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {REMOTE_ENTRY_NAME.sub(r"\1<hash>\2", name) for name in archive.namelist()}


def check_wheel_contents(dist: Path, tree_dist: Path) -> None:
    from_sdist = wheel_files(only_wheel(dist))
    from_tree = wheel_files(only_wheel(tree_dist))
    if from_sdist != from_tree:
        fail(
            "the wheel built from the sdist differs from the one built from the tree:"
            f" only from the sdist {sorted(from_sdist - from_tree)},"
            f" only from the tree {sorted(from_tree - from_sdist)}"
        )
    data = next((name.split("/")[0] for name in from_sdist if ".data/" in name), None)
    if data is None:
        fail("the wheel has no data folder (labextension, server config)")
    shared = f"{data}/data/share/jupyter/labextensions/{LABEXTENSION}"
    required = [
        f"{shared}/package.json",
        f"{shared}/install.json",
        f"{shared}/static/style.js",
        f"{shared}/static/remoteEntry.<hash>.js",
        f"{data}/data/etc/jupyter/jupyter_server_config.d/{PACKAGE}.json",
        f"{PACKAGE}/openapi.json",
    ]
    missing = [name for name in required if name not in from_sdist]
    if missing:
        fail(f"the wheel lacks {missing}")
    print(
        f"release check: the wheels from the sdist and the tree hold"
        f" the same {len(from_sdist)} files"
    )


def jupyter(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return ANSI_ESCAPE.sub("", done.stdout + done.stderr)


def check_listed_enabled() -> None:
    servers = jupyter("server", "extension", "list")
    if not re.search(rf"^\s*{PACKAGE}\s+enabled\s*$", servers, re.MULTILINE) or not re.search(
        rf"{PACKAGE} \S+ OK", servers
    ):
        fail(f"`jupyter server extension list` does not show {PACKAGE} enabled:\n{servers}")
    labextensions = jupyter("labextension", "list")
    if not re.search(rf"{LABEXTENSION} v\S+ enabled\s+OK", labextensions):
        fail(f"`jupyter labextension list` does not show {LABEXTENSION} enabled:\n{labextensions}")
    print("release check: both extension lists show it enabled")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def wait_until_serving(url: str, token: str, lab: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if lab.poll() is not None:
            fail("jupyter lab exited during start-up")
        try:
            get(url, token)
            return
        except OSError:
            time.sleep(0.2)
    fail("jupyter lab did not answer within the deadline")


def check_lab_serves_the_sidebar(home: Path) -> None:
    labextension = Path(sys.prefix, "share", "jupyter", "labextensions", LABEXTENSION)
    remote_entry = json.loads((labextension / "package.json").read_text())["jupyterlab"]["_build"][
        "load"
    ]
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1"]
    command += [f"--port={port}", f"--IdentityProvider.token={token}"]
    command.append(f"--ServerApp.root_dir={home}")
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = (home / "jupyterlab.log").open("wb")
    lab = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base}/api/status", token, lab)
        _, page = get(f"{base}/lab", token)
        if remote_entry not in page.decode():
            fail(f"the /lab page does not load the extension's {remote_entry}")
        status, code = get(f"{base}/lab/extensions/{LABEXTENSION}/{remote_entry}", token)
        if status != 200 or not code:
            fail(f"the extension's {remote_entry} is not served")
        status, answer = get(f"{base}/modelarts/api/v1/status", token)
        if status != 200 or json.loads(answer).get("backend") != "local":
            fail(f"/modelarts/api/v1/status answered {status}: {answer[:500]!r}")
    except BaseException:
        print((home / "jupyterlab.log").read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        lab.terminate()
        lab.wait(timeout=30)
        log.close()
    print(f"release check: jupyter lab serves {remote_entry} and the status route")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, required=True, help="sdist and its wheel")
    parser.add_argument("--tree-dist", type=Path, required=True, help="wheel built from the tree")
    args = parser.parse_args()
    check_wheel_contents(args.dist, args.tree_dist)
    check_listed_enabled()
    with tempfile.TemporaryDirectory() as home:
        check_lab_serves_the_sidebar(Path(home))


if __name__ == "__main__":
    main()
