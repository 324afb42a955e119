"""Every action of a notebook instance, a training job and a service, reached by its visible
label at JupyterLab's default sidebar width (a row's buttons or its "..." menu) and used, with
its visible effect checked, in the pairwise looks of test_newcomer (window size, theme,
language). Elements are found by class, data attributes or the label in the look's language,
never by English text. Screenshots of each step go to ui-tests/artifacts/every-action/.

Measured on the shared 2-core machine: the notebook test takes about 125 s a look (instances
start local Jupyter servers at documented speed), the job and service tests about 15 s each, so
the three in all four looks add about 10.5 minutes to CI."""

import json
import re
import sys
import uuid
from pathlib import Path

from conftest import LabServer, Look
from lab_page import row_action
from lab_page import shot as shot_of
from playwright.sync_api import Locator, Page, expect
from test_newcomer import completed_job, every_look, open_section, post
from test_training import show_sidebar

sys.path.insert(0, str(Path(__file__).parent.parent / "tests" / "server"))
from deploy_support import SETOSA, write_iris_package

#: Instances start local Jupyter servers in the shared Local ModelArts, at documented speed.
SETTLE_MS = 90_000
#: Local ModelArts' free CPU flavor of the old DevEnviron API.
FREE_FLAVOR = "modelarts.vm.cpu.free"


def shot(page: Page, step: str) -> None:
    shot_of(page, "every-action", step)


def offered_labels(row: Locator) -> list[str]:
    """The labels of the row's buttons and of its "..." menu's items (the menu is closed)."""
    labels = [
        label
        for label in row.locator("button[data-action]").evaluate_all(
            "buttons => buttons.map(b => b.dataset.action)"
        )
        if label != "more"
    ]
    more = row.locator('button[data-action="more"]')
    if more.count() > 0:
        more.click()
        menu = row.page.locator(".jp-ModelArts-rowMenu")
        expect(menu).to_be_visible()
        labels += menu.locator(".lm-Menu-itemLabel").all_text_contents()
        row.page.keyboard.press("Escape")
        expect(menu).to_have_count(0)
    return labels


def use(row: Locator, look: Look, label: str) -> None:
    row_action(row, look.label(label), SETTLE_MS).click()


def stop_start_and_delete(
    look: Look, row: Locator, status: Locator, statuses: tuple[str, str], kind: str
) -> None:
    """Stop, Start and Delete (confirmed) the row; ``status`` shows ``statuses`` (stopped,
    running) in its ``data-status`` in turn, and the row goes."""
    for label, reached in zip(("Stop", "Start"), statuses, strict=True):
        use(row, look, label)
        expect(status).to_have_attribute("data-status", reached, timeout=SETTLE_MS)
    use(row, look, "Delete")
    shot(row.page, f"delete-{kind}-confirm")
    row.page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-warn").click()
    expect(row).to_have_count(0, timeout=SETTLE_MS)


def running_instance(
    page: Page, server: LabServer, look: Look, step: str, **chosen: str
) -> Locator:
    """A new instance's row once it runs: created in the New notebook dialog with only a name
    typed and the options ``chosen`` (field: value, in order) picked; ``step`` names the
    dialog's screenshot."""
    name = f"every-{uuid.uuid4().hex[:6]}"
    section = open_section(show_sidebar(page, server), look, "Notebooks")
    section.locator(".jp-ModelArts-newInstance").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("[data-field='name'] input").fill(name)
    for field, value in chosen.items():
        dialog.locator(f"[data-field='{field}'] select").select_option(value)
    shot(page, step)
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)
    instance = section.locator(f".jp-ModelArts-instance[data-name='{name}']")
    expect(instance).to_have_attribute("data-status", "RUNNING", timeout=SETTLE_MS)
    return instance


@every_look
def test_a_notebook_created_with_only_a_name_runs_and_every_action_works(
    page: Page, lab_server: LabServer, look: Look
):
    instance = running_instance(page, lab_server, look, "new-notebook-only-a-name")
    shot(page, "notebook-running")
    dialog = page.locator(".jp-Dialog")
    assert sorted(offered_labels(instance)) == sorted(
        look.label(label) for label in ("Open", "Start", "Stop", "Auto stop", "Delete")
    )

    # Details: the name opens them.
    details = instance.locator(".jp-ModelArts-instanceName")
    expect(details).to_have_attribute("title", look.label("Details"))
    details.click()
    expect(dialog.locator(".jp-ModelArts-instanceDetails")).to_be_visible()
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)

    # Open: the instance's own Jupyter in a new browser tab.
    with page.context.expect_page() as opened:
        use(instance, look, "Open")
    opened.value.close()

    # Auto stop: a new time; the countdown follows (hours from now, "stops in 2:59:..").
    use(instance, look, "Auto stop")
    dialog.locator("input[name='hours']").fill("3")
    shot(page, "auto-stop-dialog")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)
    expect(instance.locator(".jp-ModelArts-countdown")).to_contain_text("2:5", timeout=SETTLE_MS)

    stop_start_and_delete(look, instance, instance, ("STOPPED", "RUNNING"), "notebook")


@every_look
def test_every_action_of_an_old_api_notebook_of_a_free_flavor_works(
    page: Page, lab_server: LabServer, look: Look
):
    """The old DevEnviron API adds Restart, and a free flavor adds Queue and Leave queue (a free
    instance waits in the queue for ten minutes at documented speed)."""
    instance = running_instance(
        page, lab_server, look, "new-free-notebook", api="devenv", flavor=FREE_FLAVOR
    )
    assert sorted(offered_labels(instance)) == sorted(
        look.label(label)
        for label in (
            "Open",
            "Start",
            "Stop",
            "Restart",
            "Queue",
            "Leave queue",
            "Auto stop",
            "Delete",
        )
    )

    use(instance, look, "Restart")
    expect(instance).to_have_attribute("data-status", "RESTARTING", timeout=SETTLE_MS)
    expect(instance).to_have_attribute("data-status", "RUNNING", timeout=SETTLE_MS)
    use(instance, look, "Stop")
    expect(instance).to_have_attribute("data-status", "STOPPED", timeout=SETTLE_MS)
    use(instance, look, "Queue")
    expect(instance).to_have_attribute("data-status", "START_QUEUING", timeout=SETTLE_MS)
    shot(page, "free-notebook-queuing")
    use(instance, look, "Leave queue")
    expect(instance).to_have_attribute("data-status", "STOPPED", timeout=SETTLE_MS)
    use(instance, look, "Delete")
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-warn").click()
    expect(instance).to_have_count(0, timeout=SETTLE_MS)


@every_look
def test_every_action_of_a_service_works(page: Page, lab_server: LabServer, look: Look):
    name = f"every-svc-{uuid.uuid4().hex[:6]}"
    write_iris_package(lab_server.root_dir / name)
    # Deployed over REST: the deploy dialog has its own tests.
    post(
        lab_server,
        "deployments",
        {
            "path": name,
            "model_name": name,
            "model_version": "1.0.0",
            "model_type": "Scikit_Learn",
            "service": {
                "service_name": name,
                "specification": "modelarts.vm.cpu.2u",
                "instance_count": 1,
            },
        },
    )
    sidebar = show_sidebar(page, lab_server)
    services = open_section(sidebar, look, "Services")
    service = services.locator(f".jp-ModelArts-row[data-name='{name}']")
    chip = service.locator(".jp-ModelArts-rowMain .jp-ModelArts-chip")
    expect(chip).to_have_attribute("data-status", "running", timeout=SETTLE_MS)
    assert sorted(offered_labels(service)) == sorted(look.label(x) for x in ("Stop", "Delete"))

    # The name opens the detail: Test, then Update to two instances.
    service.locator(".jp-ModelArts-rowName").click()
    detail = service.locator(".jp-ModelArts-detail")
    expect(detail.locator("summary", has_text=look.label("Test"))).to_be_visible()
    detail.locator("textarea[name='test_body']").fill(json.dumps(SETOSA))
    detail.get_by_role("button", name=look.label("Send"), exact=True).click()
    result = detail.locator(".jp-ModelArts-testResult").first
    expect(result.locator(".jp-ModelArts-chip")).to_have_text("200", timeout=60_000)
    shot(page, "service-tested")
    detail.get_by_label(look.label("Instances"), exact=True).fill("2")
    detail.get_by_role("button", name=look.label("Update"), exact=True).click()
    two = look.label("%1 instances").replace("%1", "2")
    expect(detail.locator("dl")).to_contain_text(two, timeout=SETTLE_MS)
    expect(chip).to_have_attribute("data-status", "running", timeout=SETTLE_MS)
    shot(page, "service-updated")

    stop_start_and_delete(look, service, chip, ("stopped", "running"), "service")


def button(actions: Locator, look: Look, label: str) -> Locator:
    """The button ``label`` (English, worded in the look's language) of an actions bar."""
    found = actions.get_by_role("button", name=look.label(label), exact=True)
    expect(found).to_be_enabled(timeout=SETTLE_MS)
    return found


@every_look
def test_every_action_of_a_training_job_and_its_versions_works(
    page: Page, lab_server: LabServer, look: Look
):
    folder = f"every-job-{uuid.uuid4().hex[:6]}"
    job_name = f"out_{folder.rsplit('-', 1)[1]}"
    first = completed_job(page, lab_server, look, folder)
    job = page.locator(f".jp-ModelArts-trainJob[data-job='{job_name}']")
    job_actions = job.locator(":scope > .jp-ModelArts-trainActions")
    dialog = page.locator(".jp-Dialog")
    first_actions = first.locator(".jp-ModelArts-trainActions")
    expect(first_actions.get_by_role("button")).to_have_count(8)  # 7 and the "..." menu
    shot(page, "job-completed")

    # The job's own actions: its description, shown under its name.
    button(job_actions, look, "Edit description").click()
    dialog.locator("input").fill("iris, every action")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(job.locator(".jp-ModelArts-trainDesc")).to_have_text("iris, every action")

    # The version's: its log in a tab, its output files, its model, TensorBoard.
    button(first_actions, look, "Log").click()
    log_tab = page.locator(".jp-MainAreaWidget .jp-ModelArts-logViewer")
    expect(log_tab).to_be_visible()
    button(first_actions, look, "Output").click()
    expect(first.locator(".jp-ModelArts-trainOutput")).to_contain_text("model/iris.m")
    button(first_actions, look, "Import as model").click()
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)
    models = open_section(page.locator("#jp-modelarts-sidebar"), look, "Models")
    expect(models.locator(".jp-ModelArts-rowName", has_text=job_name)).to_be_visible(
        timeout=SETTLE_MS
    )
    button(first_actions, look, "Visualize").click()
    expect(page.locator(".jp-ModelArts-trainVisualizations")).to_be_visible(timeout=SETTLE_MS)
    assert sorted(offered_labels(first)) == sorted(
        look.label(label) for label in ("Open output", "Deploy")
    )
    for label in ("Open output", "Deploy"):  # each opens its dialog (their flows: test_newcomer)
        use(first, look, label)
        expect(dialog).to_be_visible()
        dialog.locator(".jp-Dialog-button.jp-mod-reject").click()
        expect(dialog).to_have_count(0)

    # A new version runs, and stops. (``first`` is the job's top row, which the new version
    # takes: its id is read before.)
    first_version = first.get_attribute("data-version")
    button(first_actions, look, "New version").click()
    shot(page, "new-version-dialog")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    second = job.locator(".jp-ModelArts-trainVersion").first
    expect(second).not_to_have_attribute("data-version", first_version)
    button(second.locator(".jp-ModelArts-trainActions"), look, "Stop").click()
    expect(second.locator(".jp-ModelArts-status")).to_have_attribute(
        "data-status", re.compile("^(killed|canceled)$"), timeout=SETTLE_MS
    )
    button(second.locator(".jp-ModelArts-trainActions"), look, "Delete version").click()
    dialog.locator(".jp-Dialog-button.jp-mod-warn").click()
    expect(job.locator(".jp-ModelArts-trainVersion")).to_have_count(1, timeout=SETTLE_MS)

    button(job_actions, look, "Delete job").click()
    shot(page, "delete-job-confirm")
    dialog.locator(".jp-Dialog-button.jp-mod-warn").click()
    expect(job).to_have_count(0, timeout=SETTLE_MS)
