"""Steps every browser test takes: open JupyterLab, open the ModelArts sidebar."""

import time
import uuid

from conftest import ARTIFACTS, LabServer
from playwright.sync_api import Locator, Page, expect

# JupyterLab's last start-up step, seconds after `restored`, fills an empty main area with a
# Launcher, which runs commands and takes the focus: an open command palette or context menu
# closes. Start-up is over once the main area's current widget is shown and holds the focus.
MAIN_AREA_SETTLED = """() => {
  const current = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return !!current && current.isVisible && current.node.contains(document.activeElement);
}"""

# One step in the page, so that nothing can close the palette between finding the item and
# clicking it. The item is the palette's <li> whose label reads `label`; the label's text is
# split into <mark> parts that highlight the query, so it is compared as a whole.
PICK_PALETTE_ITEM = """label => {
  const palette = document.getElementById('modal-command-palette');
  if (palette.classList.contains('lm-mod-hidden')) return 'closed';
  const item = [...palette.querySelectorAll('li.lm-CommandPalette-item')].find(
    li => li.querySelector('.lm-CommandPalette-itemLabel')?.textContent === label);
  if (!item) return false;
  item.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, button: 0}));
  return 'picked';
}"""


def open_lab(page: Page, server: LabServer, workspace: str | None = None) -> None:
    """Open JupyterLab in a layout of its own (a fresh workspace unless one is named), so
    that no test sees the panels another test left open, once it has finished starting."""
    page.goto(server.lab_url(f"lab/workspaces/{workspace or uuid.uuid4().hex}"))
    # The splash screen only exists once the page's scripts run: its absence alone says nothing.
    expect(page.locator(".jp-LabShell")).to_be_visible(timeout=60_000)
    expect(page.locator("#jupyterlab-splash")).to_have_count(0, timeout=60_000)
    page.wait_for_function(MAIN_AREA_SETTLED, timeout=60_000)


def run_command(page: Page, label: str) -> None:
    """Run a command from the command palette by its label, as a user would pick it."""
    # Opened through its command: a key press can be lost while JupyterLab moves focus.
    execute(page, "apputils:activate-command-palette")
    palette = page.locator("#modal-command-palette")
    expect(palette).to_be_visible()
    palette.locator("input.lm-CommandPalette-input").fill(label)
    outcome = page.wait_for_function(PICK_PALETTE_ITEM, arg=label).json_value()
    assert outcome == "picked", (
        f"the command palette closed before {label!r} could be picked: something took the focus"
        " or ran a command meanwhile"
    )


def execute(page: Page, command: str) -> None:
    """Run a command by id once JupyterLab has restored its layout."""
    page.evaluate(
        "async id => {"
        " await window.jupyterapp.restored;"
        " await window.jupyterapp.commands.execute(id);"
        " }",
        command,
    )


def open_sidebar(page: Page, server: LabServer, workspace: str | None = None) -> Locator:
    """The sidebar's header, once it shows what the server said."""
    open_lab(page, server, workspace)
    # The command, unlike a click on the tab, opens the sidebar whether or not the restored
    # layout already shows it.
    execute(page, "modelarts:open-sidebar")
    expect(page.locator("#jp-modelarts-sidebar")).to_be_visible()
    header = page.locator("#jp-modelarts-sidebar .jp-ModelArts-header")
    expect(header).to_have_attribute("data-state", "ok", timeout=30_000)
    return header


def menu_item(page: Page, label: str) -> Locator:
    """The open row menu's item labelled exactly ``label`` ("Queue" is not "Leave queue")."""
    return page.locator(".jp-ModelArts-rowMenu .lm-Menu-item").filter(
        has=page.get_by_text(label, exact=True)
    )


def row_action(row: Locator, label: str, timeout_ms: float = 60_000) -> Locator:
    """The action ``label`` of a list row by its visible label, whether it is one of the row's
    buttons or in its "..." menu (the menu is opened and ``label`` returned enabled, waiting
    until it is: a menu shows what was allowed when it opened)."""
    button = row.locator(f'button[data-action="{label}"]')
    if button.count() > 0:
        expect(button).to_be_enabled(timeout=timeout_ms)
        return button
    page = row.page
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        row.locator('button[data-action="more"]').click()
        item = menu_item(page, label)
        expect(item).to_be_visible()
        if "lm-mod-disabled" not in (item.get_attribute("class") or ""):
            return item
        assert time.monotonic() < deadline, f"{label} stayed disabled"
        page.keyboard.press("Escape")
        expect(page.locator(".jp-ModelArts-rowMenu")).to_have_count(0)
        page.wait_for_timeout(250)  # the row's state is polled by the server; look again


def menu_item_title(row: Locator, label: str) -> str | None:
    """The tooltip of ``label`` in the row's "..." menu (the menu is closed again)."""
    row.locator('button[data-action="more"]').click()
    item = menu_item(row.page, label)
    expect(item).to_be_visible()
    title = item.get_attribute("title")
    row.page.keyboard.press("Escape")
    return title


# The look a page is really in: its theme (JupyterLab marks the body) and language (JupyterLab
# sets the document's language to the translator's).
PAGE_LOOK = """() => [
  document.body.dataset.jpThemeLight === 'false' ? 'dark' : 'light',
  document.documentElement.lang || 'en'
]"""


def shot(page: Page, flow: str, step: str) -> None:
    """A screenshot of ``step`` of ``flow``, kept as ui-tests/artifacts/<flow>/<look>-<step>.png,
    where the look (window size, theme, language) is read from the page itself."""
    theme, language = page.evaluate(PAGE_LOOK)
    size = page.viewport_size or {"width": 0, "height": 0}
    folder = ARTIFACTS / flow
    folder.mkdir(parents=True, exist_ok=True)
    look = f"{size['width']}x{size['height']}-{theme}-{language}"
    page.screenshot(path=str(folder / f"{look}-{step}.png"))
