"""Train the open file against a Local ModelArts that plays Huawei Cloud (v2 training only; v1
answers as the cloud's gateway does) or T Cloud Public (v1 only): on v2 the dialog says what v2
does not offer and the log viewer shows the job's events and resource use as it runs; on both
the log is followed to its end, the description is edited and the job's output is imported and
deployed."""

import json
import uuid
from collections.abc import Iterator

import pytest
from conftest import ARTIFACTS, LabProcess, LabServer
from playwright.sync_api import Page, expect
from test_training import (
    DEADLINE_MS,
    open_in_file_browser,
    open_training_section,
    show_sidebar,
    write_project,
)

DEPLOY_DEADLINE_MS = 120_000
SLOW_START = """\
import time
for second in range(20):
    print(f"warming up {second}", flush=True)
    time.sleep(1)
"""


@pytest.fixture(params=["huaweicloud", "tcloudpublic"])
def cloud_lab(own_lab: LabProcess, request: pytest.FixtureRequest) -> Iterator[LabServer]:
    """A JupyterLab whose embedded Local ModelArts plays the cloud of the parameter."""
    config = own_lab.home / ".jupyter"
    config.mkdir(parents=True, exist_ok=True)
    (config / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "ModelArtsExtension": {
                    "local_modules": {
                        "training": {"plays": request.param},
                        "instances": {"runtime": "simulated"},
                    }
                }
            }
        )
    )
    yield own_lab.start()


def test_train_follow_the_log_then_import_and_deploy_on_each_cloud(
    page: Page, cloud_lab: LabServer, request: pytest.FixtureRequest
):
    server = cloud_lab
    v2 = request.node.callspec.params["cloud_lab"] == "huaweicloud"
    name = f"job_{uuid.uuid4().hex[:6]}"
    folder = f"project-{name}"
    write_project(server.root_dir / folder, f"{name}.py")
    script = server.root_dir / folder / f"{name}.py"
    # Running for long enough that the log viewer is seen following it on a busy machine.
    script.write_text(SLOW_START + script.read_text(encoding="utf-8"), encoding="utf-8")

    sidebar = show_sidebar(page, server)
    open_in_file_browser(page, folder, f"{name}.py").dblclick()
    page.locator(".jp-FileEditor").first.wait_for()
    page.locator(".jp-Document:visible .jp-ModelArts-trainButton").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator("input[name='job_name']")).to_have_value(name)
    note = dialog.get_by_text("trains through the v2 training API")
    expect(note).to_have_count(1 if v2 else 0)
    expect(dialog.locator("input[name='save_config']")).to_have_count(0 if v2 else 1)
    expect(dialog.locator("select[name='spec_id'] option").first).to_contain_text(
        "modelarts.vm.cpu.2u (" if v2 else "vCPUs"
    )
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)

    training = open_training_section(sidebar)
    job = training.locator(f".jp-ModelArts-trainJob[data-job='{name}']")
    expect(job.locator(".jp-ModelArts-status").first).to_have_text("running", timeout=DEADLINE_MS)
    job.locator(".jp-ModelArts-trainToggle").click()
    version = job.locator(".jp-ModelArts-trainVersion").first
    expect(version.get_by_text("a job has one version")).to_have_count(1 if v2 else 0)
    expect(version.get_by_role("button", name="New version")).to_have_count(0 if v2 else 1)
    version.get_by_role("button", name="Log", exact=True).click()

    log = page.locator(".jp-ModelArts-logViewer")
    expect(log.locator(".jp-ModelArts-logText")).to_contain_text(
        "warming up 1", timeout=DEADLINE_MS
    )
    expect(log.locator(".jp-ModelArts-logState")).to_contain_text("Following")
    # v2 only: the job's events and its worker's resource use, live above the log.
    activity = page.locator(".jp-ModelArts-activity")
    events = activity.locator(".jp-ModelArts-activityEvents > li")
    memory = activity.locator("[data-metric='memUsage']")
    if v2:
        expect(events.first).to_contain_text("Job created")
        expect(events.filter(has_text="Job running")).to_have_count(1, timeout=DEADLINE_MS)
        expect(memory).to_contain_text("Memory usage", timeout=DEADLINE_MS)
        expect(log.locator(".jp-ModelArts-logState")).to_contain_text("Following")
    expect(log.locator(".jp-ModelArts-logState")).to_contain_text(
        "Ended (completed)", timeout=DEADLINE_MS
    )
    expect(log.locator(".jp-ModelArts-logText")).to_contain_text("training accuracy")
    if v2:
        expect(events.last).to_contain_text("Job completed", timeout=DEADLINE_MS)
        expect(activity.locator("[data-metric='cpuUsage']")).to_contain_text("CPU usage")
        expect(activity).to_contain_text("Metrics of worker-0")
    else:
        expect(activity).to_have_count(0)

    job.get_by_role("button", name="Edit description").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill(f"trained on {'v2' if v2 else 'v1'}")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(job.locator(".jp-ModelArts-trainDesc")).to_have_text(
        f"trained on {'v2' if v2 else 'v1'}", timeout=DEADLINE_MS
    )

    notice = page.locator(".Toastify__toast", has_text=f"Training job {name}: completed")
    expect(notice).to_be_visible(timeout=DEADLINE_MS)
    notice.get_by_role("button", name="Import as model").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator("input[name='model_name']")).to_have_value(name)
    dialog.locator("input[name='deploy_service']").check()
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)

    deployment = sidebar.locator(".jp-ModelArts-deployment", has_text=f"{name}-service")
    expect(deployment).to_be_visible(timeout=DEADLINE_MS)
    for step in ("import", "publish", "deploy", "running"):
        expect(deployment.locator(f"[data-step='{step}']")).to_have_attribute(
            "data-state", "succeeded", timeout=DEPLOY_DEADLINE_MS
        )

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"training-{'v2' if v2 else 'v1'}.png"))
