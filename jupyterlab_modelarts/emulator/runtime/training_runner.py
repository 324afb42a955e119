"""Running one training job version the way ModelArts runs it: one process per worker.

For every worker i the code folder (`app_url`) is copied out of local OBS to
`<work_dir>/worker-<i>/user-job-dir/<folder>/`, then
`python <folder>/<boot file> --data_url=s3://... --train_url=s3://... --<label>=<value>` runs
there in its own process group, with the moxing shim on its import path and the environment the
cloud gives that worker (workers.py: v1 `DLS_*`, or v2 `MA_*`/`VC_*`). All workers write to the
same `train_url`, as they write to the same OBS folder on the cloud. stdout and stderr go to one
log file per worker, copied to `log_url` when the run ends.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import logs, obs_urls, processes, requirements, workers
from .shims.moxing.file import CACHE_DIR_ENV, CLOUD_CACHE, OBS_ROOT_ENV
from .workers import Generation

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

    #: Identifies the processes after an emulator restart (see processes.kill_orphan).
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
    #: Private folder of this version (one folder per worker, the logs).
    work_dir: Path
    #: A local code folder run instead of `app_url` (built-in algorithms); `boot_file_url`
    #: is then relative to it.
    local_code: Path | None = None
    #: Worker processes (v1 `worker_server_num`, v2 `spec.resource.node_count`).
    workers: int = 1
    #: Whose variables the workers get and how their logs are named.
    generation: Generation = Generation.V1
    #: Variables set for the job on top of the cloud's own (v2 `environments`).
    environment: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def log_name(self, index: int = 0) -> str:
        return workers.log_name(self.generation, self.job_id, self.job_name, index)

    def log_names(self) -> list[str]:
        return [self.log_name(index) for index in range(self.workers)]

    def worker_log_path(self, index: int) -> Path:
        return self.work_dir / "log" / self.log_name(index)

    @property
    def log_path(self) -> Path:
        """Worker 0's log, where Local ModelArts writes what concerns the whole job."""
        return self.worker_log_path(0)

    def worker_dir(self, index: int) -> Path:
        """The private folder of worker `index` (its container's disk on the cloud)."""
        return self.work_dir / f"worker-{index}"

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
    #: Worker 0's process.
    pid: int | None = None
    exit_code: int | None = None
    #: Epoch milliseconds.
    started_at: int | None = None
    ended_at: int | None = None
    #: Every worker's process and phase, by task index.
    pids: tuple[int, ...] = ()
    worker_phases: tuple[RunPhase, ...] = ()


def log_file_name(job_name: str, index: int = 0) -> str:
    """A v1 worker's log file, named as TJ-10 lists it (`<job>.<task index>`)."""
    return workers.log_name(Generation.V1, "", job_name, index)


def _writable_dir(path: str) -> bool:
    return os.path.isdir(path) and os.access(path, os.W_OK)


def _put_exit(
    exits: queue.SimpleQueue[tuple[int, int]], index: int, process: subprocess.Popen[bytes]
) -> None:
    exits.put((index, process.wait()))


class TrainingError(Exception):
    """The job cannot start (missing code, unmet requirements); the message is the reason."""


def _now_ms() -> int:
    return int(time.time() * 1000)


class TrainingRun:
    """One running (or finished) job version: its workers, started together, watched together.

    The run is RUNNING once every worker has started; the first worker that fails stops the
    others and fails the run with its exit code and log tail; it SUCCEEDS when every worker
    exits with 0. `on_update` is called from a worker thread on every phase change of the run
    or of one worker; the caller marshals it to its own loop if it needs to."""

    def __init__(self, request: TrainingRequest, on_update: Callable[[RunUpdate], None]) -> None:
        self.request = request
        self._on_update = on_update
        self._lock = threading.Lock()
        self._processes: list[subprocess.Popen[bytes]] = []
        self._stop_requested = False
        self._thread = threading.Thread(
            target=self._run, name=f"training-{request.marker}", daemon=True
        )
        self.last_update = RunUpdate(RunPhase.PREPARING)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the run to stop; returns at once, the run reports STOPPED when every worker's
        group is gone."""
        with self._lock:
            self._stop_requested = True
            running = list(self._processes)
        self._terminate(running)

    def wait(self, timeout: float | None = None) -> RunUpdate:
        self._thread.join(timeout)
        return self.last_update

    @property
    def finished(self) -> bool:
        return self.last_update.phase.finished

    def _terminate(self, group_leaders: Sequence[subprocess.Popen[bytes]]) -> None:
        """Stop the groups in parallel: each gets the full grace period."""
        for process in group_leaders:
            if process.poll() is None:
                threading.Thread(
                    target=processes.terminate_group,
                    args=(process, STOP_GRACE_SECONDS),
                    name=f"stop-{self.request.marker}-{process.pid}",
                    daemon=True,
                ).start()

    def _report(self, update: RunUpdate) -> None:
        self.last_update = update
        self._on_update(update)

    def _run(self) -> None:
        count = self.request.workers
        self._report(RunUpdate(RunPhase.PREPARING, worker_phases=(RunPhase.PREPARING,) * count))
        try:
            boot_path = self._prepare()
        except (TrainingError, OSError) as error:
            self._write_log(str(error))
            self._end_early(RunPhase.FAILED, str(error))
            return
        self._note_cloud_names()
        place = self._place()
        with self._lock:
            if self._stop_requested:
                self._end_early(RunPhase.STOPPED, "stopped before start")
                return
            for index in range(count):
                try:
                    self._processes.append(self._spawn(place, boot_path, index))
                except OSError as error:
                    self._terminate(self._processes)
                    reason = f"worker {index} could not start: {error}"
                    self._write_log(reason)
                    self._end_early(RunPhase.FAILED, reason)
                    return
        self._watch()

    def _end_early(self, phase: RunPhase, reason: str) -> None:
        """The run ends before its workers run: every worker ends with it."""
        self._report(
            RunUpdate(
                phase,
                reason,
                ended_at=_now_ms(),
                worker_phases=(phase,) * self.request.workers,
            )
        )

    def _watch(self) -> None:
        """Wait for the workers; the first to fail stops the others."""
        request = self.request
        started = list(self._processes)
        pids = tuple(process.pid for process in started)
        phases = [RunPhase.RUNNING] * len(started)
        running = RunUpdate(
            RunPhase.RUNNING,
            pid=pids[0],
            started_at=_now_ms(),
            pids=pids,
            worker_phases=tuple(phases),
        )
        self._report(running)
        # One waiter per worker: whichever exits first is heard first.
        exits: queue.SimpleQueue[tuple[int, int]] = queue.SimpleQueue()
        for index, process in enumerate(started):
            threading.Thread(
                target=_put_exit,
                args=(exits, index, process),
                name=f"wait-{request.marker}-{index}",
                daemon=True,
            ).start()
        failure: tuple[int, int] | None = None
        for remaining in range(len(started) - 1, -1, -1):
            index, exit_code = exits.get()
            if exit_code == 0:
                phases[index] = RunPhase.SUCCEEDED
            elif self._stop_requested or failure is not None:
                phases[index] = RunPhase.STOPPED
            else:
                failure = (index, exit_code)
                phases[index] = RunPhase.FAILED
                others = [p for i, p in enumerate(started) if i != index]
                if others:
                    self._write_log(f"worker {index} failed: stopping the other workers")
                self._terminate(others)
            if remaining:
                running = dataclasses.replace(running, worker_phases=tuple(phases))
                self._report(running)
        self._publish_logs()
        final = dataclasses.replace(
            running,
            phase=RunPhase.SUCCEEDED,
            exit_code=started[0].returncode,
            ended_at=_now_ms(),
            worker_phases=tuple(phases),
        )
        if self._stop_requested and failure is None:
            final = dataclasses.replace(final, phase=RunPhase.STOPPED, reason="stopped by the user")
        elif failure is not None:
            index, exit_code = failure
            worker = f"worker {index} ({request.log_name(index)}): " if len(started) > 1 else ""
            reason = f"{worker}exit code {exit_code}\n{logs.tail(request.worker_log_path(index))}"
            final = dataclasses.replace(
                final, phase=RunPhase.FAILED, reason=reason, exit_code=exit_code
            )
        self._report(final)

    def _job_dir(self, index: int) -> Path:
        return self.request.worker_dir(index) / "user-job-dir"

    def _prepare(self) -> str:
        """Copy the code into every worker's job dir, check its requirements, create the output
        folder; return the boot file's path relative to a job dir."""
        request = self.request
        code, boot_relative = self._code()
        folder = code.name
        requirements_file = code / REQUIREMENTS_FILE
        if requirements_file.is_file():
            problems = requirements.unmet(requirements_file.read_text().splitlines())
            if problems:
                raise TrainingError(
                    f"{REQUIREMENTS_FILE} is not met (Local ModelArts installs nothing): "
                    + "; ".join(problems)
                )
        for index in range(request.workers):
            destination = self._job_dir(index) / folder
            if destination.exists():
                shutil.rmtree(destination)
            shutil.copytree(code, destination)
            (request.worker_dir(index) / "cache").mkdir(parents=True, exist_ok=True)
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

    def _note_cloud_names(self) -> None:
        """Tell the user, before the workers start, when the script builds the cloud's host
        names and this machine cannot resolve them."""
        request = self.request
        if request.generation is not Generation.V2:
            return
        code = self._job_dir(0)
        uses_names = any(
            "MA_VJ_NAME" in path.read_text(encoding="utf-8", errors="replace")
            for path in code.rglob("*")
            if path.suffix in (".py", ".sh") and path.is_file()
        )
        problem = workers.cloud_name_problem(request.job_id) if uses_names else None
        if problem:
            self._write_log(problem)

    def _place(self) -> workers.JobPlace:
        request = self.request
        ports = workers.free_loopback_ports(request.workers)
        return workers.JobPlace(
            job_id=request.job_id,
            job_name=request.job_name,
            app_url=request.app_url,
            data_url=request.data_url,
            train_url=request.train_url,
            hosts=[(workers.LOOPBACK, port) for port in ports],
        )

    def _spawn(
        self, place: workers.JobPlace, boot_path: str, index: int
    ) -> subprocess.Popen[bytes]:
        request = self.request
        job_dir = self._job_dir(index)
        return processes.spawn_group(
            request.command(boot_path),
            cwd=job_dir,
            env=self._environment(place, index),
            log_path=request.worker_log_path(index),
            marker=request.marker,
        )

    def _environment(self, place: workers.JobPlace, index: int) -> dict[str, str]:
        request = self.request
        job_dir = self._job_dir(index)
        extra = workers.worker_environment(
            request.generation,
            place,
            index,
            job_dir=str(job_dir),
            log_dir=str(request.work_dir / "log"),
        )
        extra[OBS_ROOT_ENV] = str(request.obs_root)
        if not _writable_dir(CLOUD_CACHE):
            # Scripts use the cloud's scratch disk by its absolute path.
            extra[CACHE_DIR_ENV] = str(request.worker_dir(index) / "cache")
        extra.update(request.environment)
        return processes.child_environment([job_dir], extra)

    def _publish_logs(self) -> None:
        """Copy every worker's log to `log_url`, as the cloud uploads them."""
        request = self.request
        if not request.log_url:
            return
        try:
            target = obs_urls.resolve(request.obs_root, request.log_url)
            target.mkdir(parents=True, exist_ok=True)
            for index in range(request.workers):
                path = request.worker_log_path(index)
                if path.exists():
                    shutil.copyfile(path, target / request.log_name(index))
        except OSError as error:
            self._write_log(f"could not copy the logs to log_url: {error}")

    def _write_log(self, message: str) -> None:
        """Add a line of Local ModelArts' own to every worker's log, where the user looks."""
        paths = (self.request.worker_log_path(index) for index in range(self.request.workers))
        logs.note(paths, message)
