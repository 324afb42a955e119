"""Deploy from the file browser against Local ModelArts: right-click a scikit-learn model
package, choose Local ModelArts' dedicated resource pool (SV-11), accept the dialog, follow the
progress, test the running service from the sidebar."""

import json
import sys
import urllib.request
import uuid
from pathlib import Path

from conftest import ARTIFACTS, LabServer
from lab_page import open_lab
from playwright.sync_api import Page, expect

sys.path.insert(0, str(Path(__file__).parent.parent / "tests" / "server"))
from deploy_support import SETOSA, write_iris_package

from jupyterlab_modelarts.emulator.catalog import CLUSTERS

DEPLOY_DEADLINE_MS = 90_000
#: Local ModelArts' one dedicated resource pool (its GET clusters, 004 §7.11).
LOCAL_CLUSTER_ID = CLUSTERS[0]["cluster_id"]
# A test request goes through the Jupyter server, Local ModelArts and the service's own process;
# on a busy 2-core machine the answer took longer than an expectation's default 5 s.
FIRST_PREDICTION_DEADLINE_MS = 60_000


def test_right_click_deploy_then_test_the_running_service(page: Page, lab_server: LabServer):
    name = f"iris-{uuid.uuid4().hex[:6]}"
    write_iris_package(lab_server.root_dir / name)
    open_lab(page, lab_server)
    tab = page.locator('.jp-SideBar [data-id="filebrowser"]')
    if tab.get_attribute("aria-selected") != "true":
        tab.click()
    listing = page.locator(".jp-DirListing-content")
    page.locator(".jp-FileBrowser [data-command='filebrowser:refresh']").click()
    item = listing.locator(".jp-DirListing-item", has_text=name)
    item.click(button="right")
    page.locator(".lm-Menu-itemLabel", has_text="Deploy to ModelArts").click()

    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator("input[name='model_name']")).to_have_value(name)
    expect(dialog.locator("input[name='model_version']")).to_have_value("1.0.0")
    expect(dialog.locator("select[name='model_type']")).to_have_value("Scikit_Learn")
    expect(dialog.locator("input[name='service_name']")).to_have_value(f"{name}-service")
    pool = dialog.get_by_label("Resource pool")
    expect(pool).to_have_value("")
    pool.select_option(label="local-cluster (running)")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)

    sidebar = page.locator("#jp-modelarts-sidebar")
    deployment = sidebar.locator(".jp-ModelArts-deployment", has_text=f"{name}-service")
    expect(deployment).to_be_visible()
    for step in ("upload", "import", "publish", "deploy", "running"):
        expect(deployment.locator(f"[data-step='{step}']")).to_have_attribute(
            "data-state", "succeeded", timeout=DEPLOY_DEADLINE_MS
        )
    expect(
        page.get_by_role("alert").filter(has_text=f"Service {name}-service is running")
    ).to_be_visible()

    title = sidebar.locator(".jp-AccordionPanel-title", has_text="Services")
    if title.get_attribute("aria-expanded") != "true":
        title.click()
    services = sidebar.locator("[data-section='services']")
    row = services.locator(f".jp-ModelArts-row[data-name='{name}-service']")
    expect(row.locator(".jp-ModelArts-chip")).to_have_text("running")
    row.locator(".jp-ModelArts-rowName").click()
    expect(row.locator(".jp-ModelArts-address")).to_contain_text("/v1/infers/")
    row.locator("textarea[name='test_body']").fill(json.dumps(SETOSA))
    row.get_by_role("button", name="Send", exact=True).click()
    result = row.locator(".jp-ModelArts-testResult").first
    expect(result.locator(".jp-ModelArts-chip")).to_have_text(
        "200", timeout=FIRST_PREDICTION_DEADLINE_MS
    )
    expect(result.locator(".jp-ModelArts-testAnswer")).to_contain_text('"predictresult": "setosa"')

    # The service runs in the pool chosen (004 §10.2.1 cluster_id).
    with urllib.request.urlopen(lab_server.lab_url("modelarts/api/v1/services"), timeout=10) as r:
        listed = json.loads(r.read())["services"]
    service_id = next(s["service_id"] for s in listed if s["service_name"] == f"{name}-service")
    with urllib.request.urlopen(
        lab_server.lab_url(f"modelarts/api/v1/services/{service_id}"), timeout=10
    ) as r:
        assert json.loads(r.read())["cluster_id"] == LOCAL_CLUSTER_ID

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "deploy.png"))
