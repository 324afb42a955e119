"""Signing in to a cloud account, switching profiles and workspaces, signing out."""

import json
import re
import urllib.request

from conftest import LabProcess, LabServer
from lab_page import open_sidebar
from playwright.sync_api import Page, expect

from jupyterlab_modelarts.emulator.background import BackgroundEmulator
from jupyterlab_modelarts.emulator.pytest_plugin import LocalModelArts


def fill_sign_in(page: Page, cloud: BackgroundEmulator, secret_key: str) -> None:
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Profile name").fill("prod")
    dialog.get_by_label("Access key ID").fill(cloud.config.access_key)
    dialog.get_by_label("Secret access key").fill(secret_key)
    if not dialog.get_by_label("ModelArts endpoint").is_visible():
        dialog.get_by_text("Endpoints (optional)").click()
    dialog.get_by_label("ModelArts endpoint").fill(cloud.base_url)
    dialog.get_by_label("IAM endpoint").fill(cloud.base_url)
    dialog.get_by_role("button", name="Check and save").click()


def create_cloud_workspace(cloud: BackgroundEmulator, name: str) -> str:
    local = LocalModelArts(cloud)
    body = json.dumps({"name": name}).encode()
    request = urllib.request.Request(
        f"{local.project_url}/workspaces",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Auth-Token": local.token()},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["id"]


def test_sign_in_switch_pick_workspace_restart_and_sign_out(
    page: Page, own_lab: LabProcess, cloud: BackgroundEmulator
):
    header = open_sidebar(page, own_lab.start(), workspace="accounts")

    header.get_by_title("Sign in to a cloud account").click()
    fill_sign_in(page, cloud, secret_key="not-the-secret")
    # The cloud refuses the key: the dialog comes back with the message on the secret field.
    secret_field = page.locator('.jp-Dialog [data-field="credentials.secret_key"]')
    expect(secret_field.get_by_role("alert")).to_contain_text("signature", timeout=30_000)

    page.locator(".jp-Dialog").get_by_label("Secret access key").fill(cloud.config.secret_key)
    page.locator(".jp-Dialog").get_by_role("button", name="Check and save").click()
    expect(page.locator(".jp-Dialog")).to_have_count(0, timeout=30_000)
    expect(page.get_by_text("Profile prod is signed in.")).to_be_visible()
    expect(header.get_by_label("Profile", exact=True)).to_have_value("prod")
    expect(header.locator(".jp-ModelArts-connection")).to_have_text("Connected")
    expect(header.locator(".jp-ModelArts-account")).to_contain_text(
        "****" + cloud.config.access_key[-4:]
    )
    assert cloud.config.secret_key not in page.content()

    workspace_id = create_cloud_workspace(cloud, "team_a")
    header.get_by_title("Refresh connection status").click()
    header.get_by_label("Workspace", exact=True).select_option(label="team_a")
    expect(header.get_by_label("Workspace", exact=True)).to_have_value(workspace_id)

    header.get_by_label("Profile", exact=True).select_option("local")
    expect(header.locator(".jp-ModelArts-account")).to_contain_text("Local ModelArts")

    own_lab.stop()
    # The same JupyterLab workspace: its layout is restored with the sidebar open.
    header = open_sidebar(page, own_lab.start(), workspace="accounts")
    profile_select = header.get_by_label("Profile", exact=True)
    expect(profile_select).to_have_value("local")
    profile_select.select_option("prod")
    expect(header.locator(".jp-ModelArts-connection")).to_have_text("Connected")
    expect(header.get_by_label("Workspace", exact=True)).to_have_value(workspace_id)

    header.get_by_title("Sign out of profile prod").click()
    page.locator(".jp-Dialog").get_by_role("button", name="Sign out").click()
    expect(profile_select).to_have_value("local")
    expect(profile_select.locator("option")).to_have_count(1)
    page.screenshot(path=str(own_lab.log.parent / "accounts-signed-out.png"))


def test_a_bad_profile_name_is_refused_before_anything_is_sent(page: Page, lab_server: LabServer):
    header = open_sidebar(page, lab_server)
    header.get_by_title("Sign in to a cloud account").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_label("Profile name").fill("bad name!")
    name_field = dialog.locator('[data-field="name"]')
    expect(name_field.get_by_role("alert")).to_have_text(re.compile("starting with a letter"))
    dialog.get_by_role("button", name="Check and save").click()
    # The dialog comes back with every missing field marked.
    expect(
        dialog.locator('[data-field="credentials.secret_key"]').get_by_role("alert")
    ).to_have_text("Required")
    dialog.get_by_role("button", name="Cancel").click()
    expect(header.get_by_label("Profile", exact=True).locator("option")).to_have_count(1)
