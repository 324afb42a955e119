"""Running one training job version the way ModelArts runs a v1 job on one node.

The code folder (`app_url`) is copied out of local OBS to `<work_dir>/user-job-dir/<folder>/`,
then `python <folder>/<boot file> --data_url=s3://... --train_url=s3://... --<label>=<value>`
runs there in its own process group, with the moxing shim on its import path and the `DLS_*`
environment of the cloud. stdout and stderr go to one log file per node, copied to `log_url`
when the process ends.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import logs, obs_urls, processes, requirements
from .shims.moxing.file import CACHE_DIR_ENV, CLOUD_CACHE, OBS_ROOT_ENV

#: Seconds a stopped job gets between SIGTERM and SIGKILL.
STOP_GRACE_SECONDS = 5.0
#: File in the code folder whose requirements must be met before the job starts.
REQUIREMENTS_FILE = "pip-requirements.txt"


class RunPhase(enum.Enum):
    PREPARING = "preparing"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    STOPPED = "stopped"

    @property
    def finished(self) -> bool:
        return self in (RunPhase.SUCCEEDED, RunPhase.FAILED, RunPhase.STOPPED)


@dataclass(frozen=True)
class TrainingRequest:
    """What one job version runs. OBS locations are given as the API received them."""

    #: Identifies the process after an emulator restart (see processes.kill_orphan).
    marker: str
    job_id: str
    job_name: str
    app_url: str
    boot_file_url: str
    train_url: str
    data_url: str | None
    log_url: str | None
    parameters: Sequence[tuple[str, str]]
    python: str
    obs_root: Path
    #: Private folder of this version (code copy, cache, log).
    work_dir: Path
    #: A local code folder run instead of `app_url` (built-in algorithms); `boot_file_url`
    #: is then relative to it.
    local_code: Path | None = None
    #: Variables set for the job on top of the cloud's own (v2 `environments`).
    environment: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def log_name(self) -> str:
        return log_file_name(self.job_name)

    @property
    def log_path(self) -> Path:
        return self.work_dir / "log" / self.log_name

    def command(self, boot_path: str) -> list[str]:
        arguments = [self.python, boot_path]
        if self.data_url:
            arguments.append(f"--data_url={obs_urls.to_url(self.data_url)}")
        arguments.append(f"--train_url={obs_urls.to_url(self.train_url)}")
        arguments.extend(f"--{label}={value}" for label, value in self.parameters)
        return arguments


@dataclass(frozen=True)
class RunUpdate:
    phase: RunPhase
    #: Why the run failed or was stopped; empty otherwise.
    reason: str = ""
    pid: int | None = None
    exit_code: int | None = None
    #: Epoch milliseconds.
    started_at: int | None = None
    ended_at: int | None = None


def log_file_name(job_name: str) -> str:
    """The one node's log file, named as TJ-10 lists it (`<job>.<task index>`)."""
    return f"{job_name}.0"


def _writable_dir(path: str) -> bool:
    return os.path.isdir(path) and os.access(path, os.W_OK)


class TrainingError(Exception):
    """The job cannot start (missing code, unmet requirements); the message is the reason."""


def _now_ms() -> int:
    return int(time.time() * 1000)


class TrainingRun:
    """One running (or finished) job version. `on_update` is called from a worker thread on
    every phase change; the caller marshals it to its own loop if it needs to."""

    def __init__(self, request: TrainingRequest, on_update: Callable[[RunUpdate], None]) -> None:
        self.request = request
        self._on_update = on_update
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stop_requested = False
        self._thread = threading.Thread(
            target=self._run, name=f"training-{request.marker}", daemon=True
        )
        self.last_update = RunUpdate(RunPhase.PREPARING)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the run to stop; returns at once, the run reports STOPPED when its group is gone."""
        with self._lock:
            self._stop_requested = True
            process = self._process
        if process is not None and process.poll() is None:
            threading.Thread(
                target=processes.terminate_group,
                args=(process, STOP_GRACE_SECONDS),
                name=f"stop-{self.request.marker}",
                daemon=True,
            ).start()

    def wait(self, timeout: float | None = None) -> RunUpdate:
        self._thread.join(timeout)
        return self.last_update

    @property
    def finished(self) -> bool:
        return self.last_update.phase.finished

    def _report(self, update: RunUpdate) -> None:
        self.last_update = update
        self._on_update(update)

    def _run(self) -> None:
        request = self.request
        self._report(RunUpdate(RunPhase.PREPARING))
        try:
            boot_path = self._prepare()
        except (TrainingError, OSError) as error:
            self._write_log(str(error))
            self._report(RunUpdate(RunPhase.FAILED, reason=str(error), ended_at=_now_ms()))
            return
        with self._lock:
            if self._stop_requested:
                self._report(
                    RunUpdate(RunPhase.STOPPED, "stopped before start", ended_at=_now_ms())
                )
                return
            process = processes.spawn_group(
                request.command(boot_path),
                cwd=self._job_dir,
                env=self._environment(),
                log_path=request.log_path,
                marker=request.marker,
            )
            self._process = process
        started_at = _now_ms()
        self._report(RunUpdate(RunPhase.RUNNING, pid=process.pid, started_at=started_at))
        exit_code = process.wait()
        ended_at = _now_ms()
        self._publish_log()
        base = RunUpdate(RunPhase.SUCCEEDED, "", process.pid, exit_code, started_at, ended_at)
        if self._stop_requested:
            self._report(
                dataclasses.replace(base, phase=RunPhase.STOPPED, reason="stopped by the user")
            )
        elif exit_code != 0:
            reason = f"exit code {exit_code}\n{logs.tail(request.log_path)}"
            self._report(dataclasses.replace(base, phase=RunPhase.FAILED, reason=reason))
        else:
            self._report(base)

    @property
    def _job_dir(self) -> Path:
        return self.request.work_dir / "user-job-dir"

    def _prepare(self) -> str:
        """Copy the code, check its requirements, create the output folder; return the boot
        file's path relative to the job dir."""
        request = self.request
        code, boot_relative = self._code()
        folder = code.name
        destination = self._job_dir / folder
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(code, destination)
        requirements_file = destination / REQUIREMENTS_FILE
        if requirements_file.is_file():
            problems = requirements.unmet(requirements_file.read_text().splitlines())
            if problems:
                raise TrainingError(
                    f"{REQUIREMENTS_FILE} is not met (Local ModelArts installs nothing): "
                    + "; ".join(problems)
                )
        (request.work_dir / "cache").mkdir(parents=True, exist_ok=True)
        obs_urls.resolve(request.obs_root, request.train_url).mkdir(parents=True, exist_ok=True)
        return f"{folder}/{boot_relative}"

    def _code(self) -> tuple[Path, str]:
        """The code folder and the boot file's path inside it."""
        request = self.request
        if request.local_code is not None:
            return request.local_code, request.boot_file_url
        code = obs_urls.resolve(request.obs_root, request.app_url)
        if not code.is_dir():
            raise TrainingError(f"app_url {request.app_url} is not an existing OBS folder")
        boot_relative = obs_urls.relative_key(request.app_url, request.boot_file_url)
        if boot_relative is None:
            raise TrainingError(f"boot_file_url {request.boot_file_url} is not inside app_url")
        if not (code / boot_relative).is_file():
            raise TrainingError(f"boot_file_url {request.boot_file_url} does not exist")
        return code, boot_relative

    def _environment(self) -> dict[str, str]:
        request = self.request
        extra = {
            OBS_ROOT_ENV: str(request.obs_root),
            "DLS_TASK_INDEX": "0",
            "DLS_TASK_NUMBER": "1",
            "DLS_JOB_ID": request.job_id,
            "DLS_TRAIN_URL": obs_urls.to_url(request.train_url),
            "MA_NUM_HOSTS": "1",
            "VC_TASK_INDEX": "0",
            "MA_JOB_DIR": str(self._job_dir),
        }
        if not _writable_dir(CLOUD_CACHE):
            # Scripts use the cloud's scratch disk by its absolute path.
            extra[CACHE_DIR_ENV] = str(request.work_dir / "cache")
        if request.app_url:
            extra["DLS_APP_URL"] = obs_urls.to_url(request.app_url)
        if request.data_url:
            extra["DLS_DATA_URL"] = obs_urls.to_url(request.data_url)
        extra.update(request.environment)
        return processes.child_environment([self._job_dir], extra)

    def _publish_log(self) -> None:
        if not self.request.log_url or not self.request.log_path.exists():
            return
        try:
            target = obs_urls.resolve(self.request.obs_root, self.request.log_url)
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.request.log_path, target / self.request.log_name)
        except OSError as error:
            self._write_log(f"could not copy this log to log_url: {error}")

    def _write_log(self, message: str) -> None:
        """Add a line of Local ModelArts' own to the job's log, where the user looks."""
        self.request.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.request.log_path.open("a", encoding="utf-8") as log:
            log.write(f"[Local ModelArts] {message}\n")
