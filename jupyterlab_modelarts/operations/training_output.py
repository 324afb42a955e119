"""A training version's output folder, downloaded from OBS into a folder of the file browser:
by default one named after the job and version next to the training file, never writing over
a file that is there unless the user said so."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from . import storage
from .accounts import Accounts, field_error
from .code_folder import relative_to_root
from .errors import OperationError
from .paths import confine_new
from .tasks import Operations
from .training import LAUNCH

#: Files of the output named in a refusal (the count says how many more).
NAMED_FILES = 10


class DownloadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Relative to the server root; created when missing.
    folder: str = Field(min_length=1)
    #: Write over files of the same name that are already in the folder.
    overwrite: bool = False


def _training_file(operations: Operations, job_id: str) -> str | None:
    """The file the job was launched from in this server, if it was."""
    for record in operations.records(LAUNCH):
        if record.result and str(record.result.get("job_id")) == job_id:
            path = record.params.get("path")
            return path if isinstance(path, str) else None
    return None


def proposed_folder(
    operations: Operations, root_dir: Path, job_id: str, detail: dict[str, Any]
) -> str:
    """``<job>-<version>`` next to the training file (or in the root), with a number added
    while that name is taken."""
    job = detail.get("job_name") or f"job-{job_id}"
    version = detail.get("version_name") or f"V{detail.get('version_id', '')}"
    name = re.sub(r"[^\w.-]+", "_", f"{job}-{version}")
    training_file = _training_file(operations, job_id)
    parent = posixpath.dirname(training_file) if training_file else ""
    if not (root_dir / parent).is_dir():
        parent = ""
    candidate, number = name, 1
    while (root_dir / parent / candidate).exists():
        number += 1
        candidate = f"{name}-{number}"
    return posixpath.join(parent, candidate)


def _parse(body: dict[str, Any]) -> DownloadRequest:
    try:
        return DownloadRequest.model_validate(body)
    except PydanticValidationError as error:
        raise field_error(error) from None


async def download_output(
    accounts: Accounts, root_dir: Path, listing: dict[str, Any], body: dict[str, Any]
) -> dict[str, Any]:
    """Download the output ``listing`` (train_url and files) into the requested folder;
    refused before anything is written when a file there would be replaced unasked."""
    request = _parse(body)
    train_url, files = listing.get("train_url"), listing.get("files") or []
    if not train_url or not files:
        raise OperationError(
            "NO_OUTPUT", "this version wrote no output (yet)", status=409, field="folder"
        )
    target = confine_new(root_dir, request.folder, field="folder")
    if target.exists() and not target.is_dir():
        raise OperationError(
            "NOT_A_FOLDER",
            f"{request.folder} is a file, not a folder",
            field="folder",
            params={"path": request.folder},
        )
    existing = sorted(f["path"] for f in files if (target / f["path"]).exists())
    if existing and not request.overwrite:
        raise OperationError(
            "OUTPUT_EXISTS",
            f"{len(existing)} file(s) of the output are already in {request.folder}: "
            + ", ".join(existing[:NAMED_FILES]),
            status=409,
            field="folder",
            params={
                "folder": request.folder,
                "count": len(existing),
                "files": existing[:NAMED_FILES],
            },
        )
    transfer = await storage.obs_transfer(accounts, accounts.active())
    try:
        report = await transfer.download_folder(train_url, target)
    finally:
        await transfer.aclose()
    return {"folder": relative_to_root(root_dir, target), "files": report.transferred}
