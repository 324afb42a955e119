"""Steps every browser test takes: open JupyterLab, open the ModelArts sidebar."""

import uuid

from conftest import LabServer
from playwright.sync_api import Locator, Page, expect


def open_lab(page: Page, server: LabServer, workspace: str | None = None) -> None:
    """Open JupyterLab in a layout of its own (a fresh workspace unless one is named), so
    that no test sees the panels another test left open."""
    page.goto(server.lab_url(f"lab/workspaces/{workspace or uuid.uuid4().hex}"))
    expect(page.locator("#jupyterlab-splash")).to_have_count(0, timeout=60_000)
    expect(page.locator(".jp-LabShell")).to_be_visible()


def run_command(page: Page, label: str) -> None:
    """Run a command from the command palette, as a keyboard user would."""
    palette = page.locator("#command-palette")
    # The shortcut is lost while JupyterLab is still moving focus after start: press it again
    # until the palette shows (it activates, it does not toggle).
    for _ in range(5):
        page.keyboard.press("Control+Shift+c")
        try:
            expect(palette).to_be_visible(timeout=2_000)
            break
        except AssertionError:
            continue
    expect(palette).to_be_visible()
    palette.locator("input").fill(label)
    palette.get_by_text(label, exact=True).click()


def open_sidebar(page: Page, server: LabServer, workspace: str | None = None) -> Locator:
    """The sidebar's header, once it shows what the server said."""
    open_lab(page, server, workspace)
    # The command, unlike a click on the tab, opens the sidebar whether or not the restored
    # layout already shows it.
    run_command(page, "Open the ModelArts Sidebar")
    expect(page.locator("#jp-modelarts-sidebar")).to_be_visible()
    header = page.locator("#jp-modelarts-sidebar .jp-ModelArts-header")
    expect(header).to_have_attribute("data-state", "ok", timeout=30_000)
    return header
