"""Retries, timeouts, rate limits and create reconciliation, under faults injected into Local
ModelArts."""

from __future__ import annotations

import time

import pytest

from jupyterlab_modelarts.cloud.errors import (
    ConflictError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TimeoutError,
    ValidationError,
)
from jupyterlab_modelarts.cloud.policy import RetryPolicy, Timeouts

WORKSPACES = r"/v1/[0-9a-f]+/workspaces$"


async def names(ma, name):
    return [ws async for ws in ma.workspaces.iterate(name=name) if ws.name == name]


async def test_read_is_retried_after_server_errors(modelarts_local, ma):
    await ma.project_id()
    modelarts_local.add_fault({"route": WORKSPACES, "kind": "status", "status": 500, "times": 2})
    listing = await ma.workspaces.list()
    assert listing.workspaces
    assert not modelarts_local.ctx.faults.list()  # both injected failures were consumed


async def test_read_gives_up_with_the_upstream_error(modelarts_local, ma):
    await ma.project_id()
    modelarts_local.add_fault(
        {"route": WORKSPACES, "kind": "status", "status": 500, "code": "ModelArts.7001"}
    )
    with pytest.raises(ServerError) as caught:
        await ma.workspaces.list()
    error = caught.value
    assert (error.status, error.error_code) == (500, "ModelArts.7001")
    assert error.request_id
    assert "Unknown workspace error" in error.localized("en")
    assert "未知的工作空间错误" in error.localized("zh-CN")


async def test_dropped_connection_on_read_is_retried(modelarts_local, ma):
    await ma.project_id()
    modelarts_local.add_fault({"route": WORKSPACES, "kind": "drop", "times": 1})
    assert (await ma.workspaces.list()).workspaces


async def test_rate_limit_honours_retry_after(modelarts_local, ma):
    await ma.project_id()
    modelarts_local.add_fault(
        {"route": WORKSPACES, "kind": "rate_limit", "times": 1, "retry_after_seconds": 1}
    )
    started = time.monotonic()
    assert (await ma.workspaces.list()).workspaces
    assert time.monotonic() - started >= 1.0


async def test_rate_limit_longer_than_allowed_is_reported(modelarts_local, ma):
    await ma.project_id()
    modelarts_local.add_fault(
        {"route": WORKSPACES, "kind": "rate_limit", "times": 1, "retry_after_seconds": 30}
    )
    with pytest.raises(RateLimitError) as caught:
        await ma.workspaces.list()
    assert caught.value.retry_after == 30
    assert caught.value.status == 429


async def test_an_exhausted_rate_limit_window_without_retry_after_is_reported(modelarts_local, ma):
    await ma.project_id()
    modelarts_local.add_fault(
        {"route": WORKSPACES, "kind": "rate_limit", "times": 1, "retry_after_seconds": None}
    )
    with pytest.raises(RateLimitError) as caught:
        await ma.workspaces.list()
    # Nothing left in a one-minute window: the wait is the window, longer than the retry cap.
    assert caught.value.retry_after == 60


async def test_create_is_not_retried_after_a_plain_server_error(modelarts_local, ma):
    await ma.project_id()
    modelarts_local.add_fault(
        {"route": WORKSPACES, "kind": "status", "status": 400, "methods": ["POST"], "times": 1}
    )
    with pytest.raises(ValidationError):
        await ma.workspaces.create(name="ws-once")
    assert await names(ma, "ws-once") == []


async def test_create_is_retried_after_503(modelarts_local, ma):
    await ma.project_id()
    modelarts_local.add_fault(
        {"route": WORKSPACES, "kind": "status", "status": 503, "methods": ["POST"], "times": 2}
    )
    created = await ma.workspaces.create(name="ws-busy")
    assert [ws.id for ws in await names(ma, "ws-busy")] == [created.id]


async def test_create_whose_answer_was_lost_is_reconciled_not_repeated(modelarts_local, connect):
    """The server creates the workspace after the client gave up waiting: the client finds it
    by name instead of creating a second one."""
    async with connect(timeouts=Timeouts(connect=2, read=5, write=5, create=0.2)) as ma:
        await ma.project_id()
        modelarts_local.add_fault(
            {
                "route": WORKSPACES,
                "kind": "latency",
                "delay_seconds": 0.4,
                "methods": ["POST"],
                "times": 1,
            }
        )
        created = await ma.workspaces.create(name="ws-slow", description="slow")
        found = await names(ma, "ws-slow")
    assert [ws.id for ws in found] == [created.id]
    assert created.description == "slow"


async def test_create_dropped_before_processing_is_sent_again(modelarts_local, ma):
    await ma.project_id()
    modelarts_local.add_fault(
        {"route": WORKSPACES, "kind": "drop", "methods": ["POST"], "times": 1}
    )
    created = await ma.workspaces.create(name="ws-dropped")
    assert [ws.id for ws in await names(ma, "ws-dropped")] == [created.id]


async def test_timeout_without_retries_is_a_timeout_error(modelarts_local, connect):
    async with connect(
        timeouts=Timeouts(connect=2, read=0.2), retry=RetryPolicy(max_attempts=1)
    ) as ma:
        await ma.project_id()
        modelarts_local.add_fault({"route": WORKSPACES, "kind": "timeout", "delay_seconds": 2})
        with pytest.raises(TimeoutError) as caught:
            await ma.workspaces.list()
    assert isinstance(caught.value, NetworkError)
    assert "timed out" in str(caught.value)


async def test_delete_retried_after_lost_answer_counts_as_done(modelarts_local, ma):
    workspace = await ma.workspaces.create(name="ws-delete-me")
    modelarts_local.add_fault(
        {"route": f"/workspaces/{workspace.id}$", "kind": "status", "status": 504, "times": 1}
    )
    await ma.workspaces.delete(workspace.id)
    with pytest.raises(NotFoundError):
        await ma.workspaces.get(workspace.id)


async def test_connection_refused_is_a_network_error(connect, modelarts_local):
    async with connect(project_id=modelarts_local.config.project_id) as ma:
        ma._client.endpoint = "http://127.0.0.1:9"  # nothing listens on the discard port
        with pytest.raises(NetworkError) as caught:
            await ma.workspaces.list()
    assert "ConnectError" in str(caught.value)


async def test_conflict_is_reported_with_its_family(ma):
    await ma.workspaces.create(name="ws-twice")
    with pytest.raises(ConflictError) as caught:
        await ma.workspaces.create(name="ws-twice")
    assert caught.value.error_code


async def test_an_id_is_one_path_segment_and_cannot_reach_another_resource(modelarts_local, ma):
    with pytest.raises(ValidationError) as caught:
        await ma.workspaces.get("..")
    assert caught.value.field == "id"
    # Control characters, spaces, "%" and non-ASCII in an id are encoded into its segment: the
    # service answers "no such workspace" instead of the request failing or going elsewhere.
    for odd_id in ("\x1a\u00f4", "a b%2F.."):
        with pytest.raises(NotFoundError):
            await ma.workspaces.get(odd_id)
