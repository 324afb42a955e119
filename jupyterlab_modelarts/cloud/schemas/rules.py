"""Field rules from the documents (api-catalog.md §3), as reusable annotated types.

Each rule's message says what is allowed, so the error reads well next to the field name.
"""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from ..field_errors import RuleError

CJK = "\u4e00-\u9fa5"


def _pattern(regex: str, allowed: str) -> AfterValidator:
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise RuleError(
                f"must be {allowed} (got {value!r})", "PATTERN_MISMATCH", {"pattern": regex}
            )
        return value

    return AfterValidator(check)


def _text(max_length: int, forbidden: str = "") -> AfterValidator:
    def check(value: str) -> str:
        if len(value) > max_length:
            raise RuleError(
                f"must be at most {max_length} characters (got {len(value)})",
                "TOO_LONG",
                {"max_length": max_length},
            )
        bad = sorted({c for c in value if c in forbidden})
        if bad:
            raise RuleError(
                f"must not contain {' '.join(bad)}",
                "FORBIDDEN_CHARACTERS",
                {"characters": " ".join(bad)},
            )
        return value

    return AfterValidator(check)


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


Upper = BeforeValidator(_upper)
"""Accept an enumeration in any case (the samples send ``efs`` for ``EFS``); send upper case."""
Lower = BeforeValidator(_lower)

# C1-C5: names of dev environments, notebooks, training jobs, configs, visualization jobs
Name64 = Annotated[str, _pattern(r"[A-Za-z0-9_-]{1,64}", "1-64 letters, digits, '-' or '_'")]
Name20 = Annotated[str, _pattern(r"[A-Za-z0-9_-]{1,20}", "1-20 letters, digits, '-' or '_'")]
# C6, C11: model and service names also allow Chinese characters
CjkName64 = Annotated[
    str,
    _pattern(
        rf"[A-Za-z0-9{CJK}_-]{{1,64}}", "1-64 letters, Chinese characters, digits, '-' or '_'"
    ),
]
# C12
WorkspaceName = Annotated[
    str,
    _pattern(
        rf"[A-Za-z0-9{CJK}_-]{{4,64}}", "4-64 letters, Chinese characters, digits, '-' or '_'"
    ),
]
# C13
PaiInstanceName = Annotated[
    str, _pattern(r"[A-Za-z0-9_]{1,27}", "1-27 letters, digits or '_' (no '-')")
]
# C7: the documents' own samples use 1.0.0, so 0 is accepted in each part
ModelVersion = Annotated[
    str,
    _pattern(
        r"(0|[1-9]\d?)\.(0|[1-9]\d?)\.(0|[1-9]\d?)",
        "three dot-separated numbers 0-99 without leading zeros, such as 1.0.0",
    ),
]
_MODEL_FORBIDDEN = "&!'\"<>="
# C8
ModelAlgorithm = Annotated[
    str,
    _pattern(
        rf"[A-Za-z][^{CJK}&!'\"<>=]{{0,35}}",
        "at most 36 characters starting with a letter, without Chinese or &!'\"<>=",
    ),
]
# C9
DocName = Annotated[
    str,
    _pattern(
        rf"[A-Za-z{CJK}][A-Za-z0-9{CJK}_-]{{0,47}}",
        "1-48 letters, Chinese characters, digits, '-' or '_', starting with a letter",
    ),
]
HttpUrl = Annotated[str, _pattern(r"https?://\S+", "an http:// or https:// link")]
# C10
PackageText = Annotated[
    str,
    _pattern(rf"[^{CJK}&!'\"<>=]+", "non-empty, without Chinese characters or &!'\"<>="),
]

# C15, C16: descriptions of dev environments and notebooks
Description512 = Annotated[str, _text(512, "&<>\"'/")]
# C17-C19, C22
Description256 = Annotated[str, _text(256)]
# C20
ModelDescription = Annotated[str, _text(100, _MODEL_FORBIDDEN)]
# C21
Description100 = Annotated[str, _text(100)]
SearchContent = Annotated[str, _text(64)]


def _uuid(value: str) -> str:
    try:
        uuid.UUID(value)
    except ValueError:
        raise RuleError(f"must be a UUID (got {value!r})", "NOT_A_UUID", {}) from None
    return value


Uuid = Annotated[str, AfterValidator(_uuid)]  # C14

_BAD_FOLDER_CHARS = set('><?*|"\\')


def check_obs_folder(value: str) -> str:
    """C27, C34, C35: an OBS folder ``/bucket/dir/.../`` (or ``obs://bucket/dir/``): ends with
    ``/``, at most 1,023 characters, no folder name starting with ``.`` or containing
    ``><?*|"\\``."""
    if not value.endswith("/"):
        raise RuleError(
            f"must be an OBS folder ending with '/' (got {value!r})",
            "OBS_FOLDER",
            {"reason": "trailing_slash"},
        )
    if len(value) > 1023:
        raise RuleError("must be at most 1023 characters", "TOO_LONG", {"max_length": 1023})
    path = value.removeprefix("obs://").removeprefix("s3://")
    for name in filter(None, path.split("/")):
        if name.startswith(".") or set(name) & _BAD_FOLDER_CHARS:
            raise RuleError(
                f"folder {name!r} must not start with '.' or contain > < ? * | \" \\",
                "OBS_FOLDER",
                {"reason": "folder_name", "name": name},
            )
    return value


ObsFolder = Annotated[str, AfterValidator(check_obs_folder)]


def check_obs_folder_in_bucket(value: str) -> str:
    """C27: a folder inside a bucket, not the bucket root (``/bucket/dir/``)."""
    check_obs_folder(value)
    path = value.removeprefix("obs://").removeprefix("s3://").strip("/")
    if "/" not in path:
        raise RuleError(
            f"must be a folder inside a bucket, not the bucket root (got {value!r})",
            "OBS_FOLDER",
            {"reason": "bucket_root"},
        )
    return value


ObsFolderInBucket = Annotated[str, AfterValidator(check_obs_folder_in_bucket)]
