"""Error responses of each API family, in the shapes the seed documents print.

Handlers raise :class:`ApiError`; the base handler renders it in the family of the route
(api-catalog.md §1.6). The documents give no HTTP status per code, so the status is the
raiser's choice: parameter errors 400, authentication 401, permission 403, missing 404,
conflicts and wrong states 409 (api-catalog.md §1.6, "outside the sources").
"""

from __future__ import annotations

import enum
import json
from http import HTTPStatus
from typing import Any
from xml.sax.saxutils import escape


class Family(enum.Enum):
    """Error body shape of an API family."""

    #: 004 generic, models, services: {"error_code", "error_msg"}
    MODELARTS = "modelarts"
    #: 004 §5 training jobs, configs, visualization jobs, specs: adds "is_success": false
    TRAINING = "training"
    #: 004 §8 workspaces: adds "request_id"
    WORKSPACE = "workspace"
    #: 000/001 DevEnviron: {"error_code", "error_message"}
    DEVENVIRON = "devenviron"
    #: IAM (Keystone v3): {"error": {"code", "message", "title"}}
    IAM = "iam"
    #: OBS: XML <Error><Code/><Message/><RequestId/><HostId/></Error>
    OBS = "obs"
    #: PAI DSW (003): {"RequestId", "Code", "Message", "HttpStatusCode", "Success": false}
    PAI = "pai"


class ApiError(Exception):
    """A documented error: HTTP status, service error code and message.

    ``family`` overrides the family of the handler that raises it (rarely needed). ``headers``
    are added to the response (e.g. ``Retry-After``).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        family: Family | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.family = family
        self.headers = headers or {}


def invalid_parameter(message: str, *, code: str = "ModelArts.0107") -> ApiError:
    """400 for a request field that breaks a documented rule (default: 0107 invalid parameter)."""
    return ApiError(400, code, message)


def not_found(code: str, message: str) -> ApiError:
    return ApiError(404, code, message)


def conflict(code: str, message: str) -> ApiError:
    return ApiError(409, code, message)


def family_for_path(path: str) -> Family:
    """The family of a path no handler claims (404/405 bodies, faults on unknown routes)."""
    if path == "/v3" or path.startswith(("/v3/", "/v3.0/")):
        return Family.IAM
    if path.startswith("/api/"):
        return Family.PAI
    if path.startswith(("/v1/", "/v2/", "/_admin/")):
        return Family.MODELARTS
    return Family.OBS


def render(family: Family, error: ApiError, request_id: str) -> tuple[str, bytes]:
    """(content type, body) of ``error`` in ``family``'s shape."""
    if family is Family.OBS:
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
            f"<Code>{escape(error.code)}</Code><Message>{escape(error.message)}</Message>"
            f"<RequestId>{request_id}</RequestId><HostId>local-modelarts</HostId></Error>"
        )
        return "application/xml", xml.encode()
    body: dict[str, Any]
    if family is Family.IAM:
        title = _reason(error.status)
        body = {"error": {"code": error.status, "message": error.message, "title": title}}
    elif family is Family.PAI:
        body = {
            "RequestId": request_id,
            "Code": error.code,
            "Message": error.message,
            "HttpStatusCode": error.status,
            "Success": False,
        }
    elif family is Family.DEVENVIRON:
        # The same errors print `error_message` in seeds 000/001 and `error_msg` in 004 §4
        # ("The param path needs to end with /."): both keys, so either reading works.
        body = {
            "error_code": error.code,
            "error_msg": error.message,
            "error_message": error.message,
        }
    elif family is Family.TRAINING:
        body = {"is_success": False, "error_code": error.code, "error_msg": error.message}
    elif family is Family.WORKSPACE:
        body = {"error_code": error.code, "error_msg": error.message, "request_id": request_id}
    else:
        body = {"error_code": error.code, "error_msg": error.message}
    return "application/json; charset=UTF-8", json.dumps(body, ensure_ascii=False).encode()


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
