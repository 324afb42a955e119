"""What an operation tells the user, as a code and parameters.

The browser words each code in the user's language (src/operations/wording.ts holds the same
codes); the English here is what the magics print, the logs keep and an older front end shows.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ..cloud.obs import TransferReport

#: English wording of every code, with ``{name}`` for each parameter.
ENGLISH: dict[str, str] = {
    # operation titles
    "TRAIN": "Train {job_name}",
    "DEPLOY": "Deploy {name}",
    "IMPORT": "Import {name}",
    # step messages
    "FILES_STAGED": "{files} files, {bytes} bytes",
    "FILES_SENT": "{done}/{total} files",
    "UPLOADED": "{uploaded} uploaded, {unchanged} unchanged",
    "DATA_ON_OBS": "the data is on OBS",
    "NOT_ASKED": "not asked for",
    "IS_PACKAGE": "the folder is a model package",
    "BUILT_IN_SERVICE": "served by the built-in service",
    "IMPORTED_FROM_OBS": "imported from OBS",
    "ALREADY_IN_OBS": "already in OBS",
    "IMPORTED_EARLIER": "imported by an earlier run",
    "DEPLOYED_EARLIER": "deployed by an earlier run",
    # an upstream status (model or service), shown as the status chips show it
    "STATUS": "{status}",
}


class Message(BaseModel):
    """A code of :data:`ENGLISH` with its parameters."""

    code: str
    params: dict[str, Any] = Field(default_factory=dict)

    @property
    def english(self) -> str:
        return ENGLISH[self.code].format(**self.params)


def message(code: str, **params: Any) -> Message:
    if code not in ENGLISH:
        raise KeyError(f"no wording for message code {code}")
    return Message(code=code, params=params)


def uploaded(report: TransferReport) -> Message:
    return message("UPLOADED", uploaded=len(report.transferred), unchanged=len(report.skipped))
