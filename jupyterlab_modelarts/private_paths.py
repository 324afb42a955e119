"""Folders and files only their owner can open: the extension's data, Local ModelArts' state,
OBS checkpoints. On a shared host every other user can reach loopback and /tmp, not these."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_directory(path: Path) -> Path:
    """``path`` as a folder only its owner can enter, created (with its parents) when absent;
    an existing folder of ours is narrowed to that."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """``path`` as a file only its owner can read, created empty when absent."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW, PRIVATE_FILE_MODE))
    os.chmod(path, PRIVATE_FILE_MODE)
    return path


def user_cache_path(*parts: str) -> Path:
    """Where the extension's files ``parts`` go in the user's cache folder
    (``$XDG_CACHE_HOME`` or ``~/.cache``); create it with :func:`private_directory`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "jupyterlab_modelarts", *parts)


def write_private_json(path: Path, document: Any) -> None:
    """Replace ``path`` atomically with a file only its owner can read, in a private folder."""
    private_directory(path.parent)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(descriptor, PRIVATE_FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
