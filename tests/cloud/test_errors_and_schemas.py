"""Error bodies of every documented shape and the documents' response quirks, parsed the way a
user of the library sees them. (Pure parsing: the same shapes are exercised over HTTP by the
other tests.)"""

from __future__ import annotations

import pytest

from jupyterlab_modelarts.cloud.errors import (
    AuthError,
    ConflictError,
    NotFoundError,
    QuotaError,
    RateLimitError,
    ServerError,
    ValidationError,
    error_from_response,
)
from jupyterlab_modelarts.cloud.schemas.devenv import DevEnvInstance, DevEnvList
from jupyterlab_modelarts.cloud.schemas.models import ModelDetail
from jupyterlab_modelarts.cloud.schemas.notebooks import Notebook
from jupyterlab_modelarts.cloud.schemas.services import Cluster, ServiceDetail
from jupyterlab_modelarts.cloud.schemas.training import (
    ByteLog,
    LineLog,
    LogFileNames,
    TrainingJobCreated,
    TrainingJobVersion,
    VisualizationJob,
)


@pytest.mark.parametrize(
    ("status", "body", "family", "code", "message"),
    [
        (404, {"error_msg": "The instance does not exist.", "error_code": "ModelArts.6309"},
         NotFoundError, "ModelArts.6309", "The instance does not exist."),
        (409, {"error_message": "Stop first.", "error_code": "ModelArts.6304"},
         ConflictError, "ModelArts.6304", "Stop first."),
        (200, {"is_success": False, "error_msg": "Error string", "error_code": "ModelArts.0105"},
         ConflictError, "ModelArts.0105", "Error string"),
        (400, {"errorCode": "ModelArts.0107", "errorMsg": "bad"},
         ValidationError, "ModelArts.0107", "bad"),
        (401, {"error": {"code": 401, "message": "The request you have made requires "
                         "authentication.", "title": "Unauthorized"}},
         AuthError, None, "The request you have made requires authentication."),
        (400, {"RequestId": "E7D5", "Success": False, "Code": "ValidationError",
               "Message": "InstanceName: invalid", "HttpStatusCode": 400},
         ValidationError, "ValidationError", "InstanceName: invalid"),
        (200, {"RequestId": "E7D5", "Success": False, "Code": "InternalError",
               "Message": "not found", "HttpStatusCode": 404},
         NotFoundError, "InternalError", "not found"),
        (429, {"error_msg": "slow down", "error_code": "ModelArts.0114"},
         RateLimitError, "ModelArts.0114", "slow down"),
        (400, {"error_code": "ModelArts.6302"}, QuotaError, "ModelArts.6302",
         "The maximum number of instances is reached."),
        # a body that is not JSON is not repeated (a portal page, a proxy echoing the request)
        (502, b"<html>Bad Gateway</html>", ServerError, None, "HTTP 502 from ModelArts"),
    ],
)  # fmt: skip
def test_every_error_shape(status, body, family, code, message):
    error = error_from_response(status, {"x-request-id": "req-1"}, body, service="ModelArts")
    assert type(error) is family
    assert (error.error_code, error.message) == (code, message)
    assert error.request_id in ("req-1", "E7D5")
    assert error.to_dict()["family"] == family.family


def test_workspace_shape_carries_its_request_id_and_chinese_text():
    body = {"error_msg": "Error message.", "error_code": "ModelArts.7005", "request_id": "44e3"}
    error = error_from_response(404, {}, body)
    assert error.request_id == "44e3"
    assert "[ModelArts.7005]" in str(error) and "request id 44e3" in str(error)
    assert error.localized("zh") == "工作空间不存在。 (Error message.)"


def test_retry_after_as_http_date_is_understood():
    error = error_from_response(429, {"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, {})
    assert isinstance(error, RateLimitError) and error.retry_after == 0


def test_numbers_as_strings_and_big_line_numbers():
    created = TrainingJobCreated.model_validate(
        {"is_success": True, "job_id": "10", "status": "1", "create_time": "1524189990635",
         "version_id": "10", "resource_id": "jobafd08896"}
    )  # fmt: skip
    assert (created.job_id, created.status, created.version_id) == (10, 1, 10)
    assert created.model_extra == {"is_success": True}
    assert (
        ByteLog.model_validate({"log": "x", "end_byte": "10", "count": "10"}).log_byte_count == 10
    )
    line = LineLog.model_validate({"start_line": 1551252759254000002, "lines": 3})
    assert line.start_line == "1551252759254000002"
    listing = DevEnvList.model_validate(
        {"total_count": "2", "instances": [{"id": "DE-1", "creation_timestamp": "1594887749962"}]}
    )
    assert listing.total_count == 2 and listing.instances[0].creation_timestamp == 1594887749962


def test_json_inside_strings_is_decoded():
    version = TrainingJobVersion.model_validate(
        {"version_id": 1, "model_metric_list": '{"metric": []}',
         "system_metric_list": {"cpuUsage": ["0", "3.10"]}}
    )  # fmt: skip
    assert version.model_metric_list == {"metric": []}
    assert version.system_metric_list == {"cpuUsage": ["0", "3.10"]}
    model = ModelDetail.model_validate(
        {"model_id": "m", "apis": '[{"url": "/"}]', "config": '{"model_type": "TensorFlow"}'}
    )
    assert model.apis == [{"url": "/"}] and model.config["model_type"] == "TensorFlow"
    assert LogFileNames.model_validate({"log_file_list": '["a.0", "a.1"]'}).log_file_list == [
        "a.0",
        "a.1",
    ]


def test_key_and_shape_variants():
    notebook = Notebook.model_validate(
        {"id": "n", "lease": {"create_at": 1, "update_at": 2, "duration": 3600000},
         "action_progress": [{"step": 1, "status": "WAITING", "description": "Prepare"}]}
    )  # fmt: skip
    assert (notebook.lease.create_time, notebook.lease.update_time) == (1, 2)
    assert notebook.action_progress[0].step_description == "Prepare"
    job = VisualizationJob.model_validate(
        {"job_id": 1, "schedule": {"type": "stop", "timeUnit": "HOURS", "duration": 1}}
    )
    assert job.schedule[0].time_unit == "HOURS"
    cluster = Cluster.model_validate({"cluster_id": "c", "nodes": {"count": 1}})
    assert cluster.nodes == [{"count": 1}]


def test_unparseable_fields_are_dropped_not_fatal():
    service = ServiceDetail.model_validate(
        {"service_id": "s", "status": "running", "failed_times": "many", "progress": 100}
    )
    assert service.failed_times is None and service.progress == 100
    instance = DevEnvInstance.model_validate({"id": "DE-1", "spec": {"auto_stop": "weird"}})
    assert instance.spec is not None and instance.spec.auto_stop is None  # dropped innermost
