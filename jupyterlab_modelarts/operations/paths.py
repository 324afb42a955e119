"""Paths from the browser or a magic: relative to the Jupyter server's root directory and
confined to it."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from .errors import OperationError


def confine(root_dir: str | Path, relative: str, *, field: str = "path") -> Path:
    """The resolved path of ``relative`` under ``root_dir``; refuses an absolute path, ``..``
    and a symlink that leads out of the root, and a path that does not exist."""
    if not relative or not relative.strip():
        raise OperationError("INVALID", "a path is required", field=field)
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or Path(relative).is_absolute():
        raise OperationError(
            "OUTSIDE_ROOT", "the path must be relative to the server root", field=field
        )
    if ".." in pure.parts:
        raise OperationError("OUTSIDE_ROOT", "the path must not contain '..'", field=field)
    root = Path(root_dir).resolve()
    resolved = (root / pure).resolve()
    if resolved != root and root not in resolved.parents:
        raise OperationError(
            "OUTSIDE_ROOT", f"{relative} leads outside the server root", field=field
        )
    if not resolved.exists():
        raise OperationError("NOT_FOUND", f"{relative} does not exist", status=404, field=field)
    return resolved
