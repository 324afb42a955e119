"""A new user's flows with the defaults, at JupyterLab's default sidebar width in a 1280x768
window: one file trained twice under names typed in the dialog never writes into the first
job's folders; a folder holding only model.joblib deploys, and the Test box starts from what
the model expects. Screenshots of each step go to ui-tests/artifacts."""

import json
import urllib.parse
import urllib.request
import uuid

import joblib
from conftest import ARTIFACTS, LabServer
from lab_page import execute, row_action
from playwright.sync_api import Page, expect
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier
from test_training import open_in_file_browser, show_sidebar, write_project

DEADLINE_MS = 90_000
SMALL_WINDOW = {"width": 1280, "height": 768}


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"newcomer-{name}.png"))


def rest(server: LabServer, route: str, **query: str) -> dict:
    url = server.lab_url(f"modelarts/api/v1/{route}")
    if query:
        url += "&" + urllib.parse.urlencode(query)
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.loads(answer.read())


def launch_renamed(page: Page, job_name: str, obs_folder_shown: str) -> None:
    """Open the Train dialog on the open file, type a job name, check the output folder
    follows it, and launch."""
    page.locator(".jp-Document:visible .jp-ModelArts-trainButton").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input[name='job_name']").fill(job_name)
    output = dialog.locator("input[name='train_url']")
    expect(output).to_have_value("")
    expect(output).to_have_attribute("placeholder", f"{obs_folder_shown}{job_name}/V0001/output/")
    shot(page, f"train-dialog-{job_name}")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)


def test_one_file_trained_twice_under_typed_names_keeps_both_outputs(
    page: Page, lab_server: LabServer
):
    page.set_viewport_size(SMALL_WINDOW)
    folder = f"newcomer-{uuid.uuid4().hex[:6]}"
    write_project(lab_server.root_dir / folder, "train_iris.py")
    sidebar = show_sidebar(page, lab_server)
    open_in_file_browser(page, folder, "train_iris.py").dblclick()
    page.locator(".jp-FileEditor").first.wait_for()
    base = rest(lab_server, "training/prefill", path=f"{folder}/train_iris.py")["obs_folder"]

    suffix = folder.rsplit("-", 1)[1]
    names = [f"iris_a_{suffix}", f"iris_b_{suffix}"]
    for name in names:
        launch_renamed(page, name, base)
        training = sidebar.locator("[data-section='training']")
        job = training.locator(f".jp-ModelArts-trainJob[data-job='{name}']")
        expect(job.locator(".jp-ModelArts-status").first).to_have_text(
            "completed", timeout=DEADLINE_MS
        )
    shot(page, "two-jobs-completed")

    jobs = {job["job_name"]: job for job in rest(lab_server, "training/jobs")["jobs"]}
    outputs = []
    for name in names:
        job = jobs[name]
        version = rest(lab_server, f"training/jobs/{job['job_id']}/versions/{job['version_id']}")
        assert version["train_url"] == f"{base}{name}/V0001/output/"
        listed = rest(
            lab_server, f"training/jobs/{job['job_id']}/versions/{job['version_id']}/output"
        )
        outputs.append({f["path"] for f in listed["files"]})
    assert "model/iris.m" in outputs[0] and outputs[0] == outputs[1]


def test_a_folder_holding_only_model_joblib_deploys_and_answers_the_prefilled_test(
    page: Page, lab_server: LabServer
):
    page.set_viewport_size(SMALL_WINDOW)
    name = f"iris_model_{uuid.uuid4().hex[:6]}"
    (lab_server.root_dir / name).mkdir()
    features, target = load_iris(return_X_y=True)
    names = load_iris().target_names
    model = DecisionTreeClassifier(random_state=0).fit(features, [names[t] for t in target])
    joblib.dump(model, lab_server.root_dir / name / "model.joblib")

    sidebar = show_sidebar(page, lab_server)
    page.locator('.jp-SideBar [data-id="filebrowser"]').click()
    page.locator(".jp-FileBrowser [data-command='filebrowser:refresh']").click()
    page.locator(".jp-DirListing-item", has_text=name).click(button="right")
    page.locator(".lm-Menu-itemLabel", has_text="Deploy to ModelArts").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("customize_service.py")
    shot(page, "deploy-dialog")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)

    # The deploy shows the sidebar itself; the command (unlike the tab) never hides it.
    execute(page, "modelarts:open-sidebar")
    title = sidebar.locator(".jp-AccordionPanel-title", has_text="Services")
    if title.get_attribute("aria-expanded") != "true":
        title.click()
    services = sidebar.locator("[data-section='services']")
    service = services.locator(f".jp-ModelArts-row[data-name='{name}-service']")
    expect(service.locator(".jp-ModelArts-chip")).to_have_text("running", timeout=DEADLINE_MS)
    expect(row_action(service, "Stop")).to_be_visible()
    service.locator(".jp-ModelArts-rowName").click()
    box = service.locator("textarea[name='test_body']")
    expect(box).to_have_value('{"data":{"req_data":[{"x1":0,"x2":0,"x3":0,"x4":0}]}}')
    shot(page, "test-prefilled")
    # Only the values change: a setosa flower.
    box.fill('{"data":{"req_data":[{"x1":5.1,"x2":3.5,"x3":1.4,"x4":0.2}]}}')
    service.get_by_role("button", name="Send", exact=True).click()
    result = service.locator(".jp-ModelArts-testResult").first
    expect(result.locator(".jp-ModelArts-chip")).to_have_text("200", timeout=60_000)
    expect(result.locator(".jp-ModelArts-testAnswer")).to_contain_text('"predictresult": "setosa"')
    shot(page, "deploy-tested")
