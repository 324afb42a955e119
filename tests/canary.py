"""R2: the secrets every test run uses are canaries. Loaded into every pytest run of the suite
(``-p canary``), this plugin records DEBUG logging of the whole run and, at its end, looks for
the canaries in every log record and exception text, in every REST answer the handler tests
and the browser tests' pages received and every magic's output (``check_answer``), and in every
file the run wrote outside a 0600 credentials file. A canary found anywhere fails the run.

The canaries are Local ModelArts' accepted secrets (every test's "cloud" credentials), its IAM
password, its PAI secret, and any IAM token it issues.
"""

from __future__ import annotations

import logging
import re
import stat
from pathlib import Path

import pytest

from jupyterlab_modelarts.emulator import config as local_defaults

SECRETS = (
    local_defaults.DEFAULT_SECRET_KEY,
    local_defaults.DEFAULT_IAM_PASSWORD,
    local_defaults.DEFAULT_PAI_SECRET,
)
IAM_TOKEN = re.compile(r"MIIL[A-Za-z0-9_-]{100,}")
#: Files a test writes on purpose with a secret in it (inputs, not outputs of the extension).
ALLOWED_FILES = ("credentials.json",)


def leaks_in(text: str) -> list[str]:
    found = [f"secret ...{secret[-4:]}" for secret in SECRETS if secret in text]
    if IAM_TOKEN.search(text):
        found.append("an IAM token")
    return found


class CanaryHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is not ours to judge
            return
        if record.exc_info and record.exc_info[1] is not None:
            text += f"\n{record.exc_info[1]!r}"
        for leak in leaks_in(text):
            self.leaks.append(f"log {record.name}: {leak}: {text[:160]!r}")


HANDLER = CanaryHandler()


def check_answer(where: str, text: str) -> None:
    """Record a leak if a REST answer or a magic's output carries a canary."""
    HANDLER.leaks.extend(f"{where}: {leak}" for leak in leaks_in(text))


def pytest_sessionstart(session: pytest.Session) -> None:
    root = logging.getLogger()
    root.addHandler(HANDLER)
    root.setLevel(logging.DEBUG)


def _written_files(session: pytest.Session) -> list[Path]:
    """Everything under the run's temporary folders (the homes, data dirs and roots the tests
    gave the extension), and the browser tests' server logs."""
    roots = [session.config.rootpath / "artifacts"]
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is not None:
        roots.append(factory.getbasetemp())
    return [
        path
        for root in roots
        if root.is_dir()
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    ]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leaks = list(HANDLER.leaks)
    for path in _written_files(session):
        if path.name in ALLOWED_FILES and stat.S_IMODE(path.stat().st_mode) == 0o600:
            continue
        try:
            if path.stat().st_size > 50 * 1024 * 1024:
                continue
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        leaks.extend(f"file {path}: {leak}" for leak in leaks_in(text))
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.section("R2 secret canaries")
        reporter.write_line(f"{len(leaks)} leaks of the run's secrets, tokens and passwords")
        for leak in leaks[:50]:
            reporter.write_line(leak)
    if leaks:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
