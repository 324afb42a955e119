"""Signing in to named clouds: T Cloud Public eu-de and Huawei Cloud, each played by a Local
ModelArts through endpoint overrides; the header names the cloud and its training API, and the
New notebook dialog of a Huawei Cloud profile says the old DevEnviron API is not there."""

from conftest import LabProcess
from lab_page import open_sidebar
from playwright.sync_api import Locator, Page, expect

from jupyterlab_modelarts.emulator.background import BackgroundEmulator

DEVENVIRON_REFUSAL = "The old DevEnviron API is not offered by Huawei Cloud; use the Notebooks API."


def sign_in(header: Locator, cloud: BackgroundEmulator, name: str, cloud_label: str) -> Locator:
    """Fill the sign-in dialog for ``cloud_label`` with endpoints pointing at ``cloud``; the
    dialog, still open, for the caller to choose a region and submit."""
    header.get_by_title("Sign in to a cloud account").click()
    dialog = header.page.locator(".jp-Dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Profile name").fill(name)
    dialog.get_by_label("Cloud").select_option(label=cloud_label)
    dialog.get_by_label("Access key ID").fill(cloud.config.access_key)
    dialog.get_by_label("Secret access key").fill(cloud.config.secret_key)
    # The emulator's project is named after its own region: give the id, no lookup by name.
    dialog.get_by_label("Project ID (optional)").fill(cloud.config.project_id)
    dialog.get_by_text("Endpoints (optional)").click()
    for service in ("ModelArts", "IAM", "OBS"):
        dialog.get_by_label(f"{service} endpoint").fill(cloud.base_url)
    return dialog


def test_sign_in_to_t_cloud_public_and_huawei_cloud(
    page: Page, own_lab: LabProcess, cloud: BackgroundEmulator
):
    header = open_sidebar(page, own_lab.start(), workspace="clouds")
    expect(header.locator(".jp-ModelArts-trainingApi")).to_have_text("Training: v1")

    dialog = sign_in(header, cloud, "otc", "T Cloud Public")
    region = dialog.get_by_label("Region")
    expect(region).to_have_value("eu-de")
    expect(region.locator("option")).to_have_count(2)
    expect(dialog.locator(".jp-ModelArts-cloudNote")).to_contain_text("Training: v1 or v2")
    dialog.get_by_role("button", name="Check and save").click()
    expect(dialog).to_have_count(0, timeout=30_000)
    expect(header.get_by_label("Profile", exact=True)).to_have_value("otc")
    expect(header.locator(".jp-ModelArts-connection")).to_have_text("Connected")
    expect(header.locator(".jp-ModelArts-cloud")).to_have_text("T Cloud Public")
    expect(header.locator(".jp-ModelArts-region")).to_have_text("eu-de")
    # The sign-in probe found the v1 training list answering.
    expect(header.locator(".jp-ModelArts-trainingApi")).to_have_text("Training: v1")

    dialog = sign_in(header, cloud, "hw", "Huawei Cloud")
    expect(dialog.get_by_label("Region")).to_have_value("cn-north-4")
    expect(dialog.locator(".jp-ModelArts-cloudNote")).to_contain_text(
        "The old DevEnviron API is not offered"
    )
    dialog.get_by_role("button", name="Check and save").click()
    expect(dialog).to_have_count(0, timeout=30_000)
    expect(header.get_by_label("Profile", exact=True)).to_have_value("hw")
    expect(header.locator(".jp-ModelArts-cloud")).to_have_text("Huawei Cloud")
    expect(header.locator(".jp-ModelArts-trainingApi")).to_have_text("Training: v2")

    instances = page.locator("#jp-modelarts-sidebar .jp-ModelArts-instances")
    new_notebook = instances.get_by_role("button", name="New notebook")
    expect(new_notebook).to_be_enabled(timeout=30_000)
    new_notebook.click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.get_by_role("note")).to_have_text(DEVENVIRON_REFUSAL)
    # Only the Notebooks API is offered: no API to choose.
    expect(dialog.get_by_label("API")).to_have_count(0)
    expect(dialog.get_by_label("Image")).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    page.screenshot(path=str(own_lab.log.parent / "clouds-huawei-cloud.png"))
