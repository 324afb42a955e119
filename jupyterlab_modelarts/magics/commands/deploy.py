"""Models and services: list, deploy a model folder or file, send a test request."""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
from typing import Any

from ..api import Api
from ..errors import MagicError
from ..parsing import MagicArgumentParser
from ..render import Column, Listing, Record, stream_line, upload_line
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
]
