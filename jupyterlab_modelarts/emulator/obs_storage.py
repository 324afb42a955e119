"""Local OBS object storage on disk, and the Python API other emulator modules use.

An object ``bucket/key`` is the file ``<root>/buckets/<bucket>/<key>``, so training processes
and the moxing shim can read and write objects as plain files; a key ending in ``/`` is a folder
marker (a directory). Object metadata (ETag, content type, user metadata) lives in the store,
keyed by ``bucket/key`` and checked against the file's size and mtime, so files written
directly (by a training script) get an MD5 ETag computed on first use.

ModelArts fields hold OBS locations as ``obs://bucket/key`` or ``/bucket/key``: both are
understood by :func:`parse_obs_url` and everything taking a ``url``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, cast

from .store import Store

OBJECTS = "obs_objects"
BUCKETS = "obs_buckets"
UPLOADS = "obs_uploads"
#: Smallest part of a multipart upload except the last (OBS: 100 KB).
MIN_PART_BYTES = 100 * 1024
MAX_PART_NUMBER = 10000

_BUCKET = re.compile(r"(?!.*(?:\.\.|--|\.-|-\.))[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_IP_LIKE = re.compile(r"\d+\.\d+\.\d+\.\d+")
_CHUNK = 1024 * 1024
EMPTY_MD5 = hashlib.md5(b"", usedforsecurity=False).hexdigest()


class ObsError(Exception):
    """An OBS-level failure with its S3/OBS error code (NoSuchBucket, NoSuchKey, ...)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def parse_obs_url(url: str) -> tuple[str, str]:
    """``obs://bucket/key``, ``s3://bucket/key`` or ``/bucket/key`` -> (bucket, key).

    The key keeps a trailing ``/`` (a folder) and may be empty (the bucket itself).
    """
    for scheme in ("obs://", "s3://"):
        if url.startswith(scheme):
            rest = url[len(scheme) :]
            break
    else:
        if not url.startswith("/"):
            raise ValueError(f"not an OBS location (obs://bucket/path or /bucket/path): {url!r}")
        rest = url[1:]
    bucket, _, key = rest.partition("/")
    if not bucket:
        raise ValueError(f"OBS location without a bucket: {url!r}")
    return bucket, key


def is_valid_bucket_name(name: str) -> bool:
    """3-63 chars of lowercase letters, digits, '-' and '.', not IP-like (ModelArts.1651)."""
    return bool(_BUCKET.fullmatch(name)) and not _IP_LIKE.fullmatch(name)


def quoted_etag(etag: str) -> str:
    return f'"{etag}"'


@dataclass
class ObjectInfo:
    bucket: str
    key: str
    size: int
    etag: str
    last_modified: float
    content_type: str = "binary/octet-stream"
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def last_modified_iso(self) -> str:
        stamp = datetime.fromtimestamp(self.last_modified, timezone.utc)
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"

    @property
    def last_modified_http(self) -> str:
        stamp = datetime.fromtimestamp(self.last_modified, timezone.utc)
        return stamp.strftime("%a, %d %b %Y %H:%M:%S GMT")


@dataclass
class Listing:
    objects: list[ObjectInfo]
    common_prefixes: list[str]
    is_truncated: bool
    next_marker: str | None


def _append(source: BinaryIO, target: BinaryIO) -> None:
    """Copy ``source`` to the end of ``target`` inside the kernel (copy_file_range): joining a
    1 GiB upload's parts no longer reads and writes every byte through Python (bench P3)."""
    target.flush()
    start = os.fstat(target.fileno()).st_size
    try:
        while os.copy_file_range(source.fileno(), target.fileno(), _CHUNK * 64):
            pass
    except OSError:  # a file system or kernel without it: copy through memory instead
        os.ftruncate(target.fileno(), start)
        source.seek(0)
        target.seek(start)
        shutil.copyfileobj(source, target, _CHUNK)


class ObjectStorage:
    """Buckets and objects under ``root``; thread-safe as far as the file system is."""

    def __init__(self, root: Path, store: Store) -> None:
        self.root = Path(root)
        self.store = store
        self.buckets_dir = self.root / "buckets"
        self.uploads_dir = self.root / "uploads"
        self._tmp_dir = self.root / "tmp"
        for directory in (self.buckets_dir, self.uploads_dir, self._tmp_dir):
            directory.mkdir(parents=True, exist_ok=True)

    # --- locations ---------------------------------------------------------------------------

    def bucket_path(self, bucket: str) -> Path:
        if not is_valid_bucket_name(bucket):
            raise ObsError(400, "InvalidBucketName", f"The specified bucket is not valid: {bucket}")
        return self.buckets_dir / bucket

    def object_path(self, bucket: str, key: str) -> Path:
        """The file (or, for a key ending in '/', the directory) holding ``bucket/key``."""
        if not key or len(key.encode()) > 1024 or "\0" in key:
            raise ObsError(
                400, "KeyTooLongError" if key else "InvalidArgument", f"Invalid object key: {key!r}"
            )
        parts = key.rstrip("/").split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise ObsError(
                400,
                "InvalidArgument",
                f"Object keys with empty, '.' or '..' segments are not supported here: {key!r}",
            )
        return self.bucket_path(bucket).joinpath(*parts)

    def local_path(self, url: str) -> Path:
        """Where an ``obs://bucket/key`` (or ``/bucket/key``) location lives on disk."""
        bucket, key = parse_obs_url(url)
        return self.object_path(bucket, key) if key else self.bucket_path(bucket)

    def url_for(self, path: Path) -> str:
        """The ``obs://`` URL of a path under the buckets directory."""
        relative = Path(path).resolve().relative_to(self.buckets_dir.resolve())
        suffix = "/" if Path(path).is_dir() else ""
        return "obs://" + relative.as_posix() + suffix

    # --- buckets -----------------------------------------------------------------------------

    def create_bucket(self, bucket: str, *, location: str = "") -> bool:
        """True if created, False if it already existed."""
        path = self.bucket_path(bucket)
        if path.is_dir():
            return False
        path.mkdir()
        self.store.put(
            BUCKETS, bucket, {"name": bucket, "location": location, "created": _now()}, name=bucket
        )
        return True

    def bucket_exists(self, bucket: str) -> bool:
        try:
            return self.bucket_path(bucket).is_dir()
        except ObsError:
            return False

    def require_bucket(self, bucket: str) -> Path:
        path = self.bucket_path(bucket)
        if not path.is_dir():
            raise ObsError(404, "NoSuchBucket", f"The specified bucket does not exist: {bucket}")
        return path

    def bucket_info(self, bucket: str) -> dict[str, Any]:
        path = self.require_bucket(bucket)
        return self.store.get(BUCKETS, bucket) or {
            "name": bucket,
            "location": "",
            "created": path.stat().st_mtime,
        }

    def list_buckets(self) -> list[dict[str, Any]]:
        return [self.bucket_info(p.name) for p in sorted(self.buckets_dir.iterdir()) if p.is_dir()]

    def delete_bucket(self, bucket: str) -> None:
        path = self.require_bucket(bucket)
        if any(path.iterdir()):
            raise ObsError(
                409, "BucketNotEmpty", f"The bucket you tried to delete is not empty: {bucket}"
            )
        path.rmdir()
        self.store.delete(BUCKETS, bucket)
        self.store.delete_children(OBJECTS, bucket)

    # --- objects -----------------------------------------------------------------------------

    def put_object(
        self,
        bucket: str,
        key: str,
        data: bytes | BinaryIO | Path,
        *,
        content_type: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> ObjectInfo:
        """Write an object atomically from bytes, a binary file object or a local file."""
        self.require_bucket(bucket)
        target = self.object_path(bucket, key)
        if key.endswith("/"):
            self._make_dirs(target)
            return self._record(bucket, key, target, EMPTY_MD5, content_type, metadata)
        digest = hashlib.md5(usedforsecurity=False)
        with self.new_temp_file() as tmp:
            for chunk in _chunks(data):
                digest.update(chunk)
                tmp.write(chunk)
        try:
            return self.install_file(
                bucket,
                key,
                Path(tmp.name),
                digest.hexdigest(),
                content_type=content_type,
                metadata=metadata,
            )
        except ObsError:
            os.unlink(tmp.name)
            raise

    def install_file(
        self,
        bucket: str,
        key: str,
        source: Path,
        etag: str,
        *,
        content_type: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> ObjectInfo:
        """Move an already written file (a received body, a joined multipart upload) into place."""
        self.require_bucket(bucket)
        target = self.object_path(bucket, key)
        self._make_dirs(target.parent)
        if target.is_dir():
            raise ObsError(409, "InvalidArgument", f"A folder already uses this key: {key}")
        os.replace(source, target)
        return self._record(bucket, key, target, etag, content_type, metadata)

    def head_object(self, bucket: str, key: str) -> ObjectInfo:
        self.require_bucket(bucket)
        path = self.object_path(bucket, key)
        if (key.endswith("/") and path.is_dir()) or (not key.endswith("/") and path.is_file()):
            return self._info(bucket, key, path)
        raise ObsError(404, "NoSuchKey", f"The specified key does not exist: {key}")

    def open_object(self, bucket: str, key: str) -> tuple[ObjectInfo, Path]:
        info = self.head_object(bucket, key)
        return info, self.object_path(bucket, key)

    def get_bytes(self, bucket: str, key: str) -> bytes:
        _info, path = self.open_object(bucket, key)
        return b"" if path.is_dir() else path.read_bytes()

    def delete_object(self, bucket: str, key: str) -> None:
        """Delete if present (deleting a missing key succeeds, as in OBS); prunes empty folders
        that were not explicit folder markers."""
        bucket_dir = self.require_bucket(bucket)
        path = self.object_path(bucket, key)
        if key.endswith("/"):
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        elif path.is_file():
            path.unlink()
        self.store.delete(OBJECTS, f"{bucket}/{key}")
        parent = path.parent
        while parent != bucket_dir and parent.is_dir() and not any(parent.iterdir()):
            marker = bucket_dir_key(bucket_dir, parent)
            if self.store.get(OBJECTS, f"{bucket}/{marker}") is not None:
                break
            parent.rmdir()
            parent = parent.parent

    def copy_object(
        self,
        source_bucket: str,
        source_key: str,
        bucket: str,
        key: str,
        *,
        metadata: dict[str, str] | None = None,
        content_type: str | None = None,
    ) -> ObjectInfo:
        info, path = self.open_object(source_bucket, source_key)
        if path.is_dir():
            return self.put_object(bucket, key, b"", content_type=content_type or info.content_type)
        return self.put_object(
            bucket,
            key,
            path,
            content_type=content_type or info.content_type,
            metadata=info.metadata if metadata is None else metadata,
        )

    def list_objects(
        self,
        bucket: str,
        *,
        prefix: str = "",
        delimiter: str | None = None,
        marker: str | None = None,
        max_keys: int = 1000,
    ) -> Listing:
        """S3 ListObjects semantics: keys after ``marker``, rolled up at ``delimiter``."""
        bucket_dir = self.require_bucket(bucket)
        objects: list[ObjectInfo] = []
        prefixes: list[str] = []
        count = 0
        last: str | None = None
        truncated = False
        for key, path in self._walk(bucket, bucket_dir, prefix):
            if marker is not None and key <= marker:
                continue
            if delimiter:
                cut = key.find(delimiter, len(prefix))
                if cut >= 0:
                    common = key[: cut + len(delimiter)]
                    if prefixes and prefixes[-1] == common:
                        continue
                    if marker is not None and common <= marker:
                        continue
                    if count == max_keys:
                        truncated = True
                        break
                    prefixes.append(common)
                    count += 1
                    last = common
                    continue
            if count == max_keys:
                truncated = True
                break
            objects.append(self._info(bucket, key, path))
            count += 1
            last = key
        return Listing(objects, prefixes, truncated, last if truncated else None)

    def new_temp_file(self) -> BinaryIO:
        """A named temporary file on the same file system as the objects (for atomic moves)."""
        return cast(BinaryIO, tempfile.NamedTemporaryFile(dir=self._tmp_dir, delete=False))

    # --- multipart uploads -------------------------------------------------------------------

    def initiate_upload(
        self,
        bucket: str,
        key: str,
        *,
        content_type: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> str:
        self.require_bucket(bucket)
        self.object_path(bucket, key)  # validates the key now rather than at completion
        upload_id = uuid.uuid4().hex.upper()
        (self.uploads_dir / upload_id).mkdir()
        self.store.put(
            UPLOADS,
            upload_id,
            {
                "bucket": bucket,
                "key": key,
                "content_type": content_type,
                "metadata": metadata or {},
                "initiated": _now(),
            },
            parent=bucket,
        )
        return upload_id

    def upload(self, bucket: str, key: str, upload_id: str) -> dict[str, Any]:
        record = self.store.get(UPLOADS, upload_id)
        if record is None or record["bucket"] != bucket or record["key"] != key:
            raise ObsError(404, "NoSuchUpload", f"The specified upload does not exist: {upload_id}")
        return record

    def store_part(
        self, bucket: str, key: str, upload_id: str, number: int, source: Path, etag: str
    ) -> None:
        """Move a received part file into the upload (replacing an earlier try of that part)."""
        self.upload(bucket, key, upload_id)
        if not 1 <= number <= MAX_PART_NUMBER:
            raise ObsError(400, "InvalidArgument", f"partNumber must be 1 to {MAX_PART_NUMBER}")
        target = self.uploads_dir / upload_id / f"{number:05d}"
        os.replace(source, target)
        Path(f"{target}.etag").write_text(etag)

    def list_parts(self, bucket: str, key: str, upload_id: str) -> list[dict[str, Any]]:
        """[{number, etag, size, last_modified}] in part order."""
        self.upload(bucket, key, upload_id)
        parts = []
        for path in sorted((self.uploads_dir / upload_id).glob("[0-9]" * 5)):
            stat = path.stat()
            parts.append(
                {
                    "number": int(path.name),
                    "etag": Path(f"{path}.etag").read_text(),
                    "size": stat.st_size,
                    "last_modified": stat.st_mtime,
                }
            )
        return parts

    def complete_upload(
        self, bucket: str, key: str, upload_id: str, parts: list[tuple[int, str]]
    ) -> ObjectInfo:
        """Join the listed (part number, etag) parts; ETag is md5(part md5s)-N as in OBS/S3."""
        record = self.upload(bucket, key, upload_id)
        if not parts:
            raise ObsError(400, "MalformedXML", "The upload must list at least one part.")
        numbers = [number for number, _etag in parts]
        if numbers != sorted(set(numbers)):
            raise ObsError(400, "InvalidPartOrder", "The list of parts was not in ascending order.")
        uploaded = {p["number"]: p for p in self.list_parts(bucket, key, upload_id)}
        for index, (number, etag) in enumerate(parts):
            part = uploaded.get(number)
            if part is None or part["etag"] != etag.strip('"'):
                raise ObsError(
                    400, "InvalidPart", f"Part {number} was not uploaded or its ETag differs."
                )
            if index < len(parts) - 1 and part["size"] < MIN_PART_BYTES:
                raise ObsError(
                    400,
                    "EntityTooSmall",
                    f"Part {number} is smaller than the minimum allowed size.",
                )
        digest = hashlib.md5(usedforsecurity=False)
        with self.new_temp_file() as joined:
            for number, _etag in parts:
                digest.update(bytes.fromhex(uploaded[number]["etag"]))
                with (self.uploads_dir / upload_id / f"{number:05d}").open("rb") as part_file:
                    _append(part_file, joined)
        etag = f"{digest.hexdigest()}-{len(parts)}"
        info = self.install_file(
            bucket,
            key,
            Path(joined.name),
            etag,
            content_type=record["content_type"],
            metadata=record["metadata"],
        )
        self.abort_upload(bucket, key, upload_id)
        return info

    def abort_upload(self, bucket: str, key: str, upload_id: str) -> None:
        self.upload(bucket, key, upload_id)
        shutil.rmtree(self.uploads_dir / upload_id, ignore_errors=True)
        self.store.delete(UPLOADS, upload_id)

    # --- convenience for other modules (locations as obs://bucket/key or /bucket/key) -------

    def read(self, url: str) -> bytes:
        return self.get_bytes(*parse_obs_url(url))

    def write(self, url: str, data: bytes | BinaryIO | Path, **kwargs: Any) -> ObjectInfo:
        bucket, key = parse_obs_url(url)
        return self.put_object(bucket, key, data, **kwargs)

    def exists(self, url: str) -> bool:
        """True for an object, a folder marker or any key below a folder-like prefix."""
        bucket, key = parse_obs_url(url)
        if not self.bucket_exists(bucket):
            return False
        if not key:
            return True
        listing = self.list_objects(bucket, prefix=key.rstrip("/"), max_keys=1)
        return any(
            o.key == key or o.key.startswith(key.rstrip("/") + "/") for o in listing.objects
        ) or bool(self.list_objects(bucket, prefix=key.rstrip("/") + "/", max_keys=1).objects)

    def list_keys(self, url: str) -> list[str]:
        """Every key under a folder location, relative to it (recursive)."""
        bucket, key = parse_obs_url(url)
        folder = key if not key or key.endswith("/") else key + "/"
        listing = self.list_objects(bucket, prefix=folder, max_keys=10**9)
        return [o.key[len(folder) :] for o in listing.objects if o.key != folder]

    def download_dir(self, url: str, destination: Path) -> list[Path]:
        """Copy every object under a folder location into ``destination``."""
        bucket, key = parse_obs_url(url)
        folder = key if not key or key.endswith("/") else key + "/"
        written = []
        for relative in self.list_keys(url):
            target = Path(destination, *relative.rstrip("/").split("/"))
            if relative.endswith("/"):
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.object_path(bucket, folder + relative), target)
            written.append(target)
        return written

    def upload_dir(self, source: Path, url: str) -> list[str]:
        """Store every file under ``source`` below a folder location; returns the keys."""
        bucket, key = parse_obs_url(url)
        folder = key if not key or key.endswith("/") else key + "/"
        keys = []
        for path in sorted(Path(source).rglob("*")):
            if path.is_file():
                object_key = folder + path.relative_to(source).as_posix()
                self.put_object(bucket, object_key, path)
                keys.append(object_key)
        return keys

    # --- internals ---------------------------------------------------------------------------

    def _make_dirs(self, directory: Path) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise ObsError(
                409, "InvalidArgument", "An object already uses a prefix of this key as its name."
            ) from None

    def _record(
        self,
        bucket: str,
        key: str,
        path: Path,
        etag: str,
        content_type: str | None,
        metadata: dict[str, str] | None,
    ) -> ObjectInfo:
        stat = path.stat()
        doc: dict[str, Any] = {
            "etag": etag,
            "size": 0 if path.is_dir() else stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "content_type": content_type or "binary/octet-stream",
            "metadata": metadata or {},
            "last_modified": stat.st_mtime,
        }
        self.store.put(OBJECTS, f"{bucket}/{key}", doc, parent=bucket)
        return ObjectInfo(
            bucket, key, doc["size"], etag, stat.st_mtime, doc["content_type"], doc["metadata"]
        )

    def _info(self, bucket: str, key: str, path: Path) -> ObjectInfo:
        stat = path.stat()
        size = 0 if path.is_dir() else stat.st_size
        doc = self.store.get(OBJECTS, f"{bucket}/{key}")
        if doc is not None and doc["size"] == size and doc["mtime_ns"] == stat.st_mtime_ns:
            return ObjectInfo(
                bucket,
                key,
                size,
                doc["etag"],
                doc["last_modified"],
                doc["content_type"],
                doc["metadata"],
            )
        # Written behind our back (a training script, the moxing shim): recompute and remember.
        digest = hashlib.md5(usedforsecurity=False)
        if not path.is_dir():
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(_CHUNK), b""):
                    digest.update(chunk)
        content_type = doc["content_type"] if doc else None
        return self._record(
            bucket, key, path, digest.hexdigest(), content_type, doc["metadata"] if doc else None
        )

    def _walk(self, bucket: str, bucket_dir: Path, prefix: str) -> Iterator[tuple[str, Path]]:
        """(key, path) of every object whose key starts with ``prefix``, in key order."""
        start_key = prefix.rsplit("/", 1)[0] + "/" if "/" in prefix else ""
        start = bucket_dir.joinpath(*start_key.rstrip("/").split("/")) if start_key else bucket_dir
        if not start.is_dir():
            return
        entries: list[tuple[str, Path]] = []
        for directory, dirnames, filenames in os.walk(start):
            here = Path(directory)
            for name in filenames:
                path = here / name
                entries.append((bucket_dir_key(bucket_dir, path), path))
            for name in dirnames:
                path = here / name
                key = bucket_dir_key(bucket_dir, path) + "/"
                if (
                    not any(path.iterdir())
                    or self.store.get(OBJECTS, f"{bucket}/{key}") is not None
                ):
                    entries.append((key, path))
        for key, path in sorted(entries):
            if key.startswith(prefix):
                yield key, path


def bucket_dir_key(bucket_dir: Path, path: Path) -> str:
    return path.relative_to(bucket_dir).as_posix()


def _now() -> float:
    return datetime.now(timezone.utc).timestamp()


def _chunks(data: bytes | BinaryIO | Path) -> Iterator[bytes]:
    if isinstance(data, bytes | bytearray | memoryview):
        yield bytes(data)
    elif isinstance(data, Path):
        with data.open("rb") as handle:
            yield from iter(lambda: handle.read(_CHUNK), b"")
    else:
        yield from iter(lambda: data.read(_CHUNK), b"")
