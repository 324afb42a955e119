"""Alibaba Cloud PAI DSW instances, ``/api/v2/instances``: CreateInstance per seed 003 (PAI-1),
and ListInstances, GetInstance, UpdateInstance, StartInstance, StopInstance, DeleteInstance and
ListEcsSpecs in the shapes of the official ``alibabacloud_pai_dsw20220101`` models.

Callers sign with ACS3-HMAC-SHA256 and the PAI AccessKey. Errors follow 003:
``{"RequestId", "Success": false, "Code", "Message", "HttpStatusCode"}`` with ``Code``
``ValidationError`` for parameter errors and ``InternalError`` for everything else (404 for a
missing instance). A running instance is a server of the shared instance runtime
(``instances``); ``JupyterlabUrl`` opens it.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from datetime import datetime, timezone
from typing import Any

from . import instances
from .auth import AuthScheme
from .context import EmulatorContext
from .errors import ApiError, Family
from .fields import Codes, Rule, check, query_choice, query_int
from .handler import EmulatorHandler
from .instances import Effect, Machine, Step
from .instances.lifecycle import Refusal, check_action
from .instances.offerings import PAI_ECS_SPECS
from .store import Document, now_ms

KIND = "pai_instances"
CODES = Codes(missing="ValidationError", wrong_type="ValidationError", invalid="ValidationError")
STATUSES = (
    "Creating",
    "SaveFailed",
    "Stopped",
    "Failed",
    "ResourceAllocating",
    "Stopping",
    "Updating",
    "Saving",
    "Queuing",
    "Recovering",
    "Starting",
    "Running",
    "Saved",
    "Deleting",
    "EnvPreparing",
)

_DATASET_URI = r"(oss|nas|cpfs|bmcpfs)://.+"
_QUANTITY = r"\d+(\.\d+)?(Gi|Mi|Ti|G|M|T|GB|MB|TB)?"
#: 003 request fields; UpdateInstance takes the same fields (all optional there too)
INSTANCE_RULES = (
    Rule("WorkspaceId"),
    Rule(
        "InstanceName",
        pattern=r"[A-Za-z0-9_]{1,27}",
        pattern_hint="at most 27 letters, digits or underscores",
    ),
    Rule("EcsSpec"),
    Rule("ImageId"),
    Rule("ImageUrl"),
    Rule("Datasets", list),
    Rule("Datasets[]", dict),
    Rule("Datasets[].DatasetId"),
    Rule("Datasets[].DatasetVersion"),
    Rule(
        "Datasets[].Uri",
        pattern=_DATASET_URI,
        pattern_hint="must start with oss://, nas://, cpfs:// or bmcpfs://",
    ),
    Rule("Datasets[].MountPath"),
    Rule("Datasets[].MountAccess", choices=("RW", "RO")),
    Rule("Datasets[].Options"),
    Rule("Datasets[].OptionType"),
    Rule("Datasets[].Dynamic", bool),
    Rule("UserVpc", dict),
    Rule("UserVpc.VpcId"),
    Rule("UserVpc.VSwitchId"),
    Rule("UserVpc.SecurityGroupId"),
    Rule("UserVpc.ExtendedCIDRs", list),
    Rule("UserVpc.ExtendedCIDRs[]"),
    Rule("UserVpc.DefaultRoute"),
    Rule("Accessibility", choices=("PUBLIC", "PRIVATE")),
    Rule("EnvironmentVariables", dict),
    Rule("ResourceId"),
    Rule("Priority", int, minimum=1, maximum=9),
    Rule("RequestedResource", dict),
    Rule("RequestedResource.CPU", pattern=r"\d+(\.\d+)?", pattern_hint="a number of cores"),
    Rule("RequestedResource.Memory", pattern=_QUANTITY, pattern_hint="a size such as 32Gi"),
    Rule("RequestedResource.SharedMemory", pattern=_QUANTITY, pattern_hint="a size such as 32Gi"),
    Rule("RequestedResource.GPU", pattern=r"\d+", pattern_hint="a number of GPUs"),
    Rule(
        "RequestedResource.GPUType", choices=("V100", "A100", "T4", "A10", "P100"), ignore_case=True
    ),
    Rule("Labels", list),
    Rule("Labels[]", dict),
    Rule("Labels[].Key", required=True),
    Rule("Labels[].Value"),
    Rule("CloudDisks", list),
    Rule("CloudDisks[]", dict),
    Rule("CloudDisks[].Capacity", pattern=_QUANTITY, pattern_hint="a size such as 100Gi"),
    Rule("CloudDisks[].SubType", choices=("rootfs",)),
    Rule("CloudDisks[].MountPath"),
    Rule("CloudDisks[].Path"),
    Rule("WorkspaceSource"),
    Rule("UserId"),
    Rule("Driver"),
    Rule("ImageAuth"),
    Rule("UserCommand", dict),
    Rule("UserCommand.OnStart", dict),
    Rule("UserCommand.OnStart.Content"),
    Rule(
        "OversoldType",
        choices=("ForceQuotaOverSold", "AcceptQuotaOverSold", "ForbiddenQuotaOverSold"),
    ),
    Rule("AssignNodeSpec", dict),
    Rule("AssignNodeSpec.NodeNames"),
    Rule("AssignNodeSpec.AntiAffinityNodeNames"),
    Rule("SpotSpec", dict),
    Rule("SpotSpec.SpotStrategy", choices=("SpotWithPriceLimit", "SpotAsPriceGo")),
    Rule(
        "SpotSpec.SpotPriceLimit",
        pattern=r"\d+(\.\d{1,3})?",
        pattern_hint="a price with at most three decimals",
    ),
    Rule("SpotSpec.SpotDuration", pattern=r"\d+", pattern_hint="a number of hours"),
    Rule("SpotSpec.SpotDiscountLimit", pattern=r"\d+(\.\d+)?", pattern_hint="a discount"),
    Rule("Tag", list),
    Rule("Tag[]", dict),
)
#: Fields of an instance that UpdateInstance replaces when given
UPDATABLE = tuple(
    rule.path for rule in INSTANCE_RULES if "." not in rule.path and "[" not in rule.path
)


def _cross_field_problem(body: dict[str, Any]) -> str | None:
    """003's either/or rules (api-catalog.md C87, C39)."""
    seen_dynamic = False
    for index, dataset in enumerate(body.get("Datasets") or []):
        where = f"Datasets[{index}]"
        if bool(dataset.get("DatasetId")) == bool(dataset.get("Uri")):
            return f"{where}: exactly one of DatasetId and Uri is required"
        if dataset.get("DatasetVersion") and not dataset.get("DatasetId"):
            return f"{where}.DatasetVersion: requires DatasetId"
        if dataset.get("Options") and dataset.get("OptionType"):
            return f"{where}: Options and OptionType are mutually exclusive"
        if dataset.get("Dynamic"):
            seen_dynamic = True
            if not str(dataset.get("Uri", "")).startswith("oss://"):
                return f"{where}.Dynamic: only OSS datasets mount dynamically"
            if dataset.get("MountAccess") == "RW":
                return f"{where}.MountAccess: dynamically mounted datasets are read-only"
            if not str(dataset.get("MountPath", "")).startswith("/mnt/dynamic/"):
                return f"{where}.MountPath: a dynamic mount path is under /mnt/dynamic/"
        elif seen_dynamic:
            return f"{where}: dynamically mounted datasets come after the others"
    vpc = body.get("UserVpc") or {}
    if vpc.get("VSwitchId") and not vpc.get("ExtendedCIDRs"):
        return "UserVpc.ExtendedCIDRs: required when VSwitchId is set"
    spot = body.get("SpotSpec") or {}
    if spot.get("SpotStrategy") == "SpotWithPriceLimit" and not spot.get("SpotPriceLimit"):
        return "SpotSpec.SpotPriceLimit: required when SpotStrategy is SpotWithPriceLimit"
    if body.get("EcsSpec") and body["EcsSpec"] not in PAI_ECS_SPECS:
        return f"EcsSpec: unknown ECS type {body['EcsSpec']}; see ListEcsSpecs"
    return None


def _account_running_time(doc: Document) -> None:
    """AccumulatedRunningTimeInMs grows by each run that ends (Machine.on_change)."""
    previous = doc.get("counted_since")
    if doc["status"] == "Running":
        doc["counted_since"] = doc["started_at"]
    elif previous is not None:
        doc["accumulated_ms"] += max(0, doc["status_since"] - previous)
        doc["counted_since"] = None


MACHINE = Machine(
    kind=KIND,
    steps={
        "Creating": Step("EnvPreparing", 2),
        "EnvPreparing": Step("Running", 3, Effect.LAUNCH, on_failure="Failed"),
        "Starting": Step("Running", 3, Effect.LAUNCH, on_failure="Failed"),
        "Stopping": Step("Stopped", 2, Effect.HALT),
        "Deleting": Step(None, 2, Effect.HALT),
    },
    running="Running",
    auto_stopping="Stopping",
    lost="Failed",
    on_change=_account_running_time,
)


def _validate(body: dict[str, Any]) -> None:
    check(body, INSTANCE_RULES, CODES)
    problem = _cross_field_problem(body)
    if problem is not None:
        raise ApiError(400, CODES.invalid, f"Invalid parameter {problem}")


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _envelope(handler: EmulatorHandler, **fields: Any) -> dict[str, Any]:
    """003's success envelope (its sample prints ``Code`` as the string "null")."""
    return {
        "RequestId": handler.request_id,
        "Success": True,
        "Code": "null",
        "Message": "",
        "HttpStatusCode": 200,
        **fields,
    }


def render(ctx: EmulatorContext, doc: Document, request_base: str) -> dict[str, Any]:
    """An instance in the SDK's GetInstance / ListInstances element shape."""
    spec = PAI_ECS_SPECS.get(doc["fields"].get("EcsSpec") or "")
    running = doc["status"] == "Running"
    url = instances.absolute_url(request_base, doc["url"]) if running else ""
    accumulated = doc["accumulated_ms"]
    if running and doc.get("started_at"):
        accumulated += max(0, now_ms() - doc["started_at"])
    user_id = hashlib.sha256(ctx.config.pai_access_key.encode()).hexdigest()[:16]
    requested = doc["fields"].get("RequestedResource") or {}
    shown = {
        "AcceleratorType": (spec or {}).get("AcceleratorType")
        or ("GPU" if requested.get("GPU", "0") not in ("", "0") else "CPU"),
        "Accessibility": "PRIVATE",
        "PaymentType": "PayAsYouGo",
        "UserId": user_id,
        "UserName": "local-pai-user",
        "WorkspaceName": doc["fields"].get("WorkspaceId") or "default",
        **copy.deepcopy(doc["fields"]),
        "InstanceId": doc["id"],
        "InstanceName": doc["name"],
        "Status": doc["status"],
        "ReasonCode": "InstanceFailed" if doc["status"] == "Failed" else "",
        "ReasonMessage": doc.get("fail_reason") or "",
        "GmtCreateTime": _iso(doc["created_at"]),
        "GmtModifiedTime": _iso(doc["updated_at"]),
        "AccumulatedRunningTimeInMs": accumulated,
        "InstanceUrl": url,
        "JupyterlabUrl": url,
        "WebIDEUrl": "",
        "TerminalUrl": "",
        "ImageName": (doc["fields"].get("ImageUrl") or "").rpartition("/")[2],
    }
    shown.pop("ImageAuth", None)
    return shown


_BUSY = Refusal("InternalError", "The instance is busy: wait until its status is stable.")
_START = (
    frozenset({"Stopped", "Failed"}),
    {"Running": Refusal("InternalError", "The instance is already running.")},
    _BUSY,
)
_STOP = (
    frozenset({"Running", "Failed"}),
    {"Stopped": Refusal("InternalError", "The instance is already stopped.")},
    _BUSY,
)


class _PaiHandler(EmulatorHandler):
    family = Family.PAI
    auth_scheme = AuthScheme.PAI
    validation_code = CODES.invalid

    @property
    def request_base(self) -> str:
        return f"{self.request.protocol}://{self.request.host}"

    @property
    def supervisor(self) -> instances.Supervisor:
        return instances.supervisor(self.ctx)

    def find(self, instance_id: str) -> Document:
        doc = self.store.get(KIND, instance_id)
        if doc is None:
            raise ApiError(404, "InternalError", f"The instance {instance_id} does not exist.")
        return doc

    def act(
        self,
        instance_id: str,
        rules: tuple[frozenset[str], dict[str, Refusal], Refusal],
        target: str,
    ) -> None:
        doc = self.find(instance_id)
        refusal = check_action(doc["status"], *rules)
        if refusal is not None:
            raise ApiError(400, refusal.code, f"{refusal.message} Status: {doc['status']}.")
        self.supervisor.enter(KIND, doc, target)
        self.send_json(_envelope(self, InstanceId=instance_id))


class InstancesHandler(_PaiHandler):
    def post(self) -> None:
        body = self.json_body()
        _validate(body)
        instance_id = f"dsw-{secrets.token_hex(7)}"
        fields = {key: copy.deepcopy(body[key]) for key in UPDATABLE if key in body}
        doc = instances.base_fields(
            instance_id,
            body.get("InstanceName") or instance_id.replace("-", "_"),
            "Creating",
            fields=fields,
            accumulated_ms=0,
            counted_since=None,
        )
        self.supervisor.save(KIND, doc)
        self.send_json(_envelope(self, InstanceId=instance_id))

    def get(self) -> None:
        arg = self.get_query_argument
        page_number = query_int(arg("PageNumber", None), "PageNumber", CODES, default=1, minimum=1)
        page_size = query_int(
            arg("PageSize", None), "PageSize", CODES, default=20, minimum=1, maximum=100
        )
        status = query_choice(arg("Status", None), "Status", CODES, STATUSES, default=None)
        order = query_choice(arg("Order", None), "Order", CODES, ("ASC", "DESC"), default="DESC")
        sort_by = query_choice(
            arg("SortBy", None),
            "SortBy",
            CODES,
            ("GmtCreateTime", "GmtModifiedTime", "InstanceName", "Priority"),
            default="GmtCreateTime",
        )
        sort_field = sort_by or "GmtCreateTime"
        found = [render(self.ctx, doc, self.request_base) for doc in self.store.list(KIND)]
        if status:
            found = [item for item in found if item["Status"] == status]
        for key in ("InstanceId", "WorkspaceId", "AcceleratorType", "Accessibility"):
            if arg(key, None):
                found = [item for item in found if item.get(key) == arg(key)]
        if arg("InstanceName", None):
            found = [item for item in found if arg("InstanceName") in item["InstanceName"]]
        found.sort(
            key=lambda item: (item.get(sort_field) is None, item.get(sort_field) or 0),
            reverse=order == "DESC",
        )
        start = (page_number - 1) * page_size
        self.send_json(
            _envelope(self, Instances=found[start : start + page_size], TotalCount=len(found))
        )


class InstanceHandler(_PaiHandler):
    def get(self, instance_id: str) -> None:
        doc = self.find(instance_id)
        self.send_json(_envelope(self, **render(self.ctx, doc, self.request_base)))

    def put(self, instance_id: str) -> None:
        doc = self.find(instance_id)
        body = self.json_body()
        _validate(body)
        for key in UPDATABLE:
            if key in body:
                doc["fields"][key] = copy.deepcopy(body[key])
        for key, value in body.items():
            if key.startswith("Disassociate") and value is True:
                doc["fields"].pop(key.removeprefix("Disassociate"), None)
        if body.get("InstanceName"):
            doc["name"] = body["InstanceName"]
        self.supervisor.save(KIND, doc)
        self.send_json(_envelope(self, InstanceId=instance_id))

    def delete(self, instance_id: str) -> None:
        doc = self.find(instance_id)
        if doc["status"] != "Deleting":
            self.supervisor.enter(KIND, doc, "Deleting")
        self.send_json(_envelope(self, InstanceId=instance_id))


class StartHandler(_PaiHandler):
    def put(self, instance_id: str) -> None:
        self.act(instance_id, _START, "Starting")


class StopHandler(_PaiHandler):
    def put(self, instance_id: str) -> None:
        query_choice(
            self.get_query_argument("SaveImage", None),
            "SaveImage",
            CODES,
            ("true", "false", "True", "False"),
            default=None,
        )
        self.act(instance_id, _STOP, "Stopping")


class EcsSpecsHandler(_PaiHandler):
    def get(self) -> None:
        arg = self.get_query_argument
        accelerator = query_choice(
            arg("AcceleratorType", None), "AcceleratorType", CODES, ("CPU", "GPU"), default=None
        )
        if accelerator is None:
            raise ApiError(400, CODES.missing, "Invalid parameter AcceleratorType: required")
        page_number = query_int(arg("PageNumber", None), "PageNumber", CODES, default=1, minimum=1)
        page_size = query_int(
            arg("PageSize", None), "PageSize", CODES, default=10, minimum=1, maximum=100
        )
        order = query_choice(arg("Order", None), "Order", CODES, ("ASC", "DESC"), default="ASC")
        specs = sorted(
            (spec for spec in PAI_ECS_SPECS.values() if spec["AcceleratorType"] == accelerator),
            key=lambda spec: spec["Price"],
            reverse=order == "DESC",
        )
        start = (page_number - 1) * page_size
        self.send_json(
            _envelope(self, EcsSpecs=specs[start : start + page_size], TotalCount=len(specs))
        )


async def on_start(ctx: EmulatorContext) -> None:
    instances.supervisor(ctx).register(MACHINE)


_ONE = r"/api/v2/instances/(?P<instance_id>[^/]+)"
ROUTES = [
    (r"/api/v2/instances", InstancesHandler),
    (_ONE + r"/start", StartHandler),
    (_ONE + r"/stop", StopHandler),
    (_ONE, InstanceHandler),
    (r"/api/v2/ecsspecs", EcsSpecsHandler),
]
