"""Notebook instances from the sidebar, against the Local ModelArts embedded in JupyterLab."""

import json
import re
import urllib.request

from conftest import LabProcess
from lab_page import menu_item_title, open_sidebar, row_action
from playwright.sync_api import Locator, Page, expect

#: Instances start real local Jupyter servers: give them time.
SETTLE_MS = 60_000


#: The embedded Local ModelArts' credentials are random unless configured; the tests' admin key.
ADMIN_KEY = "ui-tests-admin-key"


def configure(lab: LabProcess) -> None:
    """Local ModelArts runs its status machines twenty times faster than documented, accepts the
    tests' admin key, and the server polls twice a second while an instance changes state."""
    config_dir = lab.home / ".jupyter"
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "ModelArtsExtension": {
                    "local_speed": 20.0,
                    "poll_interval_active": 0.5,
                    "local_admin_key": ADMIN_KEY,
                }
            }
        )
    )


def notebooks_section(page: Page) -> Locator:
    section = page.locator("#jp-modelarts-sidebar .jp-ModelArts-instances")
    expect(section).to_be_visible()
    return section


def form_field(page: Page, field: str) -> Locator:
    return page.locator(f'.jp-Dialog [data-field="{field}"]')


def fill_new_notebook(page: Page, name: str, description: str = "") -> None:
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Description", exact=True).fill(description)


def row(section: Locator, name: str) -> Locator:
    return section.locator(f'.jp-ModelArts-instance[data-name="{name}"]')


def click_action(item: Locator, label: str) -> None:
    row_action(item, label, SETTLE_MS).click()


def add_fault(endpoint: str, fault: dict) -> None:
    request = urllib.request.Request(
        f"{endpoint}/_admin/faults",
        data=json.dumps(fault).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Admin-Key": ADMIN_KEY},
    )
    with urllib.request.urlopen(request, timeout=10):
        pass


def test_create_open_change_and_delete_notebook_instances(page: Page, own_lab: LabProcess):
    configure(own_lab)
    server = own_lab.start()
    open_sidebar(page, server, workspace="notebooks")
    section = notebooks_section(page)

    # Bad input: the fields say what is wrong as the user types, and nothing is created.
    section.get_by_role("button", name="New notebook").click()
    fill_new_notebook(page, "bad name!", "a <b> tag")
    expect(form_field(page, "name").get_by_role("alert")).to_contain_text("letters, digits")
    expect(form_field(page, "description").get_by_role("alert")).to_contain_text("<")
    page.locator(".jp-Dialog").get_by_role("button", name="Create").click()
    expect(form_field(page, "name").get_by_role("alert")).to_be_visible()
    page.locator(".jp-Dialog").get_by_role("button", name="Cancel").click()
    expect(section.locator(".jp-ModelArts-instance")).to_have_count(0)

    # The old API (the dialog opens on the new one): CREATING, then RUNNING without a reload.
    section.get_by_role("button", name="New notebook").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.get_by_label("API")).to_have_value("notebooks")
    dialog.get_by_label("API").select_option("devenv")
    fill_new_notebook(page, "old-api-nb", "first notebook")
    expect(dialog.get_by_label("Flavor")).to_contain_text("vCPU")
    dialog.get_by_label("Storage").select_option("evs")
    dialog.get_by_label("Stop after (hours, 1 to 24)").fill("2")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_have_count(0)
    old = row(section, "old-api-nb")
    expect(old).to_have_attribute("data-status", "CREATING")
    expect(old).to_have_attribute("data-status", "RUNNING", timeout=SETTLE_MS)
    expect(page.get_by_text("Notebook old-api-nb is running.")).to_be_visible()
    # Local ModelArts runs twenty times faster: 2 hours of auto stop end in 6 minutes.
    expect(old.locator(".jp-ModelArts-countdown")).to_contain_text(re.compile(r"stops in 0:0[56]:"))

    # Open: a new browser tab with the instance's own Jupyter, which answers.
    with page.context.expect_page() as opened:
        click_action(old, "Open")
    instance_page = opened.value
    instance_page.wait_for_load_state()
    with urllib.request.urlopen(instance_page.url, timeout=10) as response:
        assert response.status == 200
    instance_page.close()

    # Auto stop: 5 hours from the old API's 1-24 h range.
    click_action(old, "Auto stop")
    page.locator(".jp-Dialog").get_by_label("Stop after (hours, 1 to 24)").fill("5")
    page.locator(".jp-Dialog").get_by_role("button", name="Save").click()
    expect(page.locator(".jp-Dialog")).to_have_count(0)

    click_action(old, "Stop")
    expect(old).to_have_attribute("data-status", "STOPPED", timeout=SETTLE_MS)
    expect(old.locator('button[data-action="Stop"]')).to_be_disabled()
    click_action(old, "Start")
    expect(old).to_have_attribute("data-status", "RUNNING", timeout=SETTLE_MS)
    # The old API applies a new duration from the next start: 5 hours, 15 minutes here.
    expect(old.locator(".jp-ModelArts-countdown")).to_contain_text(re.compile(r"stops in 0:1[45]:"))
    click_action(old, "Restart")
    expect(old).to_have_attribute("data-status", "RESTARTING")
    expect(old).to_have_attribute("data-status", "RUNNING", timeout=SETTLE_MS)
    assert menu_item_title(old, "Delete") == "a running instance must be stopped first"
    click_action(old, "Stop")
    expect(old).to_have_attribute("data-status", "STOPPED", timeout=SETTLE_MS)
    click_action(old, "Delete")
    page.locator(".jp-Dialog").get_by_role("button", name="Delete").click()
    expect(old).to_have_count(0, timeout=SETTLE_MS)

    # The new API, from the same form.
    section.get_by_role("button", name="New notebook").click()
    page.locator(".jp-Dialog").get_by_label("API").select_option("notebooks")
    fill_new_notebook(page, "new-api-nb")
    expect(page.locator(".jp-Dialog").get_by_label("Image")).to_contain_text("pytorch")
    page.locator(".jp-Dialog").get_by_role("button", name="Create").click()
    new = row(section, "new-api-nb")
    expect(new).to_have_attribute("data-status", "CREATING")
    expect(new).to_have_attribute("data-status", "RUNNING", timeout=SETTLE_MS)
    new.locator('button[data-action="more"]').click()
    expect(page.locator(".jp-ModelArts-rowMenu")).not_to_contain_text("Restart")
    page.keyboard.press("Escape")
    click_action(new, "Stop")
    expect(new).to_have_attribute("data-status", "STOPPED", timeout=SETTLE_MS)

    # An upstream error keeps its code and message.
    status = json.loads(
        urllib.request.urlopen(server.lab_url("modelarts/api/v1/status"), timeout=10).read()
    )
    add_fault(
        status["endpoint"],
        {
            "route": "/demanager/instances$",
            "kind": "status",
            "methods": ["POST"],
            "status": 400,
            "code": "ModelArts.6399",
            "message": "Quota of instances used up.",
            "times": 1,
        },
    )
    section.get_by_role("button", name="New notebook").click()
    # The fault is on the old API's route; the dialog opens on the new one.
    page.locator(".jp-Dialog").get_by_label("API").select_option("devenv")
    fill_new_notebook(page, "quota-nb")
    page.locator(".jp-Dialog").get_by_label("Storage").select_option("evs")
    page.locator(".jp-Dialog").get_by_role("button", name="Create").click()
    expect(page.locator(".jp-Dialog .jp-ModelArts-formError")).to_contain_text(
        "Quota of instances used up. (ModelArts.6399", timeout=SETTLE_MS
    )
    page.locator(".jp-Dialog").get_by_role("button", name="Cancel").click()
    expect(row(section, "quota-nb")).to_have_count(0)
