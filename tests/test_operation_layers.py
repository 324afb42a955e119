"""Every seed operation (api-catalog.md §2.0, 59 of them) at every layer: Local ModelArts, the
client library, the REST API, the front end and the magics. A row names what serves it at each
layer; the test fails when one is missing. The front end counts when its API module calls the
route and a component uses that call. Where the front end has no entry yet, the row says so in
UI_GAPS: those cases are expected to fail (strictly, so adding the UI flips them to passing
and the gap must then be removed from the list)."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from tornado.web import RequestHandler

from jupyterlab_modelarts import handlers
from jupyterlab_modelarts.emulator.app import load_modules
from jupyterlab_modelarts.magics.magic import BY_NAME

SRC = Path(__file__).parent.parent / "src"
P = "/v1/0123456789abcdef0123456789abcdef"
TJ = f"{P}/training-jobs/1/versions/1"


@dataclass(frozen=True)
class Operation:
    id: str
    #: (method, a path Local ModelArts answers)
    emulator: tuple[str, str]
    #: "module:Class.method" under jupyterlab_modelarts.cloud
    client: str
    #: (method, a path under /modelarts/api/v1/)
    rest: tuple[str, str]
    #: (front-end module under src/, the call, a literal the calling code passes, or "")
    ui: tuple[str, str, str]
    #: "subcommand" or "subcommand action"
    magic: str


OPERATIONS = [
    Operation("IAM-1", ("POST", "/v3/auth/tokens"), "iam:Iam.create_token",
              ("POST", "profiles"), ("api.ts", "saveProfile", ""), "status"),
    Operation("IAM-2", ("GET", "/v3/projects"), "iam:Iam.projects",
              ("GET", "status"), ("api.ts", "fetchStatus", ""), "status"),
    Operation("DE-1", ("POST", f"{P}/demanager/instances"),
              "resources.devenv:DevEnvironments.create",
              ("POST", "instances"), ("notebooks/api.ts", "createInstance", ""),
              "notebooks create"),
    Operation("DE-2", ("GET", f"{P}/demanager/instances"), "resources.devenv:DevEnvironments.list",
              ("GET", "instances"), ("notebooks/api.ts", "listInstances", ""), "notebooks list"),
    Operation("DE-3", ("GET", f"{P}/demanager/instances/DE-1"),
              "resources.devenv:DevEnvironments.get",
              ("GET", "instances/devenv/DE-1"), ("notebooks/api.ts", "getInstance", ""),
              "notebooks open"),
    Operation("DE-4", ("PUT", f"{P}/demanager/instances/DE-1"),
              "resources.devenv:DevEnvironments.update",
              ("PATCH", "instances/devenv/DE-1"), ("notebooks/api.ts", "updateInstance", ""),
              "notebooks update"),
    Operation("DE-5", ("DELETE", f"{P}/demanager/instances/DE-1"),
              "resources.devenv:DevEnvironments.delete",
              ("DELETE", "instances/devenv/DE-1"), ("notebooks/api.ts", "deleteInstance", ""),
              "notebooks delete"),
    Operation("DE-6", ("POST", f"{P}/demanager/instances/DE-1/action"),
              "resources.devenv:DevEnvironments.action",
              ("POST", "instances/devenv/DE-1/start"), ("notebooks/api.ts", "actOnInstance", ""),
              "notebooks start"),
    Operation("NB-1", ("POST", f"{P}/notebooks"), "resources.notebooks:Notebooks.create",
              ("POST", "instances"), ("notebooks/api.ts", "createInstance", ""),
              "notebooks create"),
    Operation("TJ-1", ("POST", f"{P}/training-jobs"), "resources.training:TrainingJobs.create",
              ("POST", "training/jobs"), ("training/api.ts", "launch", ""), "train"),
    Operation("TJ-2", ("GET", f"{P}/training-jobs"), "resources.training:TrainingJobs.list",
              ("GET", "training/jobs"), ("training/api.ts", "jobs", ""), "jobs"),
    Operation("TJ-3", ("GET", TJ), "resources.training:TrainingJobs.get_version",
              ("GET", "training/jobs/1/versions/1"), ("training/api.ts", "version", ""),
              "version"),
    Operation("TJ-4", ("DELETE", TJ), "resources.training:TrainingJobs.delete_version",
              ("DELETE", "training/jobs/1/versions/1"), ("training/api.ts", "deleteVersion", ""),
              "delete-version"),
    Operation("TJ-5", ("GET", f"{P}/training-jobs/1/versions"),
              "resources.training:TrainingJobs.versions",
              ("GET", "training/jobs/1"), ("training/api.ts", "versions", ""), "job"),
    Operation("TJ-6", ("POST", f"{P}/training-jobs/1/versions"),
              "resources.training:TrainingJobs.create_version",
              ("POST", "training/jobs/1/versions"), ("training/api.ts", "newVersion", ""),
              "train"),
    Operation("TJ-7", ("POST", f"{TJ}/stop"), "resources.training:TrainingJobs.stop",
              ("POST", "training/jobs/1/versions/1/stop"), ("training/api.ts", "stop", ""),
              "stop"),
    Operation("TJ-8", ("PUT", f"{P}/training-jobs/1"),
              "resources.training:TrainingJobs.update_description",
              ("PUT", "training/jobs/1"), ("training/api.ts", "describe", ""), "describe"),
    Operation("TJ-9", ("DELETE", f"{P}/training-jobs/1"), "resources.training:TrainingJobs.delete",
              ("DELETE", "training/jobs/1"), ("training/api.ts", "deleteJob", ""), "delete-job"),
    Operation("TJ-10", ("GET", f"{TJ}/log/file-names"), "resources.training:TrainingJobs.log_files",
              ("GET", "training/jobs/1/versions/1/log"), ("training/api.ts", "log", ""),
              "log-files"),
    Operation("TJ-11", ("GET", f"{TJ}/log"), "resources.training:TrainingJobs.log_bytes",
              ("GET", "training/jobs/1/versions/1/log"), ("training/api.ts", "log", ""), "logs"),
    Operation("TJ-12", ("GET", f"{P}/built-in-algorithms"),
              "resources.training:TrainingJobs.built_in_algorithms",
              ("GET", "catalog/algorithms"), ("training/api.ts", "algorithms", ""), "algorithms"),
    Operation("TJ-13", ("GET", f"{TJ}/aom-log"), "resources.training:TrainingJobs.log_lines",
              ("GET", "training/jobs/1/versions/1/log"), ("training/api.ts", "log", ""), "logs"),
    Operation("TC-1", ("POST", f"{P}/training-job-configs"),
              "resources.training:TrainingConfigs.create",
              ("POST", "training/jobs"), ("training/api.ts", "launch", "save_config"), "train"),
    Operation("TC-2", ("GET", f"{P}/training-job-configs"),
              "resources.training:TrainingConfigs.list",
              ("GET", "training/configs"), ("training/api.ts", "configs", ""), "configs"),
    Operation("TC-3", ("PUT", f"{P}/training-job-configs/c"),
              "resources.training:TrainingConfigs.update",
              ("PUT", "training/configs/c"), ("training/api.ts", "updateConfig", ""),
              "update-config"),
    Operation("TC-4", ("DELETE", f"{P}/training-job-configs/c"),
              "resources.training:TrainingConfigs.delete",
              ("DELETE", "training/configs/c"), ("training/api.ts", "deleteConfig", ""),
              "delete-config"),
    Operation("TC-5", ("GET", f"{P}/training-job-configs/c"),
              "resources.training:TrainingConfigs.get",
              ("GET", "training/configs/c"), ("training/api.ts", "config", ""), "config"),
    Operation("VJ-1", ("POST", f"{P}/visualization-jobs"),
              "resources.training:VisualizationJobs.create",
              ("POST", "training/visualization-jobs"), ("training/api.ts", "visualize", ""),
              "board create"),
    Operation("VJ-2", ("GET", f"{P}/visualization-jobs"),
              "resources.training:VisualizationJobs.list",
              ("GET", "training/visualization-jobs"), ("training/api.ts", "visualizations", ""),
              "boards"),
    Operation("VJ-3", ("GET", f"{P}/visualization-jobs/1"),
              "resources.training:VisualizationJobs.get",
              ("GET", "training/visualization-jobs/1"), ("training/api.ts", "visualization", ""),
              "board show"),
    Operation("VJ-4", ("PUT", f"{P}/visualization-jobs/1"),
              "resources.training:VisualizationJobs.update_description",
              ("PUT", "training/visualization-jobs/1"),
              ("training/api.ts", "describeVisualization", ""), "board describe"),
    Operation("VJ-5", ("DELETE", f"{P}/visualization-jobs/1"),
              "resources.training:VisualizationJobs.delete",
              ("DELETE", "training/visualization-jobs/1"),
              ("training/api.ts", "deleteVisualization", ""), "board delete"),
    Operation("VJ-6", ("POST", f"{P}/visualization-jobs/1/stop"),
              "resources.training:VisualizationJobs.stop",
              ("POST", "training/visualization-jobs/1/stop"),
              ("training/api.ts", "visualizationAction", "'stop'"), "board stop"),
    Operation("VJ-7", ("POST", f"{P}/visualization-jobs/1/restart"),
              "resources.training:VisualizationJobs.restart",
              ("POST", "training/visualization-jobs/1/restart"),
              ("training/api.ts", "visualizationAction", "'restart'"), "board restart"),
    Operation("SP-1", ("GET", f"{P}/job/resource-specs"), "resources.training:Specs.resources",
              ("GET", "catalog/specs"), ("training/api.ts", "specs", ""), "specs"),
    Operation("SP-2", ("GET", f"{P}/job/ai-engines"), "resources.training:Specs.engines",
              ("GET", "catalog/engines"), ("training/api.ts", "engines", ""), "engines"),
    Operation("MD-1", ("POST", f"{P}/models"), "resources.models:Models.create",
              ("POST", "deployments"), ("deploy/api.ts", "deploy", ""), "deploy"),
    Operation("MD-2", ("GET", f"{P}/models"), "resources.models:Models.list",
              ("GET", "models"), ("deploy/api.ts", "models", ""), "models"),
    Operation("MD-3", ("GET", f"{P}/models/m"), "resources.models:Models.get",
              ("GET", "models/m"), ("deploy/api.ts", "model", ""), "model"),
    Operation("MD-4", ("DELETE", f"{P}/models/m"), "resources.models:Models.delete",
              ("DELETE", "models/m"), ("deploy/api.ts", "deleteModel", ""), "delete-model"),
    Operation("SV-1", ("POST", f"{P}/services"), "resources.services:Services.create",
              ("POST", "deployments"), ("deploy/api.ts", "deploy", ""), "deploy"),
    Operation("SV-2", ("GET", f"{P}/services"), "resources.services:Services.list",
              ("GET", "services"), ("deploy/api.ts", "services", ""), "services list"),
    Operation("SV-3", ("GET", f"{P}/services/s"), "resources.services:Services.get",
              ("GET", "services/s"), ("deploy/api.ts", "service", ""), "service"),
    Operation("SV-4", ("PUT", f"{P}/services/s/nodes/n/status"),
              "resources.services:Services.set_node_status",
              ("PUT", "services/s/nodes/n/status"), ("deploy/api.ts", "setNodeStatus", ""),
              "edge-node"),
    Operation("SV-5", ("PUT", f"{P}/services/s"), "resources.services:Services.update",
              ("PUT", "services/s"), ("deploy/api.ts", "updateService", ""), "services start"),
    Operation("SV-6", ("GET", f"{P}/services/s/monitor"), "resources.services:Services.monitor",
              ("GET", "services/s/monitor"), ("deploy/api.ts", "serviceInfo", "'monitor'"),
              "monitor"),
    Operation("SV-7", ("GET", f"{P}/services/s/logs"), "resources.services:Services.update_logs",
              ("GET", "services/s/logs"), ("deploy/api.ts", "serviceInfo", "'logs'"),
              "service-logs"),
    Operation("SV-8", ("GET", f"{P}/services/s/events"), "resources.services:Services.events",
              ("GET", "services/s/events"), ("deploy/api.ts", "serviceInfo", "'events'"),
              "events"),
    Operation("SV-9", ("DELETE", f"{P}/services/s"), "resources.services:Services.delete",
              ("DELETE", "services/s"), ("deploy/api.ts", "deleteService", ""),
              "services delete"),
    Operation("SV-10", ("GET", f"{P}/services/specifications"),
              "resources.services:Services.specifications",
              ("GET", "services/specifications"), ("deploy/api.ts", "specifications", ""),
              "service-specs"),
    Operation("SV-11", ("GET", f"{P}/clusters"), "resources.services:Services.clusters",
              ("GET", "clusters"), ("deploy/api.ts", "clusters", ""), "clusters"),
    Operation("WS-1", ("POST", f"{P}/workspaces"), "resources.workspaces:Workspaces.create",
              ("POST", "workspaces"), ("api.ts", "createWorkspace", ""), "workspace create"),
    Operation("WS-2", ("GET", f"{P}/workspaces"), "resources.workspaces:Workspaces.list",
              ("GET", "workspaces"), ("api.ts", "listWorkspaces", ""), "workspaces"),
    Operation("WS-3", ("DELETE", f"{P}/workspaces/{'0' * 32}"),
              "resources.workspaces:Workspaces.delete",
              ("DELETE", f"workspaces/{'0' * 32}"), ("api.ts", "deleteWorkspace", ""),
              "workspace delete"),
    Operation("WS-4", ("GET", f"{P}/workspaces/{'0' * 32}"), "resources.workspaces:Workspaces.get",
              ("GET", f"workspaces/{'0' * 32}"), ("api.ts", "getWorkspace", ""),
              "workspace show"),
    Operation("WS-5", ("PUT", f"{P}/workspaces/{'0' * 32}"),
              "resources.workspaces:Workspaces.update",
              ("PUT", f"workspaces/{'0' * 32}"), ("api.ts", "updateWorkspace", ""),
              "workspace update"),
    Operation("WS-6", ("GET", f"{P}/workspaces/{'0' * 32}/quotas"),
              "resources.workspaces:Workspaces.quotas",
              ("GET", f"workspaces/{'0' * 32}/quotas"), ("api.ts", "workspaceQuotas", ""),
              "workspace quotas"),
    Operation("WS-7", ("PUT", f"{P}/workspaces/{'0' * 32}/quotas"),
              "resources.workspaces:Workspaces.update_quotas",
              ("PUT", f"workspaces/{'0' * 32}/quotas"), ("api.ts", "updateWorkspaceQuotas", ""),
              "workspace set-quota"),
    Operation("PAI-1", ("POST", "/api/v2/instances"), "pai:PaiDsw.create",
              ("POST", "instances"), ("notebooks/api.ts", "createInstance", ""),
              "notebooks create"),
]  # fmt: skip

#: Operations the front end does not offer yet; expected to fail (none now: issue 20 added the
#: last ones).
UI_GAPS: frozenset[str] = frozenset()


def _implements(handler: type, method: str) -> bool:
    return getattr(handler, method.lower()) is not getattr(RequestHandler, method.lower())


def test_the_table_covers_every_seed_operation() -> None:
    assert len({operation.id for operation in OPERATIONS}) == len(OPERATIONS) == 59


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o.id)
def test_local_modelarts_serves_it(operation: Operation) -> None:
    method, path = operation.emulator
    routes = [route for module in load_modules() for route in getattr(module, "ROUTES", [])]
    handler = next((h for pattern, h in routes if re.fullmatch(pattern, path)), None)
    assert handler is not None, f"no Local ModelArts route for {path}"
    assert _implements(handler, method), f"{handler.__name__} has no {method}"


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o.id)
def test_the_client_calls_it(operation: Operation) -> None:
    module_name, _, attribute = operation.client.partition(":")
    found: object = importlib.import_module(f"jupyterlab_modelarts.cloud.{module_name}")
    for part in attribute.split("."):
        found = getattr(found, part)
    assert callable(found)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o.id)
def test_the_rest_api_routes_it(operation: Operation) -> None:
    method, path = operation.rest
    full = f"{handlers.API_PREFIX}/{path}"
    handler = next((h for pattern, h in handlers.routes() if re.fullmatch(pattern, full)), None)
    assert handler is not None, f"no REST route for {full}"
    assert _implements(handler, method), f"{handler.__name__} has no {method}"


def _front_end_sources() -> dict[Path, str]:
    return {
        path: path.read_text(encoding="utf-8")
        for path in SRC.rglob("*.ts*")
        if "__tests__" not in path.parts
    }


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(
            o,
            marks=pytest.mark.xfail(o.id in UI_GAPS, reason="no front end yet", strict=True),
        )
        for o in OPERATIONS
    ],
    ids=lambda o: o.id,
)
def test_the_front_end_uses_it(operation: Operation) -> None:
    module, call, literal = operation.ui
    sources = _front_end_sources()
    defined = re.search(
        rf"^\s*(?:export (?:async )?function )?{call}\b\s*[:(<]",
        sources[SRC / module],
        re.MULTILINE,
    )
    assert defined, f"src/{module} has no {call}"
    callers = [
        text
        for path, text in sources.items()
        if path != SRC / module and re.search(rf"(?<!\w){call}\s*[(<]|Api\.{call}\b", text)
    ]
    assert callers, f"no component calls {call}"
    if literal:
        assert any(literal in text for text in [*callers, sources[SRC / module]]), literal


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o.id)
def test_a_magic_runs_it(operation: Operation) -> None:
    name, _, action = operation.magic.partition(" ")
    assert name in BY_NAME, f"no %modelarts {name}"
    if action:
        choices = {
            choice
            for argument in BY_NAME[name].parser()._actions
            for choice in (argument.choices or ())
        }
        assert action in choices, f"%modelarts {name} has no {action}"
