"""A job on two workers from the Train dialog: each worker's state in its version row, and the
log viewer following worker 1's log, then every worker's."""

import re
import uuid

from conftest import LabServer
from playwright.sync_api import Page, expect
from test_training import DEADLINE_MS, open_in_file_browser, show_sidebar

#: Each worker says who it is for a few seconds: long enough to pick a worker while it runs.
SCRIPT = """\
import os, time
me, count = os.environ["DLS_TASK_INDEX"], os.environ["DLS_TASK_NUMBER"]
for step in range(60):
    print(f"worker {me} of {count} at step {step}", flush=True)
    time.sleep(0.25)
"""


def test_a_two_worker_job_from_the_dialog_and_worker_1s_log(page: Page, lab_server: LabServer):
    name = f"pair_{uuid.uuid4().hex[:6]}"
    folder = lab_server.root_dir / f"project-{name}"
    folder.mkdir()
    (folder / f"{name}.py").write_text(SCRIPT, encoding="utf-8")

    sidebar = show_sidebar(page, lab_server)
    open_in_file_browser(page, folder.name, f"{name}.py").click(button="right")
    page.locator(".lm-Menu-itemLabel", has_text="Train on ModelArts").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator("input[name='job_name']")).to_have_value(name)
    workers = dialog.locator("input[name='worker_server_num']")
    expect(workers).to_have_attribute("max", "2")
    workers.fill("2")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)

    # The section may be collapsed, also by the layout JupyterLab restores after the page shows.
    title = sidebar.locator(".jp-AccordionPanel-title", has_text="Training")
    expect(title).to_have_attribute("aria-expanded", re.compile("true|false"))
    if title.get_attribute("aria-expanded") != "true":
        title.click()
    expect(title).to_have_attribute("aria-expanded", "true")
    training = sidebar.locator("[data-section='training']")
    job = training.locator(f".jp-ModelArts-trainJob[data-job='{name}']")
    expect(job.locator(".jp-ModelArts-status").first).to_have_text("running", timeout=DEADLINE_MS)
    job.locator(".jp-ModelArts-trainToggle").click()
    version = job.locator(".jp-ModelArts-trainVersion").first
    states = version.get_by_role("list", name="Worker states")
    for task in ("worker-0", "worker-1"):
        expect(states.locator(f"[data-task='{task}']")).to_contain_text("running")
    version.get_by_role("button", name="Log", exact=True).click()

    log = page.locator(".jp-ModelArts-logViewer")
    text = log.locator(".jp-ModelArts-logText")
    expect(text).to_contain_text("worker 0 of 2", timeout=DEADLINE_MS)
    log.get_by_role("combobox", name="Worker").select_option(label="Worker 1")
    expect(text).to_contain_text("worker 1 of 2 at step", timeout=DEADLINE_MS)
    expect(text).not_to_contain_text("worker 0 of 2")
    expect(log.locator(".jp-ModelArts-logState")).to_contain_text("Following")
    expect(text).to_contain_text("worker 1 of 2 at step 59", timeout=DEADLINE_MS)
    expect(log.locator(".jp-ModelArts-logState")).to_contain_text("Ended (completed)")

    log.get_by_role("combobox", name="Worker").select_option(label="All workers")
    expect(text).to_contain_text("[worker-0] worker 0 of 2 at step 59", timeout=DEADLINE_MS)
    expect(text).to_contain_text("[worker-1] worker 1 of 2 at step 59")
    for task in ("worker-0", "worker-1"):
        expect(states.locator(f"[data-task='{task}']")).to_contain_text(
            "succeeded", timeout=DEADLINE_MS
        )
