"""Services of the active profile: the shared list, detail, start/stop, scaling, delete,
and test requests to a running service, sent by the server (credentials never leave it)."""

from __future__ import annotations

import base64
import binascii
import json
import time
import uuid
from typing import Any

import httpx

from ..accounts.profiles import Profile
from ..cloud.errors import CloudError, NotFoundError
from ..cloud.modelarts import ModelArts
from ..cloud.schemas.services import ServiceDetail
from ..cloud.transport import decode_body
from . import model_package
from .accounts import Accounts
from .errors import OperationError, not_a_choice, not_a_whole_number
from .listings import workspace_watcher
from .watch import ResourceWatcher, Watchers

KIND = "services"
TRANSITIONAL = frozenset({"deploying"})
#: What an update of a service's models may carry over from its detail.
_CONFIG_FIELDS = (
    "model_id", "specification", "weight", "instance_count", "envs", "custom_spec",
    "cluster_id", "src_type", "src_path", "dest_path", "req_uri", "mapping_type",
    "mapping_rule",
)  # fmt: skip
PREDICT_TIMEOUT_SECONDS = 60.0


def watcher(
    accounts: Accounts, watchers: Watchers, profile: Profile | None = None
) -> ResourceWatcher:
    """The services watcher of the active profile, shared by every tab."""
    return workspace_watcher(
        accounts,
        watchers,
        kind=KIND,
        listing=lambda ma, workspace_id: ma.services.iterate(workspace_id=workspace_id),
        is_transitional=lambda service: service.get("status") in TRANSITIONAL,
        key="service_id",
        profile=profile,
    )


async def list_services(accounts: Accounts, watchers: Watchers, max_age: float) -> dict[str, Any]:
    services = await watcher(accounts, watchers).snapshot(max_age)
    return {"services": sorted(services, key=lambda s: s.get("publish_at") or 0, reverse=True)}


async def find_service(ma: ModelArts, id_or_name: str) -> ServiceDetail:
    """A service by id, or else by name (the magics accept either)."""
    try:
        return await ma.services.get(id_or_name)
    except NotFoundError:
        found = await ma.services.find(id_or_name)
        if found is None:
            raise OperationError(
                "NO_SUCH_SERVICE",
                f"no service {id_or_name!r}",
                status=404,
                field="service_id",
                params={"name": id_or_name},
            ) from None
        return await ma.services.get(found.service_id)


async def get_service(accounts: Accounts, service_id: str) -> dict[str, Any]:
    return (await find_service(await accounts.modelarts(), service_id)).model_dump(mode="json")


async def service_events(accounts: Accounts, service_id: str) -> dict[str, Any]:
    ma = await accounts.modelarts()
    events = await ma.services.events(service_id, order="desc", limit=100)
    return {"events": [event.model_dump(mode="json") for event in events.events]}


async def service_update_logs(accounts: Accounts, service_id: str) -> dict[str, Any]:
    ma = await accounts.modelarts()
    return {"logs": (await ma.services.update_logs(service_id)).logs}


async def service_monitor(accounts: Accounts, service_id: str) -> dict[str, Any]:
    ma = await accounts.modelarts()
    return {"monitors": (await ma.services.monitor(service_id)).monitors}


async def specifications(accounts: Accounts, infer_type: str) -> dict[str, Any]:
    if infer_type not in ("real-time", "batch"):
        raise not_a_choice("infer_type", "real-time or batch")
    ma = await accounts.modelarts()
    found = await ma.services.specifications(infer_type=infer_type)  # type: ignore[arg-type]
    return {"specifications": [spec.model_dump(mode="json") for spec in found.specifications]}


async def clusters(accounts: Accounts) -> dict[str, Any]:
    """SV-11: the dedicated resource pools services can run in."""
    ma = await accounts.modelarts()
    listing = await ma.services.clusters()
    return listing.model_dump(mode="json")


async def set_node_status(
    accounts: Accounts, service_id: str, node_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """SV-4: start or stop the service's instance on one edge node."""
    status = body.get("status")
    if status not in ("running", "stopped"):
        raise not_a_choice("status", "running or stopped")
    ma = await accounts.modelarts()
    await ma.services.set_node_status(service_id, node_id, status)
    return {"service_id": service_id, "node_id": node_id, "status": status}


async def set_running(
    accounts: Accounts, watchers: Watchers, service_id: str, running: bool
) -> dict[str, Any]:
    ma = await accounts.modelarts()
    if running:
        await ma.services.start(service_id)
    else:
        await ma.services.stop(service_id)
    watcher(accounts, watchers).poke()
    return (await ma.services.get(service_id)).model_dump(mode="json")


async def update_service(
    accounts: Accounts, watchers: Watchers, service_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change the instance count and/or specification of every model of the service; the
    service redeploys."""
    unknown = set(changes) - {"instance_count", "specification"}
    if unknown:
        raise OperationError("UNKNOWN_FIELD", "unknown field", field=sorted(unknown)[0])
    if not changes:
        raise OperationError(
            "GIVE_ONE_OF",
            "give instance_count or specification",
            field="body",
            params={"fields": ["instance_count", "specification"]},
        )
    count = changes.get("instance_count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise not_a_whole_number("instance_count", minimum=1)
    ma = await accounts.modelarts()
    detail = await ma.services.get(service_id)
    config = [
        {name: entry[name] for name in _CONFIG_FIELDS if entry.get(name) not in (None, "")}
        | {key: value for key, value in changes.items() if value is not None}
        for entry in detail.config
    ]
    try:
        await ma.services.update(service_id, config=config)
    except CloudError as error:
        field = (error.field or "").rsplit(".", 1)[-1] or None
        raise OperationError.from_cloud(error, field=field) from None
    watcher(accounts, watchers).poke()
    return (await ma.services.get(service_id)).model_dump(mode="json")


async def delete_service(accounts: Accounts, watchers: Watchers, service_id: str) -> None:
    ma = await accounts.modelarts()
    await ma.services.delete(service_id)
    watcher(accounts, watchers).poke()


async def request_example(accounts: Accounts, service_id: str) -> dict[str, Any]:
    """A request body for the Test panel, made from the request schema in the ``apis`` of the
    service's first model (its config.json; a generated package describes its feature row).
    ``body`` is None when the model describes no JSON request."""
    ma = await accounts.modelarts()
    detail = await find_service(ma, service_id)
    model_ids = [str(entry.get("model_id")) for entry in detail.config if entry.get("model_id")]
    if not model_ids:
        return {"body": None, "model_id": None}
    model = await ma.models.get(model_ids[0])
    apis = model.apis if isinstance(model.apis, list) else []
    for api in apis:
        request = api.get("request") if isinstance(api, dict) else None
        if isinstance(request, dict) and isinstance(request.get("data"), dict):
            content_type = str(request.get("Content-type") or "application/json")
            if content_type.startswith("application/json"):
                body = model_package.example_from_schema(request["data"])
                return {"body": body, "model_id": model.model_id}
    return {"body": None, "model_id": model.model_id}


def prediction_request(body: dict[str, Any]) -> tuple[bytes, str]:
    """The bytes and content type of a test request: ``{"json": <any>}`` sends JSON,
    ``{"file": {"name", "content" (base64), "field"?}}`` sends one multipart file."""
    if "json" in body:
        return json.dumps(body["json"]).encode(), "application/json"
    upload = body.get("file")
    if not isinstance(upload, dict) or not upload.get("name"):
        raise OperationError(
            "GIVE_ONE_OF",
            "give json, or a file with name and content",
            field="json",
            params={"fields": ["json", "file"]},
        )
    try:
        content = base64.b64decode(str(upload.get("content") or ""), validate=True)
    except (binascii.Error, ValueError):
        raise OperationError("NOT_BASE64", "must be base64", field="file.content") from None
    boundary = uuid.uuid4().hex
    field_name = str(upload.get("field") or "images").replace('"', "")
    file_name = str(upload["name"]).replace('"', "")
    form = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; '
            f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return form, f"multipart/form-data; boundary={boundary}"


async def predict(accounts: Accounts, service_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Send one test request to the service's ``access_address``, signed with the profile's
    credentials; the answer is returned whatever its status, with the latency."""
    content, content_type = prediction_request(body)
    ma = await accounts.modelarts()
    detail = await find_service(ma, service_id)
    if detail.status not in ("running", "concerning") or not detail.access_address:
        raise OperationError(
            "SERVICE_NOT_RUNNING",
            f"service {detail.service_name} is {detail.status}: start it first",
            status=409,
            field="service_id",
            params={"name": detail.service_name, "status": detail.status},
        )
    url, headers = await ma.auth.authorize(
        "POST", detail.access_address, {"Content-Type": content_type}, content
    )
    started = time.perf_counter()
    try:
        response = await ma.session.client.post(
            url, content=content, headers=headers, timeout=PREDICT_TIMEOUT_SECONDS
        )
    except httpx.HTTPError as error:
        raise OperationError(
            "NO_ANSWER",
            f"the service did not answer: {type(error).__name__}",
            status=502,
            params={"error": type(error).__name__},
        ) from None
    latency_ms = (time.perf_counter() - started) * 1000
    return {
        "service_id": detail.service_id,
        "status": response.status_code,
        "latency_ms": round(latency_ms, 1),
        "content_type": response.headers.get("Content-Type"),
        "body": decode_body(response),
    }
