"""Notebook instances through the client: the old DevEnviron API and the new Notebooks API."""

from __future__ import annotations

import pytest

from jupyterlab_modelarts.cloud.errors import ConflictError, NotFoundError, ValidationError

IMAGE_ID = "e1a07296-22a8-4f05-8bc8-e936c8e54090"


@pytest.fixture
def bucket(modelarts_local):
    modelarts_local.obs.create_bucket("work")
    return "work"


def devenv_body(name="nb-old", **changes):
    body = {
        "name": name,
        "profile_id": "Python3",
        "flavor": "modelarts.vm.cpu.2u",
        "spec": {"storage": {"type": "obs", "location": {"path": "/work/notes/"}}},
    }
    return body | changes


async def test_devenv_lifecycle(ma, bucket):
    created = await ma.devenv.create(devenv_body(description="first"))
    assert created.status == "CREATING" and created.creation_timestamp
    running = await ma.devenv.wait(created.id, timeout=30, interval=0.05)
    assert running.status == "RUNNING"

    updated = await ma.devenv.update(
        created.id, description="second", spec={"auto_stop": {"enable": True, "duration": 7200}}
    )
    assert updated.description == "second"
    assert [i.id async for i in ma.devenv.iterate(page_size=1)] == [created.id]

    with pytest.raises(ConflictError) as caught:
        await ma.devenv.delete(created.id)
    assert caught.value.error_code == "ModelArts.6304"  # stop it first (error_message shape)
    assert "Stop the instance" in caught.value.localized("en")

    result = await ma.devenv.stop(created.id)
    assert result.previous_state == "RUNNING"
    await ma.devenv.wait(created.id, frozenset({"STOPPED"}), timeout=30, interval=0.05)
    assert (await ma.devenv.delete(created.id)).instance_id == created.id
    with pytest.raises(NotFoundError) as missing:
        await ma.devenv.get(created.id)
    assert missing.value.error_code == "ModelArts.6309"


async def test_devenv_rules_are_checked_before_sending(ma, bucket):
    # the field, and the code and values the front end words the error from
    cases = [
        (devenv_body(name="bad name"), "name",
         ("PATTERN_MISMATCH", {"pattern": "[A-Za-z0-9_-]{1,64}"})),
        (devenv_body(spec={"storage": {"type": "obs", "location": {"path": "/work"}}}),
         "spec.storage.location.path", ("OBS_FOLDER", {"reason": "trailing_slash"})),
        (devenv_body(spec={"storage": {"type": "obs", "location": {"path": "/work/"}}}),
         "spec.storage.location.path", ("OBS_FOLDER", {"reason": "bucket_root"})),
        (devenv_body(spec={"storage": {"type": "obs"}}), "spec.storage.location.path",
         ("REQUIRED_WITH", {"other": "type", "value": "obs"})),
        (devenv_body(spec={"storage": {"type": "obs",
                                       "location": {"path": "/b/work/", "volume_size": 5}}}),
         "spec.storage.location.volume_size", ("ONLY_WITH", {"other": "type", "value": "evs"})),
        (devenv_body(spec={"storage": {"type": "evs"}, "auto_stop": {"enable": True}}),
         "spec.auto_stop.duration", ("REQUIRED_WITH", {"other": "enable", "value": True})),
        (devenv_body(spec={"storage": {"type": "evs"},
                           "auto_stop": {"enable": True, "duration": 60}}),
         "spec.auto_stop.duration", ("OUT_OF_RANGE", {"ge": 3600})),
        (devenv_body(description="a<b"), "description",
         ("FORBIDDEN_CHARACTERS", {"characters": "<"})),
    ]  # fmt: skip
    for body, field, wording in cases:
        with pytest.raises(ValidationError) as caught:
            await ma.devenv.create(body)
        assert (caught.value.field, caught.value.wording) == (field, wording), body
    with pytest.raises(ValidationError):
        await ma.devenv.action("x", "explode")
    assert (await ma.devenv.list()).instances == []


def notebook_body(name="nb-new", **changes):
    body = {
        "name": name,
        "flavor": "modelarts.vm.cpu.2u",
        "image_id": IMAGE_ID,
        "volume": {"category": "efs", "ownership": "managed", "capacity": 50},
        "description": "api-test",
    }
    return body | changes


async def test_notebook_lifecycle(ma):
    created = await ma.notebooks.create(notebook_body())
    assert created.status in ("CREATING", "INIT")
    assert [step.step for step in created.action_progress] == [1, 2, 3, 4]
    running = await ma.notebooks.wait(created.id, timeout=30, interval=0.05)
    assert running.status == "RUNNING" and running.url
    assert "token=" not in repr(running)
    assert not running.token or running.token not in repr(running)

    renewed = await ma.notebooks.renew_lease(created.id, 2 * 3600 * 1000)
    assert renewed.duration
    assert (await ma.notebooks.lease(created.id)).enable is not None
    updated = await ma.notebooks.update(created.id, description="renamed")
    assert updated.description == "renamed"

    await ma.notebooks.stop(created.id)
    await ma.notebooks.wait(created.id, frozenset({"STOPPED"}), timeout=30, interval=0.05)
    await ma.notebooks.start(created.id)
    await ma.notebooks.wait(created.id, frozenset({"RUNNING"}), timeout=30, interval=0.05)
    flavors = await ma.notebooks.flavors()
    assert "modelarts.vm.cpu.2u" in {f.id for f in flavors.flavors}

    await ma.notebooks.delete(created.id)
    with pytest.raises(NotFoundError):
        await ma.notebooks.wait(created.id, frozenset({"DELETED"}), timeout=30, interval=0.05)


async def test_notebooks_page_through_every_instance(ma):
    ids = {(await ma.notebooks.create(notebook_body(f"nb{i}"))).id for i in range(12)}
    seen = [nb.id async for nb in ma.notebooks.iterate(page_size=10)]
    assert sorted(seen) == sorted(ids)
    with pytest.raises(ValidationError) as caught:
        await ma.notebooks.list(limit=7)
    assert caught.value.field == "limit"


async def test_notebook_rules_are_checked_before_sending(ma):
    # the field, and the code and values the front end words the error from
    cases = [
        (notebook_body(image_id="not-a-uuid"), "image_id", ("NOT_A_UUID", {})),
        (notebook_body(volume={"category": "EVS", "ownership": "DEDICATED"}), "volume.ownership",
         ("ONLY_WITH", {"given": "DEDICATED", "other": "category", "value": "EFS"})),
        (notebook_body(volume={"category": "EFS", "ownership": "DEDICATED"}), "volume.uri",
         ("REQUIRED_WITH", {"other": "ownership", "value": "DEDICATED"})),
        (notebook_body(volume={"category": "EFS", "ownership": "MANAGED", "capacity": 5000}),
         "volume.capacity", ("OUT_OF_RANGE", {"le": 4096})),
        (notebook_body(endpoints=[{"allowed_access_ips": ["1.1.1.1"] * 6}]),
         "endpoints[0].allowed_access_ips", ("TOO_MANY", {"max_length": 5})),
        (notebook_body(description="a/b"), "description",
         ("FORBIDDEN_CHARACTERS", {"characters": "/"})),
        # Values of the wrong type, as a form or a hand-written body may send them.
        (notebook_body(volume={"category": "EVS", "ownership": "MANAGED", "capacity": "lots"}),
         "volume.capacity", ("NOT_A_WHOLE_NUMBER", {})),
        (notebook_body(endpoints=[{"allowed_access_ips": "1.1.1.1"}]),
         "endpoints[0].allowed_access_ips", ("NOT_A_LIST", {})),
        (notebook_body(name=7), "name", ("NOT_TEXT", {})),
    ]  # fmt: skip
    for body, field, wording in cases:
        with pytest.raises(ValidationError) as caught:
            await ma.notebooks.create(body)
        assert (caught.value.field, caught.value.wording) == (field, wording), body
    assert (await ma.notebooks.list()).data == []
