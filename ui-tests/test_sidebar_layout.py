"""The sidebar's layout at JupyterLab's default sidebar width in a 1280x768 window: sections
sized to their content that keep a usable height across collapse and expand in any order, long
ids cut with a tooltip and a copy button, one toast per operation, and finished operation cards
that the user dismisses or that clear themselves after the minutes of the setting."""

import json
import sys
import uuid
from pathlib import Path

from conftest import ARTIFACTS, LabProcess, LabServer, Look
from lab_page import open_sidebar
from playwright.sync_api import Page, expect
from test_newcomer import completed_job, open_section, post
from test_training import open_in_file_browser, write_project

sys.path.insert(0, str(Path(__file__).parent.parent / "tests" / "server"))
from deploy_support import deploy_body, write_iris_package

SMALL_WINDOW = {"width": 1280, "height": 768}
SECTIONS = ("notebooks", "training", "models", "services")
TITLES = {"notebooks": "Notebooks", "training": "Training", "models": "Models",
          "services": "Services"}  # fmt: skip
IMAGE_ID = "e1a07296-22a8-4f05-8bc8-e936c8e54090"
# The first thing each section shows: its rows, or what will appear there.
FIRST_ROW = {
    "notebooks": ".jp-ModelArts-instance",
    "training": ".jp-ModelArts-empty, .jp-ModelArts-trainJob",
    "models": ".jp-ModelArts-empty, .jp-ModelArts-row",
    "services": ".jp-ModelArts-empty, .jp-ModelArts-row",
}
# Each open section: its height, and whether its first row is inside it (in view).
LAYOUT = """([sections, rows]) => Object.fromEntries(sections.map(id => {
  const node = document.querySelector(`#jp-modelarts-sidebar [data-section='${id}']`);
  if (!node || node.classList.contains('lm-mod-hidden')) return [id, null];
  const box = node.getBoundingClientRect();
  const row = node.querySelector(rows[id]);
  const rowBox = row && row.getBoundingClientRect();
  const shown = !!rowBox && rowBox.height > 0 && rowBox.top >= box.top - 1
    && rowBox.top + Math.min(rowBox.height, 20) <= box.bottom + 1;
  return [id, {height: box.height, shown}];
}))"""


def notebook(name: str) -> dict:
    return {
        "api": "notebooks",
        "request": {
            "name": name,
            "description": "",
            "flavor": "modelarts.vm.cpu.2u",
            "image_id": IMAGE_ID,
            "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 5},
            "duration": 3_600_000,
        },
    }


def layout(page: Page) -> dict:
    return page.evaluate(LAYOUT, [list(SECTIONS), FIRST_ROW])


def check_open_sections_usable(page: Page, context: str) -> dict:
    """Every open section has a usable height and shows its first row (polled: the sizes
    follow the content on the next frame)."""
    last: dict = {}

    def usable() -> bool:
        nonlocal last
        last = layout(page)
        return all(s is None or (s["height"] >= 30 and s["shown"]) for s in last.values())

    for _ in range(100):
        if usable():
            return last
        page.wait_for_timeout(100)
    raise AssertionError(f"{context}: an open section is unusable: {last}")


def toggle(page: Page, section: str) -> None:
    title = page.locator("#jp-modelarts-sidebar .jp-AccordionPanel-title", has_text=TITLES[section])
    expanded = title.get_attribute("aria-expanded") == "true"
    title.click()
    expect(title).to_have_attribute("aria-expanded", "false" if expanded else "true")


def test_sections_size_to_their_content_and_keep_it_across_collapse_and_expand(
    page: Page, own_lab: LabProcess
):
    server = own_lab.start()
    for index in range(6):
        post(server, "instances", notebook(f"layout-nb-{index:02d}"))
    page.set_viewport_size(SMALL_WINDOW)
    open_sidebar(page, server)
    sidebar = page.locator("#jp-modelarts-sidebar")
    # The list renders only the rows in view: the newest is there first.
    expect(sidebar.locator(".jp-ModelArts-instance[data-name='layout-nb-05']")).to_be_visible(
        timeout=30_000
    )
    for section in SECTIONS:
        title = sidebar.locator(".jp-AccordionPanel-title", has_text=TITLES[section])
        if title.get_attribute("aria-expanded") != "true":
            toggle(page, section)

    sizes = check_open_sections_usable(page, "all open")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sidebar-layout-all-open.png"))
    # The long list gets the room; each section saying only what will appear there is small.
    for empty in ("models", "services"):
        assert sizes[empty]["height"] < 120, sizes
        assert sizes["notebooks"]["height"] > 2 * sizes[empty]["height"], sizes
    # Training also holds its links to the configurations and the built-in algorithms.
    assert sizes["training"]["height"] < 160, sizes
    assert sizes["notebooks"]["height"] > sizes["training"]["height"], sizes
    # ... all the room there is (nothing left blank below the sections) and scrolls inside.
    blank = page.evaluate(
        """() => {
      const content = document.querySelector('#jp-modelarts-sidebar .jp-SidePanel-content');
      const last = content.querySelector("[data-section='services']");
      return content.getBoundingClientRect().bottom - last.getBoundingClientRect().bottom;
    }"""
    )
    assert blank < 8, blank
    instances = sidebar.locator(".jp-ModelArts-instanceList")
    assert instances.evaluate("node => node.scrollHeight > node.clientHeight")

    for order in (
        ["training", "training"],
        ["notebooks", "services", "notebooks", "services"],
        ["services", "models", "training", "training", "models", "services"],
        ["notebooks", "training", "models", "notebooks", "models", "training"],
    ):
        for section in order:
            toggle(page, section)
            check_open_sections_usable(page, f"after toggling {section} in {order}")
        # Back to all open, the sizes are what they were.
        again = check_open_sections_usable(page, f"after {order}")
        for section in SECTIONS:
            assert abs(again[section]["height"] - sizes[section]["height"]) <= 4, (order, again)
    page.screenshot(path=str(ARTIFACTS / "sidebar-layout-after-toggles.png"))


def test_a_long_id_is_cut_with_its_whole_value_in_the_tooltip_and_copies(
    page: Page, lab_server: LabServer
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size(SMALL_WINDOW)
    header = open_sidebar(page, lab_server)
    project = header.locator(".jp-ModelArts-project")
    text = project.locator(".jp-ModelArts-idText")
    project_id = text.text_content() or ""
    assert len(project_id) == 32, project_id
    expect(text).to_have_attribute("title", project_id)
    # Cut at JupyterLab's default sidebar width, with an ellipsis, and the copy button in view.
    assert text.evaluate(
        "node => node.scrollWidth > node.clientWidth"
        " && getComputedStyle(node).textOverflow === 'ellipsis'"
    )
    copy = project.locator(".jp-ModelArts-idCopy")
    expect(copy).to_be_in_viewport()
    copy.click()
    expect(page.locator(".Toastify__toast", has_text="Copied")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == project_id


# Counts, at each animation frame, the toasts that name `job` until one tells the job's end:
# the most ever shown at once, and the text of the last (in window.toastWatch).
WATCH_TOASTS = """job => {
  const watch = window.toastWatch = {most: 0, last: null, done: false};
  const look = () => {
    const toasts = [...document.querySelectorAll('.Toastify__toast')]
      .filter(toast => toast.textContent.includes(job));
    watch.most = Math.max(watch.most, toasts.length);
    const ended = toasts.find(toast => /completed|failed/.test(toast.textContent));
    if (ended) {
      watch.last = ended.textContent;
      watch.done = true;
    } else {
      requestAnimationFrame(look);
    }
  };
  look();
}"""


def test_one_toast_follows_a_launch_from_its_upload_to_the_jobs_end(
    page: Page, lab_server: LabServer
):
    page.set_viewport_size(SMALL_WINDOW)
    folder = f"toasts-{uuid.uuid4().hex[:6]}"
    job_name = f"toast_{folder.rsplit('-', 1)[1]}"
    write_project(lab_server.root_dir / folder, "train_iris.py")
    open_sidebar(page, lab_server)
    open_in_file_browser(page, folder, "train_iris.py").dblclick()
    page.locator(".jp-FileEditor").first.wait_for()
    page.locator(".jp-Document:visible .jp-ModelArts-trainButton").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input[name='job_name']").fill(job_name)
    page.evaluate(WATCH_TOASTS, job_name)
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    page.wait_for_function("() => window.toastWatch.done", timeout=180_000)
    seen = page.evaluate("() => window.toastWatch")
    assert "completed" in seen["last"], seen
    assert seen["most"] == 1, seen
    page.screenshot(path=str(ARTIFACTS / "sidebar-layout-one-toast.png"))


def test_a_finished_launch_clears_itself_after_the_settings_minutes_and_a_deploy_is_dismissed(
    page: Page, own_lab: LabProcess
):
    # One minute instead of the default three.
    settings = own_lab.home / "settings" / "jupyterlab-modelarts" / "plugin.jupyterlab-settings"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"finishedOperationMinutes": 1}))
    server = own_lab.start()
    look = Look(1280, 768, "light", "en")
    # The page's clock, which the test moves on, runs from the page's first load.
    page.clock.install()
    completed_job(page, server, look, "cards-project")
    sidebar = page.locator("#jp-modelarts-sidebar")
    launch = sidebar.locator(".jp-ModelArts-trainLaunch[data-state='succeeded']")
    expect(launch).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "sidebar-layout-finished-launch.png"))
    # The page saw the launch succeed when it loaded, well under a minute and a half ago (the
    # job took seconds): gone 90 s later after one minute, it would stay after three.
    page.clock.fast_forward("01:30")
    expect(launch).to_have_count(0)

    write_iris_package(server.root_dir / "iris-cards")
    post(server, "deployments", deploy_body("iris-cards", "iris-cards"))
    services = open_section(sidebar, look, "Services")
    deployment = services.locator(".jp-ModelArts-deployment")
    expect(deployment).to_have_attribute("data-state", "succeeded", timeout=90_000)
    deployment.get_by_role("button", name="Dismiss").click()
    expect(deployment).to_have_count(0)
