"""REST handlers: parse, authorise, call the operations layer, serialise. Nothing more."""

from __future__ import annotations

from . import training
from .base import API_PREFIX, ID, ModelArtsHandler
from .catalog import AlgorithmsHandler, EnginesHandler, SpecsHandler
from .events import EventsHandler
from .instances import (
    InstanceActionHandler,
    InstanceHandler,
    InstanceOptionsHandler,
    InstancesHandler,
)
from .models import (
    DeploymentsHandler,
    InspectHandler,
    ModelHandler,
    ModelNextVersionHandler,
    ModelPackagesHandler,
    ModelsHandler,
    ResumeDeploymentHandler,
)
from .operations import CancelOperationHandler, OperationHandler, OperationsHandler
from .profiles import (
    ActivateProfileHandler,
    CloudsHandler,
    ProfileHandler,
    ProfilesHandler,
    ProfileWorkspaceHandler,
)
from .services import (
    ClustersHandler,
    EdgeNodeStatusHandler,
    PredictHandler,
    RequestExampleHandler,
    ServiceEventsHandler,
    ServiceHandler,
    ServiceMonitorHandler,
    ServicesHandler,
    ServiceUpdateLogsHandler,
    SpecificationsHandler,
    StartServiceHandler,
    StopServiceHandler,
)
from .status import OpenAPIHandler, StatusHandler, openapi_document
from .workspaces import WorkspaceHandler, WorkspaceQuotasHandler, WorkspacesHandler

__all__ = ["API_PREFIX", "ModelArtsHandler", "openapi_document", "routes"]

#: A training job or version id.
NUM = r"\d+"
#: A training job id: a number (v1) or a UUID (v2).
_JOB_ID = r"[0-9A-Za-z-]{1,64}"
_JOB = f"{API_PREFIX}/training/jobs/(?P<job_id>{_JOB_ID})"
_VERSION = f"{_JOB}/versions/(?P<version_id>{NUM})"
_VISUALIZATION = f"{API_PREFIX}/training/visualization-jobs"


def routes() -> list[tuple[str, type[ModelArtsHandler]]]:
    return [
        (f"{API_PREFIX}/status", StatusHandler),
        (f"{API_PREFIX}/openapi.json", OpenAPIHandler),
        (f"{API_PREFIX}/events", EventsHandler),
        (f"{API_PREFIX}/operations", OperationsHandler),
        (f"{API_PREFIX}/operations/(?P<operation_id>{ID})", OperationHandler),
        (f"{API_PREFIX}/operations/(?P<operation_id>{ID})/cancel", CancelOperationHandler),
        (f"{API_PREFIX}/instances", InstancesHandler),
        (f"{API_PREFIX}/instances/(?P<api>{ID})/options", InstanceOptionsHandler),
        (f"{API_PREFIX}/instances/(?P<api>{ID})/(?P<instance_id>{ID})", InstanceHandler),
        (
            f"{API_PREFIX}/instances/(?P<api>{ID})/(?P<instance_id>{ID})/(?P<action>{ID})",
            InstanceActionHandler,
        ),
        (f"{API_PREFIX}/models", ModelsHandler),
        (f"{API_PREFIX}/models/next-version", ModelNextVersionHandler),
        (f"{API_PREFIX}/models/(?P<model_id>{ID})", ModelHandler),
        (f"{API_PREFIX}/model-packages", ModelPackagesHandler),
        (f"{API_PREFIX}/deployments", DeploymentsHandler),
        (f"{API_PREFIX}/deployments/inspect", InspectHandler),
        (f"{API_PREFIX}/deployments/(?P<operation_id>{ID})/resume", ResumeDeploymentHandler),
        (f"{API_PREFIX}/services", ServicesHandler),
        (f"{API_PREFIX}/services/specifications", SpecificationsHandler),
        (f"{API_PREFIX}/services/(?P<service_id>{ID})", ServiceHandler),
        (f"{API_PREFIX}/services/(?P<service_id>{ID})/start", StartServiceHandler),
        (f"{API_PREFIX}/services/(?P<service_id>{ID})/stop", StopServiceHandler),
        (f"{API_PREFIX}/services/(?P<service_id>{ID})/events", ServiceEventsHandler),
        (f"{API_PREFIX}/services/(?P<service_id>{ID})/logs", ServiceUpdateLogsHandler),
        (f"{API_PREFIX}/services/(?P<service_id>{ID})/monitor", ServiceMonitorHandler),
        (f"{API_PREFIX}/services/(?P<service_id>{ID})/predict", PredictHandler),
        (f"{API_PREFIX}/services/(?P<service_id>{ID})/request-example", RequestExampleHandler),
        (
            f"{API_PREFIX}/services/(?P<service_id>{ID})/nodes/(?P<node_id>{ID})/status",
            EdgeNodeStatusHandler,
        ),
        (f"{API_PREFIX}/clusters", ClustersHandler),
        (f"{API_PREFIX}/clouds", CloudsHandler),
        (f"{API_PREFIX}/profiles", ProfilesHandler),
        (f"{API_PREFIX}/profiles/(?P<name>{ID})", ProfileHandler),
        (f"{API_PREFIX}/profiles/(?P<name>{ID})/activate", ActivateProfileHandler),
        (f"{API_PREFIX}/profiles/(?P<name>{ID})/workspace", ProfileWorkspaceHandler),
        (f"{API_PREFIX}/workspaces", WorkspacesHandler),
        (f"{API_PREFIX}/workspaces/(?P<workspace_id>{ID})", WorkspaceHandler),
        (f"{API_PREFIX}/workspaces/(?P<workspace_id>{ID})/quotas", WorkspaceQuotasHandler),
        (f"{API_PREFIX}/catalog/specs", SpecsHandler),
        (f"{API_PREFIX}/catalog/engines", EnginesHandler),
        (f"{API_PREFIX}/catalog/algorithms", AlgorithmsHandler),
        (f"{API_PREFIX}/training/prefill", training.PrefillHandler),
        (f"{API_PREFIX}/training/jobs", training.JobsHandler),
        (
            f"{API_PREFIX}/training/launches/(?P<operation_id>{ID})/retry",
            training.RetryLaunchHandler,
        ),
        (_JOB, training.JobHandler),
        (f"{_JOB}/versions", training.VersionsHandler),
        (f"{_JOB}/events", training.EventsHandler),
        (f"{_JOB}/metrics", training.MetricsHandler),
        (_VERSION, training.VersionHandler),
        (f"{_VERSION}/stop", training.StopVersionHandler),
        (f"{_VERSION}/log", training.LogHandler),
        (f"{_VERSION}/log/download", training.LogDownloadHandler),
        (f"{_VERSION}/output", training.OutputHandler),
        (f"{_VERSION}/output/download", training.OutputDownloadHandler),
        (f"{API_PREFIX}/training/configs", training.ConfigsHandler),
        (f"{API_PREFIX}/training/configs/(?P<config_name>{ID})", training.ConfigHandler),
        (_VISUALIZATION, training.VisualizationJobsHandler),
        (f"{_VISUALIZATION}/(?P<job_id>{NUM})", training.VisualizationJobHandler),
        (
            f"{_VISUALIZATION}/(?P<job_id>{NUM})/(?P<action>stop|restart)",
            training.VisualizationActionHandler,
        ),
    ]
