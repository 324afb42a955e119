"""`moxing.file` for Local ModelArts: the ModelArts file API over the local OBS folder.

Every call accepts a local path, `obs://bucket/key` or `s3://bucket/key`. OBS URLs map to
`$MODELARTS_LOCAL_OBS_ROOT/bucket/key`, the folder where Local ModelArts keeps its objects, so a
script written for ModelArts reads its data and writes its model unchanged.
"""

from __future__ import annotations

import builtins
import glob as _glob
import os
import shutil
from collections.abc import Iterator
from typing import IO, Any

#: Environment variable naming the local OBS folder; set by the training runner and the
#: inference server launcher.
OBS_ROOT_ENV = "MODELARTS_LOCAL_OBS_ROOT"
#: Environment variable naming the folder that stands for `/cache`, the cloud's scratch disk,
#: on machines without a writable `/cache` (set by the training runner; see redirect_cache).
CACHE_DIR_ENV = "MODELARTS_LOCAL_CACHE_DIR"
CLOUD_CACHE = "/cache"

_URL_SCHEMES = ("obs://", "s3://")


class MoxFileNotExistsException(FileNotFoundError):
    """The file or folder named by a URL does not exist."""


class MoxFileNameDuplicateException(FileExistsError):
    """The destination already exists."""


class MoxFileReadException(OSError):
    """A file could not be read."""


class MoxFileRespException(OSError):
    """The storage refused the request (unknown bucket, bad URL)."""


def is_obs_url(url: str) -> bool:
    return url.startswith(_URL_SCHEMES)


def local_path(url: str, obs_root: str | None = None) -> str:
    """The local file behind `url`; local paths are returned unchanged (but for `/cache`, see
    redirect_cache).

    `obs_root` defaults to the folder named by `MODELARTS_LOCAL_OBS_ROOT`.
    """
    if not is_obs_url(url):
        return _cache_path(url)
    root = obs_root or os.environ.get(OBS_ROOT_ENV)
    if not root:
        raise MoxFileRespException(f"{OBS_ROOT_ENV} is not set; cannot resolve {url}")
    bucket, _, key = url.split("://", 1)[1].partition("/")
    if not bucket or bucket in (".", ".."):
        raise MoxFileRespException(f"no bucket in {url}")
    bucket_dir = os.path.join(os.path.abspath(root), bucket)
    resolved = os.path.normpath(os.path.join(bucket_dir, key))
    if resolved != bucket_dir and not resolved.startswith(bucket_dir + os.sep):
        raise MoxFileRespException(f"{url} points outside its bucket")
    if not os.path.isdir(bucket_dir):
        raise MoxFileRespException(f"NoSuchBucket: the bucket of {url} does not exist")
    # Keep the folder marker: OBS keys ending in "/" are folders.
    return resolved + os.sep if key.endswith("/") and resolved != bucket_dir else resolved


def _existing(url: str) -> str:
    path = local_path(url)
    if not os.path.exists(path):
        raise MoxFileNotExistsException(f"{url} does not exist")
    return path


def set_auth(*_args: Any, **_kwargs: Any) -> None:
    """Accepted and ignored: local OBS needs no credentials."""


def exists(url: str) -> bool:
    return os.path.exists(local_path(url))


def is_directory(url: str) -> bool:
    return os.path.isdir(local_path(url))


def copy(src_url: str, dst_url: str, **_kwargs: Any) -> None:
    """Copy one file (upload, download or OBS to OBS)."""
    src = _existing(src_url)
    if os.path.isdir(src):
        raise MoxFileReadException(f"{src_url} is a folder; use copy_parallel")
    dst = local_path(dst_url)
    if dst.endswith(os.sep):
        dst = os.path.join(dst, os.path.basename(src))
    os.makedirs(os.path.dirname(dst) or ".", exist_ok=True)
    shutil.copyfile(src, dst)


def copy_parallel(
    src_url: str,
    dst_url: str,
    file_list: list[str] | None = None,
    threads: int = 16,
    is_processing: bool = True,
    use_queue: bool = True,
    **_kwargs: Any,
) -> None:
    """Copy a whole folder like `shutil.copytree` into an existing or new folder.

    `file_list` restricts the copy to those paths relative to `src_url`; `threads`,
    `is_processing` and `use_queue` tune the cloud's transfer and change nothing here.
    """
    src = _existing(src_url)
    dst = local_path(dst_url)
    if not os.path.isdir(src):
        copy(src_url, dst_url)
        return
    if file_list is None:
        shutil.copytree(src, dst, dirs_exist_ok=True)
        return
    for relative in file_list:
        target = os.path.join(dst, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(src, relative), target)


def list_directory(
    url: str,
    recursive: bool = False,
    remove_sep: bool = False,
    skip_file: bool = False,
    skip_dir: bool = False,
) -> list[str]:
    """Names under a folder, relative to it, sorted; folders of a recursive listing included."""
    root = _existing(url)
    if not os.path.isdir(root):
        raise MoxFileReadException(f"{url} is not a folder")
    names: list[str] = []
    for current, dirs, files in os.walk(root):
        relative_dir = os.path.relpath(current, root)
        prefix = "" if relative_dir == "." else relative_dir.replace(os.sep, "/") + "/"
        if not skip_dir:
            names.extend(prefix + d for d in dirs)
        if not skip_file:
            names.extend(prefix + f for f in files)
        if not recursive:
            break
    if remove_sep:
        names = [n.rstrip("/") for n in names]
    return sorted(names)


def make_dirs(url: str) -> None:
    os.makedirs(local_path(url), exist_ok=True)


def mk_dir(url: str) -> None:
    path = local_path(url).rstrip(os.sep)
    if not os.path.isdir(os.path.dirname(path)):
        raise OSError(f"the parent folder of {url} does not exist")
    os.makedirs(path, exist_ok=True)


def remove(url: str, recursive: bool = False) -> None:
    path = _existing(url)
    if os.path.isdir(path):
        if not recursive:
            raise MoxFileReadException(f"{url} is a folder; pass recursive=True")
        shutil.rmtree(path)
    else:
        os.remove(path)


def rename(src_url: str, dst_url: str) -> None:
    src = _existing(src_url)
    dst = local_path(dst_url)
    os.makedirs(os.path.dirname(dst.rstrip(os.sep)) or ".", exist_ok=True)
    os.replace(src, dst)


def get_size(url: str, recursive: bool = False) -> int:
    path = _existing(url)
    if not os.path.isdir(path):
        return os.path.getsize(path)
    if not recursive:
        return 0
    return sum(
        os.path.getsize(os.path.join(current, f))
        for current, _, files in os.walk(path)
        for f in files
    )


def stat(url: str) -> os.stat_result:
    return os.stat(_existing(url))


def walk(url: str, topdown: bool = True) -> Iterator[tuple[str, list[str], list[str]]]:
    """Like `os.walk`, yielding folders in the form given (URL or local path)."""
    root = _existing(url)
    for current, dirs, files in os.walk(root, topdown=topdown):
        relative = os.path.relpath(current, root)
        shown = url if relative == "." else url.rstrip("/") + "/" + relative.replace(os.sep, "/")
        yield shown, dirs, files


def scan_dir(url: str) -> Iterator[os.DirEntry[str]]:
    return os.scandir(_existing(url))


def glob(url: str) -> list[str]:
    """Paths matching a pattern, in the form given (URL or local path)."""
    if not is_obs_url(url):
        return sorted(_glob.glob(url))
    scheme, rest = url.split("://", 1)
    bucket = rest.partition("/")[0]
    bucket_dir = local_path(f"{scheme}://{bucket}/")
    matches = _glob.glob(local_path(url))
    return sorted(
        f"{scheme}://{bucket}/" + os.path.relpath(m, bucket_dir).replace(os.sep, "/")
        for m in matches
    )


def read(url: str, binary: bool = False) -> str | bytes:
    with File(url, "rb" if binary else "r") as handle:
        data: str | bytes = handle.read()
    return data


def write(url: str, data: str | bytes, binary: bool = False) -> None:
    with File(url, "wb" if binary else "w") as handle:
        handle.write(data)


def append(url: str, data: str | bytes, binary: bool = False) -> None:
    with File(url, "ab" if binary else "a") as handle:
        handle.write(data)


def File(name: str, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
    """Open a file by URL or path, creating the parent folders of a file opened for writing."""
    path = local_path(name)
    if any(flag in mode for flag in "wax"):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    elif not os.path.exists(path):
        raise MoxFileNotExistsException(f"{name} does not exist")
    return _ORIGINAL["builtins.open"](path, mode, *args, **kwargs)


# --- shift('os', 'mox'): let the standard file functions accept OBS URLs ---------------------

_PATCHED: dict[str, tuple[Any, str]] = {
    "builtins.open": (builtins, "open"),
    "os.listdir": (os, "listdir"),
    "os.makedirs": (os, "makedirs"),
    "os.remove": (os, "remove"),
    "os.rename": (os, "rename"),
    "os.walk": (os, "walk"),
    "os.stat": (os, "stat"),
    "os.path.exists": (os.path, "exists"),
    "os.path.isdir": (os.path, "isdir"),
    "os.path.isfile": (os.path, "isfile"),
    "os.path.getsize": (os.path, "getsize"),
    "shutil.copy": (shutil, "copy"),
    "shutil.copyfile": (shutil, "copyfile"),
    "shutil.copytree": (shutil, "copytree"),
    "shutil.rmtree": (shutil, "rmtree"),
    "glob.glob": (_glob, "glob"),
}
_ORIGINAL: dict[str, Any] = {name: getattr(owner, attr) for name, (owner, attr) in _PATCHED.items()}


class _Patches:
    """What the patched file functions translate: OBS URLs after shift('os', 'mox'), and
    `/cache` after redirect_cache()."""

    obs_shifted = False
    cache_dir: str | None = None


def _cache_path(path: str) -> str:
    cache = _Patches.cache_dir
    if cache and (path == CLOUD_CACHE or path.startswith(CLOUD_CACHE + "/")):
        return cache + path[len(CLOUD_CACHE) :]
    return path


def _translate(path: str) -> str:
    return local_path(path) if _Patches.obs_shifted else _cache_path(path)


def _mapping_paths(function: Any) -> Any:
    def mapped(*args: Any, **kwargs: Any) -> Any:
        args = tuple(_translate(a) if isinstance(a, str) else a for a in args)
        return function(*args, **kwargs)

    mapped.__name__ = getattr(function, "__name__", "mapped")
    mapped.__doc__ = function.__doc__
    return mapped


def _install_patches() -> None:
    active = _Patches.obs_shifted or _Patches.cache_dir is not None
    for name, (owner, attr) in _PATCHED.items():
        setattr(owner, attr, _mapping_paths(_ORIGINAL[name]) if active else _ORIGINAL[name])


def shift(source: str, target: str) -> None:
    """`shift('os', 'mox')` makes `open`, `os`, `os.path`, `shutil` and `glob` accept OBS URLs;
    `shift('mox', 'os')` restores them."""
    if (source, target) not in (("os", "mox"), ("mox", "os")):
        raise ValueError("shift takes ('os', 'mox') or ('mox', 'os')")
    _Patches.obs_shifted = target == "mox"
    _install_patches()


def redirect_cache(directory: str | None) -> None:
    """Make `/cache` (the cloud's scratch disk, which scripts use by its absolute path) mean
    `directory` for moxing and for `open`, `os`, `os.path`, `shutil` and `glob`; None undoes
    it. Called at start-up of a job when the machine has no writable `/cache`."""
    _Patches.cache_dir = directory.rstrip("/") if directory else None
    _install_patches()
