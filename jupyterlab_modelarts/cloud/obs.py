"""Object transfers to and from OBS with the official esdk-obs-python, run in worker threads.

Large files go up and down in parallel parts with a checkpoint file, so an interrupted transfer
resumes where it stopped; small files go in one request whose MD5 the server checks. Every
uploaded object carries the MD5 of its content in its metadata, so a folder upload skips files
that are already there unchanged (same size and MD5) and a download checks what it received.

Each file is read once before it is sent, for that MD5, which also names the checkpoint of a
large file: a file whose content changed never resumes an upload of its former content. A
folder upload hashes its large files ahead of their turn, while other files are being sent.
Locations are ``obs://bucket/key`` or ``/bucket/key``.
"""

from __future__ import annotations

import asyncio
import base64
import builtins
import hashlib
import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..private_paths import private_directory, user_cache_path
from .credentials import AccessKey
from .errors import CloudError, NetworkError, ServerError, ValidationError, error_from_response

T = TypeVar("T")

MD5_META = "md5"
DEFAULT_PART_SIZE = 8 * 1024 * 1024


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Progress:
    """Bytes done out of the bytes to transfer (skipped files count as done)."""

    done: int
    total: int
    files_done: int
    files_total: int
    current: str | None = None


@dataclass
class TransferReport:
    transferred: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    bytes: int = 0


ProgressCallback = Callable[[Progress], Any]


def split_obs_url(url: str) -> tuple[str, str]:
    """``obs://bucket/key`` or ``/bucket/key`` -> (bucket, key)."""
    path = url.removeprefix("obs://").removeprefix("s3://").lstrip("/")
    bucket, _, key = path.partition("/")
    if not bucket:
        raise ValidationError(f"not an OBS location: {url!r}", field="obs_url")
    return bucket, key


def _file_size(path: Path) -> int:
    if not path.is_file():
        raise ValidationError(f"no such file: {path}", field="local_path")
    return path.stat().st_size


def _scan_folder(root: Path) -> list[tuple[Path, str, int]]:
    """(path, relative POSIX path, size) of every file under ``root``, sorted; a symlink that
    leads out of ``root`` is no file of it (symlinked folders are not followed at all)."""
    if not root.is_dir():
        raise ValidationError(f"no such folder: {root}", field="local_dir")
    resolved = root.resolve()
    return [
        (path, path.relative_to(root).as_posix(), path.stat().st_size)
        for path in sorted(root.rglob("*"))
        if path.is_file() and resolved in path.resolve().parents
    ]


def file_md5(path: Path, chunk: int = 4 * 1024 * 1024) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


class _ProgressTracker:
    """Adds up per-file byte counts reported from worker threads; reports on the loop."""

    def __init__(
        self,
        callback: ProgressCallback | None,
        loop: asyncio.AbstractEventLoop,
        total: int,
        files_total: int,
    ) -> None:
        self._callback = callback
        self._loop = loop
        self._lock = threading.Lock()
        self._per_file: dict[str, int] = {}
        self._done = 0
        self._finished = 0
        self._total = total
        self._files_total = files_total

    @property
    def wanted(self) -> bool:
        """Whether anyone listens: without a callback, the SDK needs no progress thread."""
        return self._callback is not None

    def update(self, name: str, done: int) -> None:
        with self._lock:
            self._done += done - self._per_file.get(name, 0)
            self._per_file[name] = done
            progress = Progress(self._done, self._total, self._finished, self._files_total, name)
        if self._callback is not None:
            self._loop.call_soon_threadsafe(self._callback, progress)

    def finish(self, name: str, size: int) -> None:
        with self._lock:
            self._finished += 1
        self.update(name, size)

    def for_file(self, name: str) -> Callable[[int, int, float], None] | None:
        """The esdk progress callback (transferred, total, seconds) of one file, if wanted."""
        if not self.wanted:
            return None
        return lambda transferred, _total, _seconds: self.update(name, transferred)


class ObsTransfer:
    """Uploads, downloads, listings and deletions against one OBS endpoint.

    ``endpoint`` is the OBS server (``https://obs.cn-north-4.myhuaweicloud.com`` or Local
    ModelArts' base URL). ``parallel_files`` files move at once; each large file moves in
    ``part_tasks`` parallel parts of ``part_size`` bytes. A folder upload hashes one large file
    at a time ahead of its upload slot.
    """

    def __init__(
        self,
        credentials: AccessKey,
        *,
        endpoint: str,
        part_size: int = DEFAULT_PART_SIZE,
        part_tasks: int = 4,
        parallel_files: int = 4,
        checkpoint_dir: Path | None = None,
    ) -> None:
        if part_size < 5 * 1024 * 1024:
            raise ValidationError("must be at least 5 MiB (OBS multipart rule)", field="part_size")
        # The official SDK takes a sixth of a second to import: only when a transfer is made.
        from obs import ObsClient

        self._client = ObsClient(
            access_key_id=credentials.access_key,
            secret_access_key=credentials.secret_key,
            security_token=credentials.security_token,
            server=endpoint,
            # Keep-alive connections, reused from a pool: the SDK's default opens (and, over
            # HTTPS, handshakes) a new connection for every request.
            long_conn_mode=True,
        )
        self.part_size = part_size
        self.part_tasks = part_tasks
        self.parallel_files = parallel_files
        # A shared, predictable folder (/tmp) would let another user plant a record the SDK
        # follows with our keys: checkpoints live in a folder only the user can enter.
        self.checkpoint_dir = checkpoint_dir or user_cache_path("obs-checkpoints")
        self._executor: ThreadPoolExecutor | None = None

    async def __aenter__(self) -> ObsTransfer:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._thread(self._client.close)
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

    def _thread(self, function: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """Run a blocking call in this transfer's own threads (``parallel_files`` uploads and
        one hashing ahead, plus one spare), not in the event loop's default executor, which
        the rest of the Jupyter server shares and which has only 6 threads on 2 cores."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=self.parallel_files + 2, thread_name_prefix="obs-transfer"
            )
        return asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    # --- buckets ---------------------------------------------------------------------------

    async def ensure_bucket(self, bucket: str, *, location: str | None = None) -> bool:
        """Create ``bucket`` (in region ``location``) unless it exists; True if created."""
        return await self._thread(self._ensure_bucket, bucket, location)

    # --- single objects --------------------------------------------------------------------

    async def upload_file(
        self, local_path: str | Path, obs_url: str, *, progress: ProgressCallback | None = None
    ) -> ObjectInfo:
        """Upload one file; an ``obs_url`` ending with ``/`` keeps the file's name."""
        path = Path(local_path)
        size = await self._thread(_file_size, path)
        tracker = _ProgressTracker(progress, asyncio.get_running_loop(), size, 1)
        info = await self._thread(self._upload, path, obs_url, tracker, path.name)
        tracker.finish(path.name, size)
        return info

    async def download_file(
        self, obs_url: str, local_path: str | Path, *, progress: ProgressCallback | None = None
    ) -> ObjectInfo:
        bucket, key = split_obs_url(obs_url)
        remote = await self._thread(self._head, bucket, key)
        tracker = _ProgressTracker(progress, asyncio.get_running_loop(), remote[0].size, 1)
        await self._thread(self._download, bucket, key, Path(local_path), remote, tracker)
        tracker.finish(key, remote[0].size)
        return remote[0]

    async def list(self, obs_url: str) -> list[ObjectInfo]:
        """Every object under a prefix (``obs://bucket/folder/``)."""
        bucket, prefix = split_obs_url(obs_url)
        return await self._thread(self._list, bucket, prefix)

    async def delete(self, obs_url: str) -> int:
        """Delete one object, or every object under a folder URL ending with ``/``; returns how
        many were deleted."""
        bucket, key = split_obs_url(obs_url)
        if key and not key.endswith("/"):
            await self._thread(self._delete_keys, bucket, [key])
            return 1
        keys = [info.key for info in await self.list(obs_url)]
        await self._thread(self._delete_keys, bucket, keys)
        return len(keys)

    # --- folders ---------------------------------------------------------------------------

    async def upload_folder(
        self,
        local_dir: str | Path,
        obs_folder: str,
        *,
        progress: ProgressCallback | None = None,
        skip_unchanged: bool = True,
        files: builtins.list[tuple[Path, str, int]] | None = None,
    ) -> TransferReport:
        """Upload every file under ``local_dir`` (or just ``files``: (path, relative POSIX path,
        size), as the caller chose them) to ``obs_folder`` (ending with ``/``), keeping the
        relative paths; files already there with the same size and MD5 are skipped."""
        if not obs_folder.endswith("/"):
            raise ValidationError("must be a folder ending with '/'", field="obs_folder")
        if files is None:
            files = await self._thread(_scan_folder, Path(local_dir))
        bucket, prefix = split_obs_url(obs_folder)
        existing = (
            {info.key: info for info in await self.list(obs_folder)} if skip_unchanged else {}
        )
        total = sum(size for _path, _relative, size in files)
        tracker = _ProgressTracker(progress, asyncio.get_running_loop(), total, len(files))
        report = TransferReport()
        limit = asyncio.Semaphore(self.parallel_files)
        # Large files are read for their MD5 one at a time, outside the upload slots: that pass
        # overlaps the sending of other files instead of holding a slot (and the line) idle.
        hashing = asyncio.Semaphore(1)

        async def one(path: Path, relative: str, size: int) -> None:
            key = prefix + relative
            md5 = None
            if size > self.part_size:
                async with hashing:
                    md5 = await self._thread(file_md5, path)
            async with limit:
                if md5 is None:
                    md5 = await self._thread(file_md5, path)
                if key in existing and await self._thread(
                    self._unchanged, bucket, key, size, md5, existing[key]
                ):
                    report.skipped.append(relative)
                else:
                    await self._thread(
                        self._upload, path, f"/{bucket}/{key}", tracker, relative, md5
                    )
                    report.transferred.append(relative)
                    report.bytes += size
            tracker.finish(relative, size)

        await asyncio.gather(*(one(*entry) for entry in files))
        report.transferred.sort()
        report.skipped.sort()
        return report

    async def download_folder(
        self, obs_folder: str, local_dir: str | Path, *, progress: ProgressCallback | None = None
    ) -> TransferReport:
        """Download every object under ``obs_folder`` into ``local_dir``."""
        bucket, prefix = split_obs_url(obs_folder)
        objects = [info for info in await self.list(obs_folder) if not info.key.endswith("/")]
        root = await self._thread(Path(local_dir).resolve)
        total = sum(info.size for info in objects)
        tracker = _ProgressTracker(progress, asyncio.get_running_loop(), total, len(objects))
        report = TransferReport()
        limit = asyncio.Semaphore(self.parallel_files)

        async def one(info: ObjectInfo) -> None:
            relative = info.key[len(prefix) :]
            target = Path(os.path.normpath(root / relative))  # noqa: ASYNC240 - no I/O
            if root not in target.parents:
                raise ValidationError(f"object key escapes the folder: {info.key}", field="key")
            async with limit:
                remote = await self._thread(self._head, bucket, info.key)
                await self._thread(self._download, bucket, info.key, target, remote, tracker)
            report.transferred.append(relative)
            report.bytes += info.size
            tracker.finish(relative, info.size)

        await asyncio.gather(*(one(info) for info in objects))
        report.transferred.sort()
        return report

    # --- blocking parts (worker threads) -----------------------------------------------------

    def _checkpoint(self, kind: str, bucket: str, key: str, local: Path) -> str:
        private_directory(self.checkpoint_dir)
        name = hashlib.sha256(f"{kind}\0{bucket}\0{key}\0{local.resolve()}".encode()).hexdigest()
        return str(self.checkpoint_dir / f"{name}.{kind}_record")

    def _upload_checkpoint(self, bucket: str, key: str, local: Path, md5: str) -> str:
        """The checkpoint of uploading ``local`` with content ``md5`` to ``bucket/key``.

        The content's MD5 is part of the name, so a checkpoint never resumes an upload of other
        content (what the SDK's ``checkSum``, a second whole-file SHA-256 pass, would check);
        checkpoints of the same file and key with other content are aborted and removed.
        """
        stem = Path(self._checkpoint("upload", bucket, key, local)).name.split(".")[0]
        current = self.checkpoint_dir / f"{stem}.{md5}.upload_record"
        for stale in self.checkpoint_dir.glob(f"{stem}.*upload_record"):
            if stale != current:
                self._abort_recorded_upload(stale)
        return str(current)

    def _abort_recorded_upload(self, record: Path) -> None:
        """Abort the multipart upload a stale checkpoint records, then remove the checkpoint."""
        try:
            state = json.loads(record.read_text())
            self._client.abortMultipartUpload(state["bucketName"], state["objectKey"],
                                              state["uploadId"])  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError):
            pass  # unreadable: the bucket's lifecycle rules clean up what it named
        record.unlink(missing_ok=True)

    def _upload(
        self,
        path: Path,
        obs_url: str,
        tracker: _ProgressTracker,
        name: str,
        md5: str | None = None,
    ) -> ObjectInfo:
        """Upload one file whose MD5 (hex) is ``md5`` (computed here if not given) and check
        what the server stored: the ETag it computed of a single PUT (which it already checked
        against Content-MD5), or the size and MD5 metadata of a multipart upload."""
        bucket, key = split_obs_url(obs_url)
        if not key or key.endswith("/"):
            key += path.name
        md5 = md5 or file_md5(path)
        size = path.stat().st_size
        callback = tracker.for_file(name)
        if size <= self.part_size:
            from obs import PutObjectHeader

            header = PutObjectHeader(md5=base64.b64encode(bytes.fromhex(md5)).decode())
            resp = self._call(
                self._client.putFile,
                bucket,
                key,
                str(path),
                metadata={MD5_META: md5},
                headers=header,
                progressCallback=callback,
            )
            etag = (getattr(resp.body, "etag", None) or "").strip('"').lower()
            if etag == md5:
                return ObjectInfo(key, size, etag)
            # No ETag, or one that is not the MD5 (server-side encryption): check as for parts.
        else:
            resp = self._call(
                self._client.uploadFile,
                bucket,
                key,
                str(path),
                partSize=self.part_size,
                taskNum=self.part_tasks,
                enableCheckpoint=True,
                checkpointFile=self._upload_checkpoint(bucket, key, path, md5),
                metadata={MD5_META: md5},
                progressCallback=callback,
            )
        info, remote_md5 = self._head(bucket, key)
        if info.size != size or remote_md5 not in (None, md5):
            raise CloudError(
                f"upload of {path.name} is corrupt: {info.size} bytes stored for {size}",
                service="OBS",
            )
        etag = getattr(resp.body, "etag", None) if resp.body is not None else None
        return ObjectInfo(key, size, (etag or info.etag or "").strip('"') or None)

    def _download(
        self,
        bucket: str,
        key: str,
        target: Path,
        remote: tuple[ObjectInfo, str | None],
        tracker: _ProgressTracker,
    ) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        self._call(
            self._client.downloadFile,
            bucket,
            key,
            downloadFile=str(target),
            partSize=self.part_size,
            taskNum=self.part_tasks,
            enableCheckpoint=True,
            checkpointFile=self._checkpoint("download", bucket, key, target),
            progressCallback=tracker.for_file(key),
        )
        info, md5 = remote
        expected = md5 or (info.etag if info.etag and "-" not in info.etag else None)
        size = target.stat().st_size
        if size != info.size or (expected is not None and file_md5(target) != expected):
            target.unlink(missing_ok=True)
            raise CloudError(f"download of {key} is corrupt and was removed", service="OBS")

    def _unchanged(self, bucket: str, key: str, size: int, md5: str, listed: ObjectInfo) -> bool:
        """Whether the object listed at ``key`` has this size and MD5: a single-PUT object's
        listed ETag is its MD5; otherwise (multipart) the MD5 is in its metadata (one HEAD)."""
        if listed.size != size:
            return False
        if listed.etag and listed.etag.lower() == md5:
            return True
        info, remote_md5 = self._head(bucket, key)
        return md5 in (remote_md5, info.etag)

    def _ensure_bucket(self, bucket: str, location: str | None) -> bool:
        if self._client.headBucket(bucket).status < 300:
            return False
        try:
            self._call(self._client.createBucket, bucket, location=location)
        except CloudError as error:
            # Another transfer (a training launch beside a deployment) created it in between.
            if error.error_code == "BucketAlreadyOwnedByYou":
                return False
            raise
        return True

    def _head(self, bucket: str, key: str) -> tuple[ObjectInfo, str | None]:
        """The object's info and the MD5 it was uploaded with (from its metadata, if any).
        esdk-obs-python hands user metadata back without its ``x-*-meta-`` prefix."""
        resp = self._call(self._client.getObjectMetadata, bucket, key)
        headers = {name.lower(): value for name, value in (resp.header or [])}
        etag = (headers.get("etag") or "").strip('"') or None
        info = ObjectInfo(key, int(headers.get("content-length") or 0), etag,
                          headers.get("last-modified"))  # fmt: skip
        return info, headers.get(MD5_META)

    def _list(self, bucket: str, prefix: str) -> builtins.list[ObjectInfo]:
        found: builtins.list[ObjectInfo] = []
        marker = None
        while True:
            resp = self._call(
                self._client.listObjects, bucket, prefix=prefix or None, marker=marker
            )
            for item in resp.body.contents or []:
                found.append(
                    ObjectInfo(
                        item.key, int(item.size or 0), (item.etag or "").strip('"') or None,
                        str(item.lastModified) if item.lastModified else None,
                    )
                )  # fmt: skip
            if not resp.body.is_truncated:
                return found
            marker = resp.body.next_marker or (found[-1].key if found else None)

    def _delete_keys(self, bucket: str, keys: builtins.list[str]) -> None:
        for key in keys:
            self._call(self._client.deleteObject, bucket, key)

    @staticmethod
    def _call(operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """esdk-obs-python reports errors in its result instead of raising: raise them."""
        try:
            resp = operation(*args, **kwargs)
        except OSError as exc:
            raise NetworkError(f"OBS {operation.__name__} failed: {exc}", service="OBS") from exc
        except Exception as exc:  # the resumable transfers raise bare Exceptions
            raise ServerError(
                f"OBS {operation.__name__} failed: {exc} (run it again to resume)", service="OBS"
            ) from exc
        if resp.status >= 300:
            body = {
                "error_code": resp.errorCode,
                "error_msg": resp.errorMessage or resp.reason,
                "request_id": resp.requestId,
            }
            raise error_from_response(resp.status, {}, body, service="OBS")
        return resp
