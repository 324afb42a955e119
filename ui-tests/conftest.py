"""A real JupyterLab with the extension, and Debian's Chromium to drive it."""

from __future__ import annotations

import functools
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from canary import check_answer
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response, expect

from jupyterlab_modelarts.emulator.background import BackgroundEmulator
from jupyterlab_modelarts.emulator.config import EmulatorConfig

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the networking flags Chromium keeps calling out to hosts this machine cannot reach.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_DEADLINE_SECONDS = 90
# Playwright's 5 s default for an assertion is shorter than a click's server round trip on a
# shared, loaded 2-core machine; an assertion still fails, only after a longer deadline.
expect.set_options(timeout=15_000)
CLOUD_VARIABLES = (
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_PROJECT_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
)


@dataclass(frozen=True)
class LabServer:
    url: str
    token: str
    root_dir: Path

    def lab_url(self, path: str = "lab") -> str:
        return f"{self.url}{path}?token={self.token}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"JupyterLab did not answer within the deadline:\n{log.read_text()[-4000:]}")


class LabProcess:
    """A `jupyter lab` subprocess with its own home; restartable on the same folders."""

    def __init__(self, home: Path, root_dir: Path, log_name: str) -> None:
        self.home = home
        self.root_dir = root_dir
        self.token = secrets.token_hex(16)
        self.log = ARTIFACTS / log_name
        self.process: subprocess.Popen[bytes] | None = None
        self.server: LabServer | None = None

    def start(self) -> LabServer:
        port = free_port()
        env = {
            **os.environ,
            "HOME": str(self.home),
            "JUPYTER_CONFIG_DIR": str(self.home / ".jupyter"),
            "JUPYTER_DATA_DIR": str(self.home / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(self.home / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.home / "workspaces"),
        }
        for name in CLOUD_VARIABLES:
            env.pop(name, None)
        # No "fetch Jupyter news?" toast: it takes focus and would reach out to the internet.
        news = self.home / "settings" / "@jupyterlab" / "apputils-extension"
        news.mkdir(parents=True, exist_ok=True)
        (news / "notification.jupyterlab-settings").write_text(
            '{"fetchNews": "false", "checkForUpdates": false}'
        )
        ARTIFACTS.mkdir(exist_ok=True)
        with self.log.open("ab") as log_file:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jupyterlab",
                    "--no-browser",
                    "--ip=127.0.0.1",
                    f"--port={port}",
                    f"--IdentityProvider.token={self.token}",
                    f"--ServerApp.root_dir={self.root_dir}",
                    "--allow-root",
                    # window.jupyterapp: tests run commands without racing for keyboard focus.
                    "--LabApp.expose_app_in_browser=True",
                ],
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        server = LabServer(
            url=f"http://127.0.0.1:{port}/", token=self.token, root_dir=self.root_dir
        )
        wait_until_serving(f"{server.url}api/status?token={self.token}", self.process, self.log)
        self.server = server
        return server

    def kill(self) -> None:
        """SIGKILL: no shutdown code of the server runs, as when the machine runs out of memory."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def lab_process(factory: pytest.TempPathFactory, log_name: str) -> LabProcess:
    return LabProcess(factory.mktemp("home"), factory.mktemp("root"), log_name)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """One JupyterLab shared by the tests that do not change its state."""
    lab = lab_process(tmp_path_factory, "jupyterlab.log")
    try:
        yield lab.start()
    finally:
        lab.stop()


@pytest.fixture
def own_lab(tmp_path_factory: pytest.TempPathFactory, request) -> Iterator[LabProcess]:
    """A JupyterLab of the test's own, which the test may restart."""
    lab = lab_process(tmp_path_factory, f"jupyterlab-{request.node.name}.log")
    try:
        yield lab
    finally:
        lab.stop()


@pytest.fixture
def cloud() -> Iterator[BackgroundEmulator]:
    """A Local ModelArts on its own port, standing in for the real cloud's endpoints."""
    with BackgroundEmulator(EmulatorConfig()) as emulator:
        yield emulator


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """pytest-playwright's page, with every answer of the extension's REST API that the browser
    receives checked for the R2 canaries (the endless event stream is checked by the handler
    tests instead)."""

    def check(response: Response) -> None:
        if "/modelarts/api/" not in response.url or response.url.split("?")[0].endswith("/events"):
            return
        try:
            text = response.text()
        except PlaywrightError:  # the page navigated away before the body arrived
            return
        check_answer(f"browser {response.url}", text)

    page.on("response", check)
    yield page


# --- the look of JupyterLab a test runs in: window size, theme and language ---------------------

CATALOG = (
    Path(__file__).parent.parent
    / "jupyterlab_modelarts"
    / "locale"
    / "zh_CN"
    / "LC_MESSAGES"
    / "jupyterlab_modelarts.json"
)
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
# JupyterLab's own settings; "default" is English (the language packs add the others).
LANGUAGE_SETTING = "@jupyterlab/translation-extension:plugin"
THEME_SETTING = "@jupyterlab/apputils-extension:themes"


@dataclass(frozen=True)
class Look:
    width: int
    height: int
    theme: str  # a key of THEMES
    language: str  # "en" or "zh_CN"

    @property
    def name(self) -> str:
        return f"{self.width}x{self.height}-{self.theme}-{self.language}"

    def label(self, english: str) -> str:
        """What the product shows for ``english`` in this look's language (its catalog)."""
        if self.language == "en":
            return english
        return zh_cn_catalog()[english][0]


@functools.cache
def zh_cn_catalog() -> dict[str, list[str]]:
    return json.loads(CATALOG.read_text(encoding="utf-8"))


def put_setting(server: LabServer, plugin: str, values: dict) -> None:
    """Change a JupyterLab setting through its REST API (a page opened after reads it)."""
    request = urllib.request.Request(
        f"{server.url}lab/api/settings/{plugin}",
        data=json.dumps({"raw": json.dumps(values)}).encode(),
        method="PUT",
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 204, answer.status


@pytest.fixture
def look(request, page: Page, lab_server: LabServer) -> Iterator[Look]:
    """JupyterLab in the look the test is parametrized with (``indirect``): window size,
    theme and language are set before the test opens it; the shared server's settings are
    put back afterwards so that other tests find JupyterLab as it starts."""
    chosen: Look = request.param
    page.set_viewport_size({"width": chosen.width, "height": chosen.height})
    put_setting(lab_server, THEME_SETTING, {"theme": THEMES[chosen.theme]})
    put_setting(
        lab_server,
        LANGUAGE_SETTING,
        {"locale": "default" if chosen.language == "en" else chosen.language},
    )
    try:
        yield chosen
    finally:
        put_setting(lab_server, THEME_SETTING, {})
        put_setting(lab_server, LANGUAGE_SETTING, {})
