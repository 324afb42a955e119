"""Workspaces and quotas through the client against Local ModelArts."""

from __future__ import annotations

import pytest

from jupyterlab_modelarts.cloud.errors import NotFoundError, ValidationError
from jupyterlab_modelarts.cloud.waiters import wait_until


async def test_workspace_lifecycle_and_quotas(ma):
    created = await ma.workspaces.create(
        name="team-ws", description="ours", auth_type="internal", grants=[{"user_name": "bob"}]
    )
    assert created.status == "NORMAL" and created.auth_type.upper() == "INTERNAL"
    assert (await ma.workspaces.get(created.id)).name == "team-ws"
    assert (await ma.workspaces.find("team-ws")).id == created.id

    renamed = await ma.workspaces.update(created.id, name="team-ws-2", description="renamed")
    assert renamed.workspace_id == created.id
    assert (await ma.workspaces.get(created.id)).description == "renamed"

    quotas = await ma.workspaces.quotas(created.id)
    quota = quotas.quotas[0]
    changed = await ma.workspaces.update_quotas(
        created.id, quotas=[{"resource": quota.resource, "quota": -1}]
    )
    assert changed.quotas[0].quota == -1

    assert (await ma.workspaces.delete(created.id)).workspace_id == created.id
    with pytest.raises(NotFoundError):  # deletion is asynchronous: DELETING, then gone
        await wait_until(
            lambda: ma.workspaces.get(created.id), lambda ws: False, timeout=30, interval=0.05
        )


async def test_workspace_rules_are_checked_before_sending(ma):
    # the field, and the code and values the front end words the error from
    cases = [
        ({"name": "default"}, "name", ("RESERVED_NAME", {"name": "default"})),
        ({"name": "abc"}, "name", ("PATTERN_MISMATCH", {"pattern": "[A-Za-z0-9一-龥_-]{4,64}"})),
        ({"name": "good-name", "auth_type": "PUBLIC", "grants": [{"user_name": "x"}]}, "grants",
         ("ONLY_WITH", {"other": "auth_type", "value": "INTERNAL"})),
        ({"name": "good-name", "grants": [{}]}, "grants[0].user_id",
         ("REQUIRED_UNLESS", {"alternatives": ["user_name"]})),
        ({"name": "good-name", "description": "x" * 257}, "description",
         ("TOO_LONG", {"max_length": 256})),
    ]  # fmt: skip
    for body, field, wording in cases:
        with pytest.raises(ValidationError) as caught:
            await ma.workspaces.create(body)
        assert (caught.value.field, caught.value.wording) == (field, wording), body
    with pytest.raises(ValidationError) as caught:
        await ma.workspaces.update("0", name="new-default")
    assert caught.value.field == "name"
    with pytest.raises(ValidationError) as caught:
        await ma.workspaces.update_quotas("0", quotas=[{"resource": "r", "quota": 0}])
    assert (caught.value.field, caught.value.wording) == (
        "quotas[0].quota",
        ("UNLIMITED_OR_POSITIVE", {}),
    )
    assert [ws.id for ws in (await ma.workspaces.list()).workspaces] == ["0"]


async def test_offset_is_the_start_page_on_both_sides(ma, modelarts_local):
    """004 §8.2 offset: "Start page of the paging list. Default value: 0"; limit: "Maximum
    number of records returned on each page." Local ModelArts and the client both read offset
    as a page index, so paging through every workspace neither skips nor repeats one."""
    for index in range(5):
        await ma.workspaces.create(name=f"paged-ws-{index}")
    names = sorted(
        [ws.name for ws in (await ma.workspaces.list(sort_by="name", order="asc")).workspaces]
    )
    second_page = await ma.workspaces.list(offset=1, limit=2, sort_by="name", order="asc")
    assert [ws.name for ws in second_page.workspaces] == names[2:4]
    assert second_page.total_count == len(names)
    iterated = [ws.name async for ws in ma.workspaces.iterate(page_size=2)]
    assert sorted(iterated) == names
