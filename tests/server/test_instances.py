"""Notebook instances over REST: DevEnviron (old API), Notebooks (new API) and PAI DSW, against a
Local ModelArts standing in for both clouds."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

from jupyterlab_modelarts.emulator.config import EmulatorConfig

BUCKET = "notebook-bucket"
IMAGE_ID = "e1a07296-22a8-4f05-8bc8-e936c8e54090"


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    # 3,600 documented seconds pass in one: status machines settle within a test.
    return EmulatorConfig(
        data_dir=tmp_path / "modelarts-local",
        speed=3600.0,
        modules={"instances": {"runtime": "simulated", "tick_seconds": 0.02}},
    )


@pytest.fixture
def cloud(modelarts_local):
    modelarts_local.obs.create_bucket(BUCKET)
    return modelarts_local


@pytest.fixture
def modelarts_config(cloud, tmp_path):
    return {"profiles_dir": str(tmp_path / "profiles"), "poll_interval_idle": 60.0}


async def use_profile(api, cloud, name: str = "prod", backend: str = "modelarts") -> None:
    if backend == "pai":
        profile = {
            "name": name,
            "backend": "pai",
            "endpoints": {"pai": cloud.base_url},
            "credentials": {
                "kind": "pai_access_key",
                "access_key_id": cloud.config.pai_access_key,
                "access_key_secret": cloud.config.pai_secret,
            },
        }
    else:
        # Huawei Cloud Stack: a cloud that still serves the old DevEnviron API next to Notebooks.
        profile = {
            "name": name,
            "cloud": "hcs",
            "region": cloud.config.region,
            "endpoints": {
                "modelarts": cloud.base_url,
                "iam": cloud.base_url,
                "obs": cloud.base_url,
            },
            "credentials": {
                "kind": "access_key",
                "access_key": cloud.config.access_key,
                "secret_key": cloud.config.secret_key,
            },
        }
    code, body = await api("POST", "profiles", body=profile)
    assert code in (200, 201), body
    code, body = await api("POST", "profiles", name, "activate")
    assert code == 200, body


def devenv_request(**changes):
    return {
        "name": "old-api-nb",
        "description": "first try",
        "profile_id": "Multi-Engine 2.0 (python3)",
        "flavor": "modelarts.vm.cpu.2u",
        "spec": {
            "storage": {"type": "obs", "location": {"path": f"/{BUCKET}/work/"}},
            "auto_stop": {"enable": True, "duration": 7200},
        },
        **changes,
    }


def notebook_request(**changes):
    return {
        "name": "new-api-nb",
        "description": "",
        "flavor": "modelarts.vm.cpu.2u",
        "image_id": IMAGE_ID,
        "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 5},
        "duration": 3_600_000,
        **changes,
    }


async def wait_for_status(api, key: str, statuses: set[str], timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        code, item = await api("GET", "instances", *key.split("/"))
        assert code == 200, item
        if item["status"] in statuses:
            return item
        assert time.monotonic() < deadline, f"{key} stayed {item['status']}"
        await asyncio.sleep(0.05)


async def until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return
        assert time.monotonic() < deadline, "the condition did not hold before the deadline"
        await asyncio.sleep(0.02)


async def listed(api) -> dict[str, dict]:
    code, body = await api("GET", "instances")
    assert code == 200, body
    return {item["key"]: item for item in body["items"]}


async def test_a_devenv_instance_goes_through_its_whole_life(api, cloud):
    await use_profile(api, cloud)
    code, created = await api(
        "POST", "instances", body={"api": "devenv", "request": devenv_request()}
    )
    assert code == 201, created
    key = created["key"]
    assert created["api"] == "devenv" and created["status"] == "CREATING"
    assert created["phase"] == "transitional"
    assert created["actions"]["stop"]  # a reason: not allowed while creating
    assert (await listed(api))[key]["name"] == "old-api-nb"

    running = await wait_for_status(api, key, {"RUNNING"})
    assert running["url"], "a running instance has a URL to open"
    page = await AsyncHTTPClient().fetch(running["url"])
    assert page.code == 200
    assert running["auto_stop"]["enabled"] and running["auto_stop"]["duration_ms"] == 7_200_000
    assert running["auto_stop"]["stop_at"] > time.time() * 1000
    assert running["raw"]["spec"]["storage"]["location"]["path"] == f"/{BUCKET}/work/"
    assert running["actions"]["stop"] is None and running["actions"]["restart"] is None
    assert running["actions"]["delete"]["code"] == "STOP_FIRST"
    assert running["actions"]["queue"]["code"] == "FREE_FLAVOR_ONLY"  # not a free flavor

    code, changed = await api(
        "PATCH",
        "instances",
        "devenv",
        running["id"],
        body={"description": "tuned", "spec": {"auto_stop": {"enable": True, "duration": 3600}}},
    )
    assert code == 200, changed
    assert changed["description"] == "tuned" and changed["auto_stop"]["duration_ms"] == 3_600_000

    code, restarted = await api("POST", "instances", "devenv", running["id"], "restart")
    assert code == 200 and restarted["status"] in ("RESTARTING", "RUNNING")
    await wait_for_status(api, key, {"RUNNING"})

    code, stopping = await api("POST", "instances", "devenv", running["id"], "stop")
    assert code == 200, stopping
    stopped = await wait_for_status(api, key, {"STOPPED"})
    assert stopped["url"] is None and stopped["actions"]["start"] is None

    code, _ = await api("POST", "instances", "devenv", running["id"], "start")
    assert code == 200
    await wait_for_status(api, key, {"RUNNING"})
    await api("POST", "instances", "devenv", running["id"], "stop")
    await wait_for_status(api, key, {"STOPPED"})

    code, _ = await api("DELETE", "instances", "devenv", running["id"])
    assert code == 204
    code, gone = await api("GET", "instances", "devenv", running["id"])
    assert code == 404, gone
    assert key not in await listed(api)


async def test_a_notebook_of_the_new_api_runs_renews_its_lease_stops_and_goes(api, cloud):
    await use_profile(api, cloud)
    code, created = await api(
        "POST", "instances", body={"api": "notebooks", "request": notebook_request()}
    )
    assert code == 201, created
    assert created["api"] == "notebooks"
    running = await wait_for_status(api, created["key"], {"RUNNING"})
    assert running["url"] and "token=" in running["url"]
    assert running["auto_stop"]["duration_ms"] == 3_600_000
    assert "restart" not in running["actions"]  # the new API has no restart

    code, renewed = await api(
        "PATCH",
        "instances",
        "notebooks",
        running["id"],
        body={"description": "longer", "lease": {"duration": 7_200_000}},
    )
    assert code == 200, renewed
    assert renewed["description"] == "longer"
    assert renewed["auto_stop"]["stop_at"] > running["auto_stop"]["stop_at"]

    code, body = await api("POST", "instances", "notebooks", running["id"], "restart")
    assert code == 400 and body["error"]["field"] == "action"

    await api("POST", "instances", "notebooks", running["id"], "stop")
    await wait_for_status(api, created["key"], {"STOPPED"})
    code, _ = await api("DELETE", "instances", "notebooks", running["id"])
    assert code == 204


async def test_pai_dsw_instances_are_created_started_stopped_and_deleted(api, cloud):
    await use_profile(api, cloud, "dsw", backend="pai")
    code, options = await api("GET", "instances", "pai", "options")
    assert code == 200, options
    specs = {flavor["id"]: flavor for flavor in options["flavors"]}
    assert specs["ecs.gn6i-c4g1.xlarge"]["gpu"] == 1 and specs["ecs.c6.large"]["cpu"] == 2

    code, body = await api("GET", "instances")
    assert body["apis"] == ["pai"]
    code, created = await api(
        "POST",
        "instances",
        body={"api": "pai", "request": {"InstanceName": "dsw_one", "EcsSpec": "ecs.c6.large"}},
    )
    assert code == 201, created
    running = await wait_for_status(api, created["key"], {"Running"})
    assert running["url"] and running["raw"]["EcsSpec"] == "ecs.c6.large"

    await api("POST", "instances", "pai", running["id"], "stop")
    stopped = await wait_for_status(api, created["key"], {"Stopped"})
    assert stopped["actions"]["start"] is None
    await api("POST", "instances", "pai", running["id"], "start")
    await wait_for_status(api, created["key"], {"Running"})
    code, _ = await api("DELETE", "instances", "pai", running["id"])
    assert code == 204

    code, body = await api(
        "POST", "instances", body={"api": "pai", "request": {"InstanceName": "has-dash"}}
    )
    assert code == 400 and body["error"]["field"] == "InstanceName"
    code, body = await api("POST", "instances", body={"api": "devenv", "request": devenv_request()})
    assert code == 400 and body["error"]["field"] == "api"


@pytest.mark.parametrize(
    ("api_name", "request_body", "field"),
    [
        ("devenv", devenv_request(name="bad name!"), "name"),
        ("devenv", devenv_request(description="a <b> tag"), "description"),
        (
            "devenv",
            devenv_request(spec={"storage": {"type": "obs", "location": {"path": "/b/no-slash"}}}),
            "spec.storage.location.path",
        ),
        (
            "devenv",
            devenv_request(
                spec={
                    "storage": {"type": "evs", "location": {"volume_size": 5}},
                    "auto_stop": {"enable": True, "duration": 600},
                }
            ),
            "spec.auto_stop.duration",
        ),
        ("notebooks", notebook_request(name="x" * 65), "name"),
        ("notebooks", notebook_request(description="it's"), "description"),
    ],
)
async def test_bad_input_gets_a_field_error_and_creates_nothing(
    api, cloud, api_name, request_body, field
):
    await use_profile(api, cloud)
    code, body = await api("POST", "instances", body={"api": api_name, "request": request_body})
    assert code == 400, body
    assert body["error"]["field"] == field
    assert await listed(api) == {}


async def test_a_field_error_found_before_sending_carries_its_code_and_limits(api, cloud):
    await use_profile(api, cloud)
    request = {"api": "notebooks", "request": notebook_request(name="x" * 65)}
    code, body = await api("POST", "instances", body=request)
    assert code == 400, body
    error = body["error"]
    assert (error["code"], error["field"], error["params"]) == (
        "PATTERN_MISMATCH",
        "name",
        {"pattern": "[A-Za-z0-9_-]{1,64}"},
    ), error
    assert error["message"].startswith("must be 1-64 letters, digits")  # the magics
    storage = {"type": "evs", "location": {"volume_size": 5}}
    request = {
        "api": "devenv",
        "request": devenv_request(spec={"storage": storage, "auto_stop": {"enable": True}}),
    }
    code, body = await api("POST", "instances", body=request)
    assert code == 400, body
    error = body["error"]  # a rule between fields: which one it depends on, and on what value
    assert (error["code"], error["field"], error["params"]) == (
        "REQUIRED_WITH",
        "spec.auto_stop.duration",
        {"other": "enable", "value": True},
    ), error
    assert error["message"] == "is required when auto stop is enabled"  # the magics
    code, body = await api("POST", "instances", body={"api": "nope", "request": {}})
    assert (body["error"]["code"], body["error"]["params"]["api"]) == ("UNKNOWN_API", "nope")
    assert await listed(api) == {}


async def test_a_taken_name_is_reported_on_the_name_field(api, cloud):
    await use_profile(api, cloud)
    request = {"api": "devenv", "request": devenv_request()}
    assert (await api("POST", "instances", body=request))[0] == 201
    code, body = await api("POST", "instances", body=request)
    assert code in (400, 409), body
    assert body["error"]["field"] == "name"
    assert body["error"]["upstream"]["error_code"] == "ModelArts.6301"
    assert len(await listed(api)) == 1


async def test_an_upstream_error_keeps_its_code_and_message(api, cloud):
    await use_profile(api, cloud)
    cloud.add_fault(
        {
            "route": "/demanager/instances$",
            "kind": "status",
            "methods": ["POST"],
            "status": 400,
            "code": "ModelArts.6399",
            "message": "Quota of instances used up.",
        }
    )
    code, body = await api("POST", "instances", body={"api": "devenv", "request": devenv_request()})
    assert code == 400, body
    assert body["error"]["upstream"]["error_code"] == "ModelArts.6399"
    assert "Quota of instances used up." in body["error"]["message"]


async def test_options_offer_images_flavors_and_the_auto_stop_range_of_each_api(api, cloud):
    await use_profile(api, cloud)
    code, old = await api("GET", "instances", "devenv", "options")
    assert code == 200, old
    assert "Multi-Engine 2.0 (python3)" in [image["id"] for image in old["images"]]
    assert old["auto_stop"] == {"unit": "s", "min": 3600, "max": 86400}
    flavors = {flavor["id"]: flavor for flavor in old["flavors"]}
    assert flavors["modelarts.vm.cpu.8u"]["cpu"] == 8
    assert flavors["modelarts.vm.cpu.8u"]["memory_gib"] == 32
    assert flavors["modelarts.vm.cpu.free"]["free"] is True
    assert flavors["modelarts.bm.gpu.v100NV32"]["gpu"] == 1

    code, new = await api("GET", "instances", "notebooks", "options")
    assert IMAGE_ID in [image["id"] for image in new["images"]]
    assert new["auto_stop"]["unit"] == "ms" and new["storage"] == ["EVS", "EFS"]


async def test_a_devenv_instance_with_only_a_name_gets_an_obs_folder_of_the_product(api, cloud):
    await use_profile(api, cloud)
    code, options = await api("GET", "instances", "devenv", "options")
    proposed = options["obs_folder"]
    assert proposed.startswith("obs://jupyterlab-modelarts-") and proposed.endswith(
        "/notebooks/"
    ), proposed
    request = devenv_request(name="only-a-name")
    request["spec"]["storage"] = {"type": "obs", "location": {}}
    code, created = await api("POST", "instances", body={"api": "devenv", "request": request})
    assert code == 201, created
    running = await wait_for_status(api, created["key"], {"RUNNING"})
    folder = running["raw"]["spec"]["storage"]["location"]["path"]
    assert folder == f"{proposed}only-a-name/"
    bucket = proposed.removeprefix("obs://").split("/")[0]
    assert cloud.obs.bucket_exists(bucket)


async def test_watcher_changes_reach_the_event_stream(
    api, cloud, jp_serverapp, jp_http_port, jp_base_url, jp_auth_header
):
    await use_profile(api, cloud)
    url = f"http://localhost:{jp_http_port}{jp_base_url}modelarts/api/v1/events"
    seen: list[dict] = []
    buffer = ""
    running = asyncio.Event()
    connected = asyncio.Event()

    def on_chunk(chunk: bytes) -> None:
        nonlocal buffer
        connected.set()  # the server subscribes the tab before its first bytes
        buffer += chunk.decode()
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            for line in block.splitlines():
                if line.startswith("data: "):
                    data = json.loads(line[6:])
                    seen.append(data)
                    if (data.get("item") or {}).get("status") == "RUNNING":
                        running.set()

    stream = asyncio.ensure_future(
        AsyncHTTPClient().fetch(
            HTTPRequest(
                url, headers=jp_auth_header, streaming_callback=on_chunk, request_timeout=60
            )
        )
    )
    try:
        # Create only once the tab listens: a change published before would not reach it.
        await asyncio.wait_for(connected.wait(), 30)
        # No auto stop: at this speed its two hours pass in two seconds, and a poll may then
        # never see the instance running.
        storage = devenv_request()["spec"]["storage"]
        request = devenv_request(spec={"storage": storage, "auto_stop": {"enable": False}})
        await api("POST", "instances", body={"api": "devenv", "request": request})
        await asyncio.wait_for(running.wait(), 30)
    finally:
        stream.cancel()
    ours = [event for event in seen if event.get("kind") == "instances" and "change" in event]
    assert ours and ours[-1]["change"] == "upsert" and ours[-1]["item"]["name"] == "old-api-nb"


def extension(jp_serverapp):
    return jp_serverapp.extension_manager.extension_points["jupyterlab_modelarts"].app


class EventStreams:
    """``count`` tabs listening to the event stream; closing drops their connections."""

    def __init__(self, count: int, url: str, headers: dict) -> None:
        self._client = AsyncHTTPClient(force_instance=True, max_clients=count)
        self._streams = [
            asyncio.ensure_future(
                self._client.fetch(
                    HTTPRequest(url, headers=headers, streaming_callback=self._ignore)
                )
            )
            for _ in range(count)
        ]

    @staticmethod
    def _ignore(_: bytes) -> None:
        pass

    def close(self) -> None:
        self._client.close()
        for stream in self._streams:
            stream.cancel()


async def test_ten_event_stream_clients_cost_no_more_upstream_list_calls_than_one(
    api, cloud, jp_serverapp, jp_http_port, jp_base_url, jp_auth_header
):
    # A zero-delay latency fault on the list route counts the list calls Local ModelArts gets.
    counter = cloud.add_fault(
        {"route": "/demanager/instances$", "kind": "latency", "methods": ["GET"],
         "delay_seconds": 0, "times": 100_000}
    )  # fmt: skip
    bus = extension(jp_serverapp).events
    url = f"http://localhost:{jp_http_port}{jp_base_url}modelarts/api/v1/events"

    async def upstream_calls_for(tabs: int, profile: str) -> int:
        await use_profile(api, cloud, profile)
        before = counter.times
        # A tab that left is noticed at the next keepalive: count only the new ones.
        listening = bus.subscriber_count
        streams = EventStreams(tabs, url, jp_auth_header)
        try:
            await until(lambda: bus.subscriber_count >= listening + tabs)
            answers = await asyncio.gather(*(api("GET", "instances") for _ in range(tabs)))
            assert all(code == 200 for code, _ in answers)
        finally:
            streams.close()
        calls = before - counter.times
        # Signing out stops the profile's watcher, which would otherwise poll in the next phase.
        assert (await api("DELETE", "profiles", profile))[0] in (200, 204)
        return calls

    one = await upstream_calls_for(1, "one-tab")
    ten = await upstream_calls_for(10, "ten-tabs")
    assert one >= 1
    assert ten <= one


async def test_a_pai_profile_is_checked_by_a_real_call(api, cloud):
    profile = {
        "name": "dsw",
        "backend": "pai",
        "endpoints": {"pai": cloud.base_url},
        "credentials": {
            "kind": "pai_access_key",
            "access_key_id": cloud.config.pai_access_key,
            "access_key_secret": "wrong-secret",
        },
    }
    code, body = await api("POST", "profiles", body=profile)
    assert code == 401, body
    assert body["error"]["field"] == "credentials.access_key_secret"
    await use_profile(api, cloud, "dsw", backend="pai")
    code, status = await api("GET", "status")
    assert code == 200
    assert status["connection"]["state"] == "ok", status


@pytest.mark.parametrize(
    "modelarts_local_config",
    # Slow enough that a free instance is still queuing when the user leaves the queue.
    [EmulatorConfig(speed=1.0, modules={"instances": {"runtime": "simulated"}})],
)
async def test_a_free_sold_out_flavor_queues_and_the_user_can_leave_the_queue(api, cloud):
    await use_profile(api, cloud)
    request = devenv_request(flavor="modelarts.vm.gpu.free", profile_id="Python3-gpu")
    code, created = await api("POST", "instances", body={"api": "devenv", "request": request})
    assert code == 201, created
    queued = await wait_for_status(api, created["key"], {"CREATE_QUEUING"})
    assert queued["queue"]["rank"] == 1 and queued["queue"]["ends_at"] > time.time() * 1000
    assert queued["actions"]["dequeue"] is None and queued["actions"]["start"]

    code, left = await api("POST", "instances", "devenv", created["id"], "dequeue")
    assert code == 200, left
    stopped = await wait_for_status(api, created["key"], {"STOPPED"})
    assert stopped["actions"]["queue"] is None
    code, requeued = await api("POST", "instances", "devenv", created["id"], "queue")
    assert code == 200 and requeued["status"] == "START_QUEUING"
