"""Train from the open file against Local ModelArts: the toolbar button of the editor, the
prefilled dialog, upload progress, live statuses, the log viewer following the log, the
notification when the job ends and the model files in the output."""

import json
import shutil
import urllib.request
import uuid
from pathlib import Path

from conftest import ARTIFACTS, LabServer
from lab_page import open_lab
from playwright.sync_api import Locator, Page, expect

IRIS = Path(__file__).parent.parent / "tests" / "emulator" / "data" / "iris_training"
DEADLINE_MS = 90_000
# Before it trains, the script works through a few slow epochs: long enough to read its log
# while it runs.
EPOCHS = """\
import os, time
for epoch in range(12):
    print(f"epoch {epoch}", flush=True)
    time.sleep(0.4)
# On a busy machine the epochs can be over before the test reads the log: the test releases
# the script once it has seen the log followed (never later than two minutes).
release, deadline = RELEASE, time.monotonic() + 120
while release and not os.path.exists(release) and time.monotonic() < deadline:
    time.sleep(0.1)
"""


def write_project(folder: Path, script: str, release: Path | None = None) -> None:
    """A training project; with ``release``, its script waits after its epochs until that file
    exists."""
    from sklearn.datasets import load_iris

    folder.mkdir(parents=True)
    shutil.copy(IRIS / "customize_service.py", folder / "customize_service.py")
    epochs = EPOCHS.replace("RELEASE", repr(str(release) if release else ""))
    (folder / script).write_text(epochs + (IRIS / "train.py").read_text(), encoding="utf-8")
    iris = load_iris()
    rows = ["sl,sw,pl,pw,species"] + [
        ",".join([*map(str, row), str(iris.target_names[target])])
        for row, target in zip(iris.data, iris.target, strict=True)
    ]
    (folder / "data").mkdir()
    (folder / "data" / "iris.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def show_sidebar(page: Page, server: LabServer) -> Locator:
    """The ModelArts sidebar, opened from its tab (the palette's shortcut is lost when the
    machine is busy), once its header shows the connection."""
    open_lab(page, server)
    page.locator('.jp-SideBar [data-id="jp-modelarts-sidebar"]').click()
    sidebar = page.locator("#jp-modelarts-sidebar")
    expect(sidebar.locator(".jp-ModelArts-header")).to_have_attribute(
        "data-state", "ok", timeout=30_000
    )
    return sidebar


def open_training_section(sidebar: Locator) -> Locator:
    """The sidebar's Training section, expanded by its title if it is collapsed."""
    title = sidebar.locator(".jp-AccordionPanel-title", has_text="Training")
    if title.get_attribute("aria-expanded") != "true":
        title.click()
    training = sidebar.locator("[data-section='training']")
    expect(training).to_be_visible()
    return training


def open_in_file_browser(page: Page, folder: str, file: str) -> Locator:
    """The file's item in the file browser, inside its folder."""
    page.locator('.jp-SideBar [data-id="filebrowser"]').click()
    page.locator(".jp-FileBrowser [data-command='filebrowser:refresh']").click()
    page.locator(".jp-DirListing-item", has_text=folder).dblclick()
    item = page.locator(".jp-DirListing-item", has_text=file)
    expect(item).to_be_visible()
    return item


def test_train_the_open_file_and_follow_it_to_the_model(page: Page, lab_server: LabServer):
    name = f"train_{uuid.uuid4().hex[:6]}"
    folder = f"project-{name}"
    release = lab_server.root_dir / f"{name}.release"
    write_project(lab_server.root_dir / folder, f"{name}.py", release)

    sidebar = show_sidebar(page, lab_server)
    open_in_file_browser(page, folder, f"{name}.py").dblclick()
    page.locator(".jp-FileEditor").first.wait_for()
    page.locator(".jp-Document:visible .jp-ModelArts-trainButton").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator("input[name='job_name']")).to_have_value(name)
    expect(dialog.locator("input[name='code_folder']")).to_have_value(folder)
    expect(dialog.locator("input[name='data_local_path']")).to_have_value(f"{folder}/data")
    expect(dialog.locator("input[name='parameter_max_depth']")).to_have_value("3")
    expect(dialog.locator("select[name='spec_id'] option").first).to_contain_text("vCPUs")
    dialog.locator("input[name='parameter_max_depth']").fill("4")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)

    training = open_training_section(sidebar)
    launch = training.locator(".jp-ModelArts-trainLaunch", has_text=f"Train {name}")
    for step in ("prepare", "upload_code", "upload_data", "create"):
        expect(launch.locator(f"[data-step='{step}']")).to_have_attribute(
            "data-state", "succeeded", timeout=DEADLINE_MS
        )
    expect(launch.locator("[data-step='upload_code']")).to_contain_text("2 uploaded")
    expect(launch.locator("[data-step='upload_data']")).to_contain_text("1 uploaded")
    job = training.locator(f".jp-ModelArts-trainJob[data-job='{name}']")
    expect(job.locator(".jp-ModelArts-status").first).to_have_text("running", timeout=DEADLINE_MS)
    job.locator(".jp-ModelArts-trainToggle").click()
    version = job.locator(".jp-ModelArts-trainVersion").first
    expect(version).to_contain_text("--max_depth=4")
    version.get_by_role("button", name="Log", exact=True).click()

    log = page.locator(".jp-ModelArts-logViewer")
    expect(log.locator(".jp-ModelArts-logText")).to_contain_text("epoch 1", timeout=DEADLINE_MS)
    expect(log.locator(".jp-ModelArts-logState")).to_contain_text("Following")
    release.touch()

    expect(job.locator(".jp-ModelArts-status").first).to_have_text("completed", timeout=DEADLINE_MS)
    notice = page.locator(".Toastify__toast", has_text=f"Training job {name}: completed")
    expect(notice).to_be_visible(timeout=DEADLINE_MS)
    expect(notice.get_by_role("button", name="Import as model")).to_be_visible()
    expect(log.locator(".jp-ModelArts-logText")).to_contain_text("training accuracy")
    expect(log.locator(".jp-ModelArts-logState")).to_contain_text("Ended (completed)")

    version.get_by_role("button", name="Output", exact=True).click()
    files = version.locator(".jp-ModelArts-trainOutput")
    expect(files).to_contain_text("model/iris.m")
    expect(files).to_contain_text("model/config.json")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "training.png"))


def test_a_failing_script_shows_failed_with_the_reason(page: Page, lab_server: LabServer):
    name = f"broken_{uuid.uuid4().hex[:6]}"
    folder = lab_server.root_dir / f"project-{name}"
    folder.mkdir()
    (folder / f"{name}.py").write_text('raise RuntimeError("no GPU found")\n', encoding="utf-8")

    show_sidebar(page, lab_server)
    open_in_file_browser(page, folder.name, f"{name}.py").click(button="right")
    page.locator(".lm-Menu-itemLabel", has_text="Train on ModelArts").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator("input[name='job_name']")).to_have_value(name)
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()

    notice = page.locator(".Toastify__toast", has_text=f"Training job {name}: failed")
    expect(notice).to_be_visible(timeout=DEADLINE_MS)
    notice.get_by_role("button", name="Show log").click()
    expect(page.locator(".jp-ModelArts-logText")).to_contain_text(
        "RuntimeError: no GPU found", timeout=DEADLINE_MS
    )


def test_a_notebook_has_the_button_and_trains_as_a_script(page: Page, lab_server: LabServer):
    name = f"nb_{uuid.uuid4().hex[:6]}"
    folder = lab_server.root_dir / f"project-{name}"
    folder.mkdir()
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": ["print('from the notebook')"],
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / f"{name}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")

    show_sidebar(page, lab_server)
    open_in_file_browser(page, folder.name, f"{name}.ipynb").dblclick()
    page.locator(".jp-NotebookPanel:visible .jp-ModelArts-trainButton").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator("input[name='boot_file']")).to_have_value(f"{name}.py")
    expect(dialog).to_contain_text("The notebook is converted to this script.")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()

    notice = page.locator(".Toastify__toast", has_text=f"Training job {name}: completed")
    expect(notice).to_be_visible(timeout=DEADLINE_MS)
    notice.get_by_role("button", name="Show log").click()
    log = page.locator(".jp-ModelArts-logViewer:visible")
    expect(log.locator(".jp-ModelArts-logText")).to_contain_text("from the notebook")
    log.locator("input[type='search']").fill("no such line")
    expect(log.locator(".jp-ModelArts-logText")).to_have_text("")
    shut_down_kernels_of(lab_server, f"{folder.name}/{name}.ipynb")


def shut_down_kernels_of(server: LabServer, path: str) -> None:
    """Stop the kernel the notebook started, so that later tests do not share the machine
    with it."""
    sessions = json.loads(
        urllib.request.urlopen(f"{server.url}api/sessions?token={server.token}").read()
    )
    for session in sessions:
        if session["path"] == path:
            request = urllib.request.Request(
                f"{server.url}api/sessions/{session['id']}?token={server.token}",
                method="DELETE",
            )
            urllib.request.urlopen(request).close()
