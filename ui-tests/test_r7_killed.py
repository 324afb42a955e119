"""R7 through the extension: the Jupyter server, and with it the embedded Local ModelArts, is
SIGKILLed while a job trains and a service runs. After a restart on the same folders, the
sidebar shows both as failed with the reason; no process of theirs outlives the server."""

import json
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ARTIFACTS, LabProcess, LabServer
from emulator_leftovers import leftovers
from lab_page import open_sidebar
from playwright.sync_api import Page, expect

sys.path.insert(0, str(Path(__file__).parent.parent / "tests" / "server"))
from deploy_support import deploy_body, write_iris_package

DEADLINE_SECONDS = 90
SLEEPER = "import time\nprint('training', flush=True)\ntime.sleep(600)\n"


def rest(server: LabServer, method: str, path: str, body: object = None) -> dict:
    request = urllib.request.Request(
        f"{server.url}modelarts/api/v1/{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


def wait_for(check, what: str):
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not (found := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
    return found


def test_after_a_kill_the_sidebar_shows_the_job_and_the_service_failed(
    page: Page, own_lab: LabProcess, report
):
    (own_lab.root_dir / "sleeper").mkdir()
    (own_lab.root_dir / "sleeper" / "sleeper.py").write_text(SLEEPER, encoding="utf-8")
    write_iris_package(own_lab.root_dir / "iris")
    server = own_lab.start()
    launch = {"path": "sleeper/sleeper.py", "job_name": "sleeper", "spec_id": 2, "engine_id": 31}
    rest(server, "POST", "training/jobs", launch)
    rest(server, "POST", "deployments", deploy_body("iris", "iris"))

    def running(route: str, name_key: str, name: str, status_key: str) -> bool:
        items = rest(server, "GET", route)[route.split("/")[-1]]
        return any(i[name_key] == name and i[status_key] == "running" for i in items)

    wait_for(lambda: running("training/jobs", "job_name", "sleeper", "status_name"), "training")
    wait_for(lambda: running("services", "service_name", "iris-svc", "status"), "the service")
    children = len(leftovers(own_lab.home))
    assert children >= 2, "the trainer and the model server run before the kill"
    own_lab.kill()
    # Their lifeline ends them once the server is gone, before any restart.
    wait_for(lambda: not leftovers(own_lab.home), "the server's children to end with it")

    server = own_lab.start()
    open_sidebar(page, server)
    sidebar = page.locator("#jp-modelarts-sidebar")
    training = sidebar.locator("[data-section='training']")
    if not training.is_visible():
        sidebar.locator(".jp-AccordionPanel-title", has_text="Training").click()
    job = training.locator(".jp-ModelArts-trainJob[data-job='sleeper']")
    expect(job.locator(".jp-ModelArts-status").first).to_have_text(
        "failed", timeout=DEADLINE_SECONDS * 1000
    )
    job.locator(".jp-ModelArts-trainToggle").click()
    expect(job.locator(".jp-ModelArts-trainVersion").first).to_contain_text(
        "Local ModelArts stopped while this job was running"
    )

    title = sidebar.locator(".jp-AccordionPanel-title", has_text="Services")
    if title.get_attribute("aria-expanded") != "true":
        title.click()
    row = sidebar.locator("[data-section='services'] .jp-ModelArts-row[data-name='iris-svc']")
    expect(row.locator(".jp-ModelArts-chip")).to_have_text("failed")
    row.locator(".jp-ModelArts-rowName").click()
    expect(row).to_contain_text("Local ModelArts stopped while this service was running")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "after-kill.png"))

    report(
        f"R7 in the browser: server SIGKILLed with {children} child processes running, which"
        " ended with it; after restart the sidebar shows the job and the service failed with the"
        " reason, 0 leftovers"
    )
