"""Models and services: list, deploy a model folder or file, send a test request, delete a
model, a service's monitoring, update log and events, dedicated clusters and edge nodes."""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
from collections.abc import Callable
from typing import Any

from ..api import Api
from ..errors import MagicError
from ..parsing import MagicArgumentParser
from ..render import Column, Listing, Record, stream_line, timestamp, upload_line
from .base import Context, Subcommand, server_path, wait_for_operation
from .training import find_job, job_names

MODEL_COLUMNS = [
    Column("Name", "model_name"),
    Column("Version", "model_version"),
    Column("Status", "model_status"),
    Column("Type", "model_type"),
    Column("ID", "model_id"),
    Column("Failure", "failed_reason"),
]

SERVICE_COLUMNS = [
    Column("Name", "service_name"),
    Column("Status", "status"),
    Column("Type", "infer_type"),
    Column("Address", "access_address"),
    Column("ID", "service_id"),
]

DEPLOYED_FIELDS = [
    Column("Service", "service_name"),
    Column("Status", "status"),
    Column("Address", "access_address"),
    Column("Service ID", "service_id"),
    Column("Model", "model_name"),
    Column("Model version", "model_version"),
    Column("Model ID", "model_id"),
]

PREDICTION_FIELDS = [
    Column("HTTP status", "status"),
    Column("Latency (ms)", "latency_ms"),
    Column("Content type", "content_type"),
    Column("Answer", "body", lambda body: body if isinstance(body, str) else json.dumps(body)),
]


def models(context: Context, _: argparse.Namespace) -> Listing:
    return Listing(context.api.call("GET", "models")["models"], MODEL_COLUMNS, title="Models")


def _services_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=("list", "start", "stop", "delete"),
        help="what to do (default list)",
    )
    parser.add_argument("name", nargs="?", help="service name or id (all actions but list)")


def services(context: Context, args: argparse.Namespace) -> Listing | Record | None:
    api = context.api
    listed = api.call("GET", "services")["services"]
    if args.action == "list":
        return Listing(listed, SERVICE_COLUMNS, title="Services")
    found = next((s for s in listed if args.name in (s["service_name"], s["service_id"])), None)
    if found is None:
        raise MagicError("NOT_FOUND", f"no service {args.name!r}", field="name")
    path = f"services/{found['service_id']}"
    if args.action == "delete":
        api.call("DELETE", path)
        print(f"deleted {found['service_name']}")
        return None
    acted = api.call("POST", f"{path}/{args.action}")
    title = f"{args.action.capitalize()} {found['service_name']}"
    return Record(acted, SERVICE_COLUMNS, title=title)


def service_names(api: Api) -> list[str]:
    return [s["service_name"] for s in api.call("GET", "services")["services"]]


def specification_names(api: Api) -> list[str]:
    answer = api.call("GET", "services/specifications")
    return [s["specification"] for s in answer["specifications"]]


def _deploy_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument("path", nargs="?", help="model package folder or model file")
    parser.add_argument(
        "--job", help="instead of a path: the output of this training job (name or id)"
    )
    parser.add_argument("--name", help="model name (default: from the path)")
    parser.add_argument("--version", help="model version (default: the next free one)")
    parser.add_argument(
        "--type", dest="model_type", help="model type (default: detected from the path)"
    )
    parser.add_argument("--runtime", help="model runtime (default: detected)")
    parser.add_argument("--service", help="service name (default: <model name>-svc)")
    parser.add_argument("--spec", help="service resource specification (default: the first open)")
    parser.add_argument("--instances", type=int, default=1, help="instance count")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="service variable"
    )
    parser.add_argument(
        "--import-only", action="store_true", help="import the model, deploy no service"
    )


def _default_specification(api: Api) -> str:
    answer = api.call("GET", "services/specifications")
    usable = [s for s in answer["specifications"] if s.get("is_open") is not False]
    if not usable:
        raise MagicError("NO_SPECIFICATION", "no service specification is open", field="spec")
    return str(usable[0]["specification"])


def _environment(pairs: list[str]) -> dict[str, str]:
    envs = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise MagicError("USAGE", f"--env takes NAME=VALUE, not {pair!r}", field="env")
        envs[name] = value
    return envs


def _source_from_path(api: Api, local: str) -> dict[str, Any]:
    """What the path holds, as the deploy request wants it: inspected by the server."""
    path = server_path(api, local)
    found = api.call("POST", "deployments/inspect", body={"path": path})
    stream_line(upload_line("model files to upload", found["upload"]))
    source = {
        "path": path,
        "model_name": found["suggested_name"],
        "model_version": found["model_version"],
        "model_type": found.get("model_type") or "",
        "generate_package": found.get("kind") != "package",
    }
    for key in ("runtime", "model_algorithm"):
        if found.get(key):
            source[key] = found[key]
    return source


def _source_from_job(api: Api, wanted: str, model_type: str | None) -> dict[str, Any]:
    """A training job's output folder (its latest version's train_url) as the model source."""
    if not model_type:
        raise MagicError("USAGE", "--job needs --type: the output is not inspected", field="type")
    job = find_job(api, wanted)
    version = api.call("GET", f"training/jobs/{job['job_id']}/versions/{job['version_id']}")
    if not version.get("train_url"):
        raise MagicError("NOT_FOUND", f"job {job['job_name']} has no output folder", field="job")
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", str(job["job_name"]))
    answer = api.call("GET", "models/next-version", params={"model_name": name})
    return {
        "source_location": version["train_url"],
        "source_job_id": str(job["job_id"]),
        "source_job_version": str(job["version_id"]),
        "model_name": name,
        "model_version": answer["model_version"],
        "model_type": model_type,
    }


def deploy(context: Context, args: argparse.Namespace) -> Record:
    api = context.api
    if bool(args.path) == bool(args.job):
        raise MagicError("USAGE", "give a model path or --job, not both", field="path")
    if args.path:
        request = _source_from_path(api, args.path)
    else:
        request = _source_from_job(api, args.job, args.model_type)
    for key, value in (
        ("model_name", args.name),
        ("model_version", args.version),
        ("model_type", args.model_type),
        ("runtime", args.runtime),
    ):
        if value:
            request[key] = value
    name = request["model_name"]
    if not args.import_only:
        request["service"] = {
            "service_name": args.service or f"{name}-svc",
            "specification": args.spec or _default_specification(api),
            "instance_count": args.instances,
            "envs": _environment(args.env),
        }
    record = api.call("POST", "deployments", body=request)
    result = wait_for_operation(api, record["id"])
    return Record(
        {"model_name": name, "model_version": request["model_version"], **result},
        DEPLOYED_FIELDS,
        title=f"Deployed {name}" if not args.import_only else f"Imported {name}",
    )


def _predict_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument("service", help="service name or id")
    parser.add_argument(
        "data",
        nargs="?",
        help="JSON to send, or @FILE to send a file (%%%%modelarts predict: the cell's JSON)",
    )
    parser.add_argument("--field", default="images", help="form field of a file (default images)")


def _prediction_body(data: str, field: str) -> dict[str, Any]:
    if data.startswith("@"):
        path = data[1:]
        try:
            with open(path, "rb") as handle:
                content = handle.read()
        except OSError as error:
            message = f"cannot read {path}: {error.strerror}"
            raise MagicError("NOT_FOUND", message, field="data") from None
        encoded = base64.b64encode(content).decode()
        return {"file": {"name": os.path.basename(path), "content": encoded, "field": field}}
    try:
        return {"json": json.loads(data)}
    except ValueError as error:
        raise MagicError("INVALID", f"the data is not JSON: {error}", field="data") from None


def predict(context: Context, args: argparse.Namespace) -> Record:
    data = context.cell if context.cell is not None and context.cell.strip() else args.data
    if not data:
        raise MagicError("USAGE", "give the data to send (JSON or @FILE)", field="data")
    answer = context.api.call(
        "POST", f"services/{args.service}/predict", body=_prediction_body(data, args.field)
    )
    return Record(answer, PREDICTION_FIELDS, title=f"Answer of {args.service}")


def _model_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument("model", help="model id, or NAME:VERSION")
    parser.add_argument("--all-versions", action="store_true", help="every version of its name")


def _find_model(api: Api, wanted: str) -> dict[str, Any]:
    for model in api.call("GET", "models")["models"]:
        label = f"{model.get('model_name')}:{model.get('model_version')}"
        if wanted in (model.get("model_id"), label):
            return dict(model)
    raise MagicError("NOT_FOUND", f"no model {wanted!r}", field="model")


def delete_model(context: Context, args: argparse.Namespace) -> dict[str, Any]:
    found = _find_model(context.api, args.model)
    params = {"cascade": "true"} if args.all_versions else None
    return dict(context.api.call("DELETE", f"models/{found['model_id']}", params=params))


def model(context: Context, args: argparse.Namespace) -> Record:
    found = _find_model(context.api, args.model)
    detail = context.api.call("GET", f"models/{found['model_id']}")
    return Record(detail, MODEL_COLUMNS, title=f"{found['model_name']} {found['model_version']}")


def model_labels(api: Api) -> list[str]:
    return [f"{m['model_name']}:{m['model_version']}" for m in api.call("GET", "models")["models"]]


def _find_service(api: Api, wanted: str) -> dict[str, Any]:
    for service in api.call("GET", "services")["services"]:
        if wanted in (service["service_name"], service["service_id"]):
            return dict(service)
    raise MagicError("NOT_FOUND", f"no service {wanted!r}", field="service")


def _service_argument(parser: MagicArgumentParser) -> None:
    parser.add_argument("service", help="service name or id")


MONITOR_COLUMNS = [
    Column("Model", "model_name"),
    Column("Version", "model_version"),
    Column("Calls", "invocation_times"),
    Column("Failed", "failed_times"),
    Column("CPU cores used", "cpu_core_usage"),
    Column("Memory used (MB)", "cpu_memory_usage"),
]
UPDATE_LOG_COLUMNS = [
    Column("When", "update_time", timestamp),
    Column("Result", "result"),
]
EVENT_COLUMNS = [
    Column("When", "occur_time", timestamp),
    Column("Type", "event_type"),
    Column("Event", "event_info"),
]
CLUSTER_COLUMNS = [
    Column("Name", "cluster_name"),
    Column("ID", "cluster_id"),
    Column("Status", "status"),
    Column("Description", "description"),
]


def service(context: Context, args: argparse.Namespace) -> Record:
    found = _find_service(context.api, args.service)
    detail = context.api.call("GET", f"services/{found['service_id']}")
    return Record(detail, SERVICE_COLUMNS, title=str(found["service_name"]))


SPECIFICATION_COLUMNS = [
    Column("Specification", "specification"),
    Column("Open", "is_open"),
    Column("Status", "spec_status"),
    Column("Free", "is_free"),
]


def service_specs(context: Context, _: argparse.Namespace) -> Listing:
    answer = context.api.call("GET", "services/specifications")
    return Listing(answer["specifications"], SPECIFICATION_COLUMNS, title="Specifications")


def _service_part(
    part: str, key: str, columns: list[Column], title: str
) -> Callable[[Context, argparse.Namespace], Listing]:
    """A subcommand listing one part of a service (``services/<id>/<part>``, items at ``key``)."""

    def run(context: Context, args: argparse.Namespace) -> Listing:
        found = _find_service(context.api, args.service)
        answer = context.api.call("GET", f"services/{found['service_id']}/{part}")
        return Listing(answer[key], columns, title=f"{title} {found['service_name']}")

    return run


monitor = _service_part("monitor", "monitors", MONITOR_COLUMNS, "Monitoring")
service_logs = _service_part("logs", "logs", UPDATE_LOG_COLUMNS, "Updates of")
events = _service_part("events", "events", EVENT_COLUMNS, "Events of")


def clusters(context: Context, _: argparse.Namespace) -> Listing:
    answer = context.api.call("GET", "clusters")
    return Listing(answer.get("clusters") or [], CLUSTER_COLUMNS, title="Dedicated clusters")


def _edge_node_arguments(parser: MagicArgumentParser) -> None:
    _service_argument(parser)
    parser.add_argument("node", help="edge node id")
    parser.add_argument("status", choices=("running", "stopped"), help="start or stop it there")


def edge_node(context: Context, args: argparse.Namespace) -> dict[str, Any]:
    found = _find_service(context.api, args.service)
    path = f"services/{found['service_id']}/nodes/{args.node}/status"
    return dict(context.api.call("PUT", path, body={"status": args.status}))


DEPLOY = [
    Subcommand("models", "List the models.", models),
    Subcommand(
        "services",
        "Services: list, start|stop|delete NAME.",
        services,
        _services_arguments,
        {1: service_names},
    ),
    Subcommand(
        "deploy",
        "Deploy a model folder or file as a real-time service (or --import-only).",
        deploy,
        _deploy_arguments,
        {"--spec": specification_names, "--job": job_names},
    ),
    Subcommand(
        "predict",
        "Send a test request to a running service.",
        predict,
        _predict_arguments,
        {0: service_names},
        takes_cell=True,
    ),
    Subcommand(
        "delete-model",
        "Delete a model version (--all-versions: every version of its name).",
        delete_model,
        _model_arguments,
        {0: model_labels},
    ),
    Subcommand("model", "One model version.", model, _model_arguments, {0: model_labels}),
    Subcommand("service", "One service.", service, _service_argument, {0: service_names}),
    Subcommand("service-specs", "Resource specifications to deploy on.", service_specs),
    Subcommand(
        "monitor",
        "A service's calls and resource use.",
        monitor,
        _service_argument,
        {0: service_names},
    ),
    Subcommand(
        "service-logs",
        "A service's update log.",
        service_logs,
        _service_argument,
        {0: service_names},
    ),
    Subcommand("events", "A service's events.", events, _service_argument, {0: service_names}),
    Subcommand("clusters", "Dedicated clusters services can run in.", clusters),
    Subcommand(
        "edge-node",
        "Start or stop a service's instance on an edge node.",
        edge_node,
        _edge_node_arguments,
        {0: service_names},
    ),
]
