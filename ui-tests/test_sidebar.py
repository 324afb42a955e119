"""The ModelArts sidebar in a real JupyterLab, as a user opens it."""

import re

from conftest import ARTIFACTS, LabServer
from lab_page import open_lab, run_command
from playwright.sync_api import Page, expect


def test_sidebar_shows_the_account_header_filled_from_the_server(page: Page, lab_server: LabServer):
    open_lab(page, lab_server)
    page.locator('.jp-SideBar [data-id="jp-modelarts-sidebar"]').click()
    sidebar = page.locator("#jp-modelarts-sidebar")
    expect(sidebar).to_be_visible()

    header = sidebar.locator(".jp-ModelArts-header")
    expect(header).to_have_attribute("data-state", "ok", timeout=30_000)
    expect(header.locator(".jp-ModelArts-account")).to_contain_text("Local ModelArts")
    expect(header.locator(".jp-ModelArts-region")).to_have_text("cn-north-4")
    expect(header.locator(".jp-ModelArts-project")).to_have_text(re.compile(r"^[0-9a-f]{32}$"))
    for title in ("Notebooks", "Training", "Models", "Services"):
        expect(sidebar.locator(".jp-AccordionPanel-title", has_text=title)).to_be_visible()
    expect(sidebar.locator("[data-section='training'] .jp-ModelArts-training")).to_be_attached()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sidebar.png"))


def test_command_palette_opens_the_sidebar(page: Page, lab_server: LabServer):
    open_lab(page, lab_server)
    run_command(page, "Open the ModelArts Sidebar")
    expect(page.locator("#jp-modelarts-sidebar")).to_be_visible()
