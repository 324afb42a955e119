"""In Simplified Chinese the product shows no English: every section of the sidebar, the
sign-in, New notebook, Train and Deploy dialogs, a job's launch, details, log and output, the
row menus, a service's details and test, and the notifications are walked, and every text
and tooltip the extension rendered is collected. Latin words may remain only where they are
names, ids, units or product and API names (the allow-list below)."""

import json
import re
import sys
import uuid
from pathlib import Path

import pytest
from conftest import LabServer, Look
from lab_page import execute, shot
from playwright.sync_api import Locator, Page, expect
from test_training import open_in_file_browser, show_sidebar, write_project

sys.path.insert(0, str(Path(__file__).parent.parent / "tests" / "server"))
from deploy_support import SETOSA, write_iris_package

from jupyterlab_modelarts.emulator.catalog import CLUSTERS

DEADLINE_MS = 90_000
CHINESE = Look(1400, 900, "light", "zh_CN")

# Where the extension renders: its sidebar, its dialogs and menus, its log tabs, its toasts and
# the notification centre. Inside them, what users typed or the cloud sent is not the
# product's wording: logs, request and answer bodies, form values, and what the extension marks
# jp-ModelArts-upstream (descriptions and events as the cloud wrote them). Nor are the labels
# JupyterLab itself gives the sidebar's sections and the toasts' timers. The names of the
# instances, jobs and services the cloud listed (other tests' too) are names wherever they show.
COLLECT = """() => {
  const roots = document.querySelectorAll(
    '#jp-modelarts-sidebar, .jp-Dialog, .jp-ModelArts-rowMenu, .jp-ModelArts-logViewer,'
    + ' .Toastify__toast, .jp-Notification-List');
  const foreign = 'pre, textarea, input, .jp-ModelArts-logText, .jp-ModelArts-testAnswer,'
    + ' .jp-ModelArts-trainOutput, .jp-ModelArts-upstream';
  const jupyterlabs = '.lm-AccordionPanel-title, .lm-AccordionPanel > [role="region"],'
    + ' .jp-SidePanel-content,'
    + ' .Toastify__progress-bar';
  const found = [];
  const where = el => (el.closest('[class*="jp-ModelArts-"]') || el).className.toString()
    .split(' ').find(c => c.startsWith('jp-ModelArts-')) || el.tagName.toLowerCase();
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement.closest(foreign) || !node.textContent.trim()) continue;
      found.push([node.textContent.trim(), where(node.parentElement)]);
    }
    for (const el of root.querySelectorAll('[title], [aria-label], [placeholder]')) {
      if ((el.closest(foreign) && !el.matches('input, textarea')) || el.matches(jupyterlabs)) {
        continue;
      }
      for (const name of ['title', 'aria-label', 'placeholder']) {
        const value = el.getAttribute(name);
        if (value && value.trim()) found.push([value.trim(), `${where(el)}[${name}]`]);
      }
    }
  }
  const names = [];
  for (const root of roots) {
    for (const el of root.querySelectorAll('[data-name], [data-job]')) {
      names.push(el.dataset.name ?? el.dataset.job);
    }
  }
  return { found, names };
}"""

# Names of products, clouds, APIs, engines, modules and formats, and units: the same in every
# language. "prod" is the example profile name (names are Latin letters and digits). Local
# ModelArts' dedicated resource pools are named by the cloud, like jobs and services.
NAMES = ("T Cloud Public", *(cluster["cluster_name"] for cluster in CLUSTERS))
ALLOWED = {
    *"ModelArts OBS GPU GPUs CPU CPUs vCPU vCPUs NPU AI API APIs IAM AK SK ID JSON URL HTTP HTTPS"
    " EFS Stack sklearn Sklearn prod"
    " Huawei Cloud Alibaba PAI DSW DevEnviron Notebook Notebooks Local JupyterLab Jupyter"
    " TensorFlow PyTorch MindSpore XGBoost MXNet Caffe Spark MLlib Scikit Learn scikit learn"
    " ONNX SavedModel joblib pickle moxing Python Ascend EVS SFS".split(),
    *"B KiB MiB GiB TiB KB MB GB ms s m h x".split(),
}
WORD = re.compile(r"[A-Za-z]+")
# A token holding a digit, an underscore, a dot, a slash, "@", ":" or "=" is an id, a name, a
# path, a version or a URL; so is a camelCase word.
IDENTIFIER = re.compile(r"[0-9_./:@=\\<>%#]|[a-z][A-Z]")
# (CJK and full-width punctuation already split tokens.) Quotes, ellipsis, middle dot:
TOKEN_EDGES = "()[]{}<>,;!?\"'\u201c\u201d\u2018\u2019\u2026\u00b7"


def english_words(text: str) -> list[str]:
    """The Latin words of ``text`` that are no name, id or unit."""
    words = []
    for token in re.split(r"[\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", text):
        token = token.strip(TOKEN_EDGES)
        if not WORD.search(token) or IDENTIFIER.search(token):
            continue
        words += [w for w in WORD.findall(token) if w not in ALLOWED]
    return words


class Strings:
    """What the page showed so far, with where it showed it."""

    def __init__(self, page: Page, names: set[str]) -> None:
        self.page = page
        self.names = names
        self.seen: dict[str, str] = {}

    def collect(self, step: str) -> None:
        shot(self.page, "language", step)
        shown = self.page.evaluate(COLLECT)
        self.names.update(name for name in shown["names"] if name)
        for text, where in shown["found"]:
            self.seen.setdefault(text, f"{step}: {where}")

    def english(self) -> list[str]:
        left = []
        for text, where in sorted(self.seen.items()):
            bare = text
            # The longest first: a name may hold another ("m" in "m-service").
            for name in sorted((*self.names, *NAMES), key=len, reverse=True):
                bare = bare.replace(name, "")
            if english_words(bare):
                left.append(f"{where}: {text!r}")
        return left


def test_an_english_word_is_found_and_names_ids_and_units_are_not():
    assert english_words("Prepare the code folder") == ["Prepare", "the", "code", "folder"]
    assert english_words("训练作业 train_iris（2 个 vCPU，8 GiB 内存）cpu.2u obs://b/x/") == []  # noqa: RUF001
    assert english_words("状态：RUNNING") == ["RUNNING"]  # noqa: RUF001


def expand_every_section(sidebar: Locator) -> None:
    titles = sidebar.locator(".jp-AccordionPanel-title")
    for index in range(titles.count()):
        title = titles.nth(index)
        if title.get_attribute("aria-expanded") != "true":
            title.click()
        expect(title).to_have_attribute("aria-expanded", "true")


def open_and_close_dialog(page: Page, strings: Strings, command: str, step: str) -> None:
    execute_later(page, command)
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".jp-Dialog-body")).not_to_be_empty()
    strings.collect(step)
    dialog.locator(".jp-Dialog-button.jp-mod-reject").click()
    expect(dialog).to_have_count(0)


def execute_later(page: Page, command: str) -> None:
    """Run a command that opens a dialog (its promise ends only when the dialog closes)."""
    page.evaluate("id => { void window.jupyterapp.commands.execute(id); }", command)


def open_row_menus(page: Page, strings: Strings, rows: Locator, step: str) -> None:
    for index in range(rows.count()):
        more = rows.nth(index).locator('button[data-action="more"]')
        if more.count() == 0:
            continue
        more.first.click()
        expect(page.locator(".jp-ModelArts-rowMenu")).to_be_visible()
        strings.collect(f"{step}-menu-{index}")
        page.keyboard.press("Escape")
        expect(page.locator(".jp-ModelArts-rowMenu")).to_have_count(0)


@pytest.mark.parametrize("look", [CHINESE], indirect=True, ids=[CHINESE.name])
def test_in_chinese_the_product_shows_no_english(page: Page, lab_server: LabServer, look: Look):
    suffix = uuid.uuid4().hex[:6]
    folder, job_name, model = f"project-{suffix}", f"iris_zh_{suffix}", f"model-{suffix}"
    write_project(lab_server.root_dir / folder, "train_iris.py")
    write_iris_package(lab_server.root_dir / model)
    strings = Strings(page, {folder, job_name, model, f"{model}-service"})

    sidebar = show_sidebar(page, lab_server)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expand_every_section(sidebar)
    strings.collect("sidebar")
    open_and_close_dialog(page, strings, "modelarts:sign-in", "sign-in")
    open_and_close_dialog(page, strings, "modelarts:new-notebook-instance", "new-notebook")

    open_in_file_browser(page, folder, "train_iris.py").dblclick()
    page.locator(".jp-FileEditor").first.wait_for()
    page.locator(".jp-Document:visible .jp-ModelArts-trainButton").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input[name='job_name']").fill(job_name)
    strings.collect("train-dialog")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)
    execute(page, "modelarts:open-sidebar")
    training = sidebar.locator("[data-section='training']")
    launch = training.locator(".jp-ModelArts-trainLaunch").first
    expect(launch.locator("[data-step='create']")).to_have_attribute(
        "data-state", "succeeded", timeout=DEADLINE_MS
    )
    strings.collect("launched")
    job = training.locator(f".jp-ModelArts-trainJob[data-job='{job_name}']")
    expect(job.locator(".jp-ModelArts-status").first).to_have_attribute(
        "data-status", "completed", timeout=DEADLINE_MS
    )
    strings.collect("job-completed")
    job.locator(".jp-ModelArts-trainToggle").click()
    version = job.locator(".jp-ModelArts-trainVersion").first
    expect(version).to_be_visible()
    strings.collect("job-details")
    open_row_menus(page, strings, training.locator(".jp-ModelArts-trainJob"), "training")
    version.get_by_role("button", name=look.label("Log"), exact=True).click()
    log = page.locator(".jp-ModelArts-logViewer")
    expect(log.locator(".jp-ModelArts-logText")).to_contain_text("training accuracy")
    strings.collect("log")
    version.get_by_role("button", name=look.label("Output"), exact=True).click()
    expect(version.locator(".jp-ModelArts-trainOutput")).to_contain_text("model/iris.m")
    strings.collect("output")

    page.locator('.jp-SideBar [data-id="filebrowser"]').click()
    page.locator(".jp-FileBrowser .jp-BreadCrumbs-home").click()
    page.locator(".jp-DirListing-item", has_text=model).click(button="right")
    page.locator(".lm-Menu-itemLabel", has_text=look.label("Deploy to ModelArts")).click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator("input[name='model_name']")).to_have_value(model)
    strings.collect("deploy-dialog")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0)
    execute(page, "modelarts:open-sidebar")
    expand_every_section(sidebar)
    services = sidebar.locator("[data-section='services']")
    service = services.locator(f".jp-ModelArts-row[data-name='{model}-service']")
    expect(service.locator(".jp-ModelArts-chip")).to_have_attribute(
        "data-status", "running", timeout=DEADLINE_MS
    )
    strings.collect("deployed")
    open_row_menus(page, strings, sidebar.locator(".jp-ModelArts-row"), "rows")
    service.locator(".jp-ModelArts-rowName").click()
    service.locator("textarea[name='test_body']").fill(json.dumps(SETOSA))
    service.get_by_role("button", name=look.label("Send"), exact=True).click()
    expect(service.locator(".jp-ModelArts-testResult").first).to_be_visible(timeout=60_000)
    strings.collect("service-tested")

    execute_later(page, "apputils:display-notifications")
    expect(page.locator(".jp-Notification-List")).to_be_visible()
    strings.collect("notifications")

    left = strings.english()
    assert not left, "English left in the zh_CN front end:\n" + "\n".join(left)
