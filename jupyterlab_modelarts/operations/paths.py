"""Paths from the browser or a magic: relative to the Jupyter server's root directory and
confined to it."""

from __future__ import annotations

import unicodedata
from pathlib import Path, PurePosixPath

from .errors import OperationError

#: Bidirectional embedding, override and isolate controls: they make a name display as
#: another one (a file "txt.py" shown as "yp.txt"), so no path may contain them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _refuse_odd_characters(relative: str, field: str) -> None:
    for character in relative:
        if unicodedata.category(character) == "Cc" or character in BIDI_CONTROLS:
            raise OperationError(
                "INVALID",
                f"the path contains the control character U+{ord(character):04X}",
                field=field,
            )
        if unicodedata.category(character) == "Cs":
            raise OperationError(
                "INVALID",
                f"the path contains U+{ord(character):04X}, half of a UTF-16 pair, which no file"
                " name can hold",
                field=field,
            )


def confine(root_dir: str | Path, relative: str, *, field: str = "path") -> Path:
    """The resolved path of ``relative`` under ``root_dir``; refuses an absolute path, ``..``
    and a symlink that leads out of the root, and a path that does not exist."""
    if not relative or not relative.strip():
        raise OperationError("INVALID", "a path is required", field=field)
    _refuse_odd_characters(relative, field)
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or Path(relative).is_absolute():
        raise OperationError(
            "OUTSIDE_ROOT", "the path must be relative to the server root", field=field
        )
    if ".." in pure.parts:
        raise OperationError("OUTSIDE_ROOT", "the path must not contain '..'", field=field)
    root = Path(root_dir).resolve()
    try:
        resolved = (root / pure).resolve()
        if resolved != root and root not in resolved.parents:
            raise OperationError(
                "OUTSIDE_ROOT", f"{relative} leads outside the server root", field=field
            )
        exists = resolved.exists()
    except OSError as error:  # e.g. a name longer than the file system allows
        raise OperationError("INVALID", f"{relative}: {error.strerror}", field=field) from None
    if not exists:
        raise OperationError("NOT_FOUND", f"{relative} does not exist", status=404, field=field)
    return resolved
