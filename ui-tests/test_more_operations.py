"""The operations whose UI came last (issue 20), clicked through by their visible labels against
Local ModelArts: workspaces (WS-1, WS-3 ... WS-7), training job configurations (TC-3, TC-4),
built-in algorithms (TJ-12), visualization job details and description (VJ-3, VJ-4)."""

import json
import time
import urllib.request
import uuid

from conftest import LabServer
from lab_page import open_sidebar
from playwright.sync_api import Locator, Page, expect

DEADLINE_SECONDS = 120


def rest(server: LabServer, method: str, path: str, body: object | None = None) -> dict:
    """The extension's REST API, as the front end calls it."""
    request = urllib.request.Request(
        f"{server.url}modelarts/api/v1/{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read()
    return json.loads(text) if text else {}


def training_tools(page: Page, server: LabServer) -> Locator:
    """The sidebar with its Training section open."""
    open_sidebar(page, server)
    sidebar = page.locator("#jp-modelarts-sidebar")
    title = sidebar.locator(".jp-AccordionPanel-title", has_text="Training")
    if title.get_attribute("aria-expanded") != "true":
        title.click()
    return sidebar.locator("[data-section='training']")


def open_workspaces(page: Page, server: LabServer) -> Locator:
    header = open_sidebar(page, server)
    header.get_by_role("button", name="Manage workspaces").click()
    panel = page.locator(".jp-ModelArts-workspaces")
    expect(panel).to_be_visible()
    return panel


def test_manage_workspaces_create_show_modify_quotas_delete(page: Page, lab_server: LabServer):
    panel = open_workspaces(page, lab_server)
    new = panel.locator("section", has_text="New workspace")
    # 004 §8.1: a name of 4 to 64 characters; refused on the field before anything is sent.
    new.get_by_label("Name").fill("ab")
    new.get_by_role("button", name="Create workspace").click()
    expect(new.get_by_role("alert")).to_contain_text("4 to 64")

    name = f"ws_{uuid.uuid4().hex[:8]}"
    new.get_by_label("Name").fill(name)
    new.get_by_label("Description").fill("first")
    new.get_by_role("button", name="Create workspace").click()
    row = panel.locator(".jp-ModelArts-workspaceList li", has_text=name)
    expect(row.locator(".jp-ModelArts-workspaceDescription")).to_have_text("first")
    # The account header's picker offers the new workspace.
    picker = page.locator("#jp-modelarts-sidebar").get_by_label("Workspace", exact=True)
    expect(picker.locator("option", has_text=name)).to_have_count(1)

    modify = row.locator(".jp-ModelArts-workspaceForm")
    modify.get_by_label("Description").fill("changed by the browser test")
    modify.get_by_role("button", name="Save changes").click()
    expect(row.locator(".jp-ModelArts-workspaceDescription")).to_have_text(
        "changed by the browser test"
    )

    quotas = row.locator(".jp-ModelArts-workspaceQuotas")
    first_quota = quotas.locator("input").first
    expect(first_quota).to_be_visible()
    first_quota.fill("0")
    quotas.get_by_role("button", name="Save quotas").click()
    expect(quotas.get_by_role("alert")).to_contain_text("-1 (unlimited)")
    first_quota.fill("120")
    quotas.get_by_role("button", name="Save quotas").click()
    expect(quotas.get_by_role("status")).to_have_text("Quotas saved.")

    # After a reload, the description and the quota are what the server stored.
    panel = open_workspaces(page, lab_server)
    row = panel.locator(".jp-ModelArts-workspaceList li", has_text=name)
    row.get_by_role("button", name=name).click()
    expect(row.locator(".jp-ModelArts-workspaceDescription")).to_have_text(
        "changed by the browser test"
    )
    expect(row.locator(".jp-ModelArts-workspaceQuotas input").first).to_have_value("120")

    row.get_by_role("button", name="Delete workspace").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text(f"Delete workspace {name}?")
    dialog.get_by_role("button", name="Delete").click()
    # 004 §8.3: a deleted workspace is DELETING until the cloud has removed it.
    expect(
        panel.locator(".jp-ModelArts-workspaceList li", has_text=name).locator(
            ".jp-ModelArts-workspaceStatus"
        )
    ).to_have_text("DELETING")


def test_built_in_algorithms_show_their_description_and_parameters(
    page: Page, lab_server: LabServer
):
    training = training_tools(page, lab_server)
    training.get_by_role("button", name="Built-in algorithms").click()
    panel = page.locator(".jp-ModelArts-algorithms")
    panel.get_by_label("Search algorithms").fill("ResNet")
    panel.get_by_role("button", name="Search").click()
    algorithm = panel.get_by_role("button", name="ResNet_v2_50")
    algorithm.click()
    details = panel.locator(".jp-ModelArts-algorithmDetails")
    # 004 §5.1.12's sample: ResNet_v2_50 classifies images, with batch_size among its parameters.
    expect(details).to_contain_text("Image classification")
    expect(details.locator("tr", has_text="batch_size")).to_be_visible()
    panel.get_by_label("Search algorithms").fill("no-such-algorithm")
    panel.get_by_role("button", name="Search").click()
    expect(panel).to_contain_text("No built-in algorithm matches.")


def launch_with_config(server: LabServer, config_name: str) -> dict:
    """A training job launched through the REST API, its settings saved as a configuration
    (TC-1); the launch's train_url."""
    folder = server.root_dir / f"cfg_{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    (folder / "train.py").write_text("print('trained')\n", encoding="utf-8")
    (folder / "data").mkdir()
    (folder / "data" / "rows.csv").write_text("a\n1\n", encoding="utf-8")
    prefill = rest(server, "GET", f"training/prefill?path={folder.name}/train.py")
    spec = rest(server, "GET", "catalog/specs")["specs"][0]
    engine = prefill.get("engine") or rest(server, "GET", "catalog/engines")["engines"][0]
    rest(
        server,
        "POST",
        "training/jobs",
        {
            "path": prefill["path"],
            "job_name": config_name,
            "spec_id": spec["spec_id"],
            "engine_id": engine["engine_id"],
            "worker_server_num": 1,
            "parameters": [{"label": "epochs", "value": "2"}],
            "save_config": config_name,
        },
    )
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        names = [c["config_name"] for c in rest(server, "GET", "training/configs")["configs"]]
        if config_name in names:
            return rest(server, "GET", f"training/configs/{config_name}")
        time.sleep(0.5)
    raise AssertionError(f"configuration {config_name} was not saved")


def test_edit_and_delete_a_training_configuration(page: Page, lab_server: LabServer):
    name = f"c{uuid.uuid4().hex[:8]}"
    launch_with_config(lab_server, name)
    training = training_tools(page, lab_server)
    training.get_by_role("button", name="Training configurations").click()
    panel = page.locator(".jp-ModelArts-configs")
    row = panel.locator("li", has_text=name)
    row.get_by_role("button", name="Edit").click()
    form = row.locator(".jp-ModelArts-configForm")
    form.get_by_label("Workers").fill("0")
    form.get_by_role("button", name="Save configuration").click()
    expect(form.get_by_role("alert")).to_contain_text("at least 1")
    form.get_by_label("Workers").fill("1")
    form.get_by_label("Description").fill("edited in the browser")
    form.get_by_label("Run parameters (label=value, one a line)").fill("epochs=5")
    form.get_by_role("button", name="Save configuration").click()
    expect(row.locator(".jp-ModelArts-configDesc")).to_have_text("edited in the browser")
    stored = rest(lab_server, "GET", f"training/configs/{name}")
    assert stored["parameters"] == [{"label": "epochs", "value": "5"}]

    row.get_by_role("button", name="Delete").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text(f"Delete training job configuration {name}?")
    dialog.get_by_role("button", name="Delete").click()
    expect(panel.locator("li", has_text=name)).to_have_count(0)
    names = [c["config_name"] for c in rest(lab_server, "GET", "training/configs")["configs"]]
    assert name not in names


def test_visualization_job_details_and_description(page: Page, lab_server: LabServer):
    name = f"v{uuid.uuid4().hex[:8]}"
    config = launch_with_config(lab_server, name)
    created = rest(
        lab_server,
        "POST",
        "training/visualization-jobs",
        {"job_name": name, "train_url": config["train_url"]},
    )
    training = training_tools(page, lab_server)
    row = training.locator(".jp-ModelArts-trainVisualizations li", has_text=name)
    row.get_by_role("button", name="Details").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text(config["train_url"])
    dialog.get_by_label("Description").fill("x" * 257)
    dialog.get_by_role("button", name="Save description").click()
    expect(dialog.get_by_role("alert")).to_contain_text("256")
    dialog.get_by_label("Description").fill("loss curves of the first run")
    dialog.get_by_role("button", name="Save description").click()
    expect(dialog.get_by_role("status")).to_have_text("Description saved.")
    dialog.get_by_role("button", name="Close").click()

    # After a reload the details show the stored description.
    training = training_tools(page, lab_server)
    row = training.locator(".jp-ModelArts-trainVisualizations li", has_text=name)
    row.get_by_role("button", name="Details").click()
    expect(page.locator(".jp-Dialog").get_by_label("Description")).to_have_value(
        "loss curves of the first run"
    )
    assert (
        rest(lab_server, "GET", f"training/visualization-jobs/{created['job_id']}")["job_desc"]
        == "loss curves of the first run"
    )
