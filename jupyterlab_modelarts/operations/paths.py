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
                "CONTROL_CHARACTER",
                f"the path contains the control character U+{ord(character):04X}",
                field=field,
                params={"character": f"U+{ord(character):04X}"},
            )
        if unicodedata.category(character) == "Cs":
            raise OperationError(
                "HALF_SURROGATE",
                f"the path contains U+{ord(character):04X}, half of a UTF-16 pair, which no file"
                " name can hold",
                field=field,
                params={"character": f"U+{ord(character):04X}"},
            )


def confine(root_dir: str | Path, relative: str, *, field: str = "path") -> Path:
    """The resolved path of ``relative`` under ``root_dir``; refuses an absolute path, ``..``
    and a symlink that leads out of the root, and a path that does not exist."""
    if not relative or not relative.strip():
        raise OperationError("FIELD_REQUIRED", "a path is required", field=field)
    _refuse_odd_characters(relative, field)
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or Path(relative).is_absolute():
        raise OperationError(
            "OUTSIDE_ROOT",
            "the path must be relative to the server root",
            field=field,
            params={"reason": "absolute"},
        )
    if ".." in pure.parts:
        raise OperationError(
            "OUTSIDE_ROOT",
            "the path must not contain '..'",
            field=field,
            params={"reason": "parent"},
        )
    root = Path(root_dir).resolve()
    try:
        resolved = (root / pure).resolve()
        if resolved != root and root not in resolved.parents:
            raise OperationError(
                "OUTSIDE_ROOT",
                f"{relative} leads outside the server root",
                field=field,
                params={"reason": "leads_outside", "path": relative},
            )
        exists = resolved.exists()
    except OSError as error:  # e.g. a name longer than the file system allows
        raise OperationError(
            "UNUSABLE_PATH",
            f"{relative}: {error.strerror}",
            field=field,
            params={"path": relative, "error": error.strerror},
        ) from None
    if not exists:
        raise OperationError(
            "NO_SUCH_PATH",
            f"{relative} does not exist",
            status=404,
            field=field,
            params={"path": relative},
        )
    return resolved


def confine_new(root_dir: str | Path, relative: str, *, field: str = "path") -> Path:
    """Like :func:`confine` for a path that may not exist yet: its nearest existing folder is
    confined, and what follows it must be plain names."""
    if not relative or not relative.strip():
        raise OperationError("FIELD_REQUIRED", "a path is required", field=field)
    pure = PurePosixPath(relative.replace("\\", "/"))
    missing: list[str] = []
    while pure.parts and not (Path(root_dir) / pure).exists():
        if pure.name in ("", ".", ".."):
            raise OperationError(
                "OUTSIDE_ROOT",
                "the path must not contain '..'",
                field=field,
                params={"reason": "parent"},
            )
        missing.insert(0, pure.name)
        pure = pure.parent
    existing = confine(root_dir, str(pure) if pure.parts else ".", field=field)
    if missing and not existing.is_dir():
        raise OperationError(
            "NOT_A_FOLDER",
            f"{pure} is a file, not a folder",
            field=field,
            params={"path": str(pure)},
        )
    return existing.joinpath(*missing)
