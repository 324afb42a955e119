"""The %modelarts magics in a notebook of a real JupyterLab: a table and a followed log."""

import re
import uuid

import nbformat
from conftest import ARTIFACTS, LabServer
from lab_page import open_lab
from playwright.sync_api import Locator, Page, expect

SCRIPT = """for epoch in range(3):
    print(f"epoch {epoch} loss {1 / (epoch + 1):.3f}", flush=True)
print("training finished", flush=True)
"""


def write_notebook(server: LabServer) -> str:
    (server.root_dir / "magics").mkdir(exist_ok=True)
    (server.root_dir / "magics" / "magics_train.py").write_text(SCRIPT)
    notebook = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        cells=[
            nbformat.v4.new_code_cell("%load_ext jupyterlab_modelarts"),
            nbformat.v4.new_code_cell("%modelarts workspaces"),
            nbformat.v4.new_code_cell(
                "%modelarts train magics/magics_train.py --engine XGBoost-Sklearn --follow"
            ),
        ],
    )
    name = f"magics-{uuid.uuid4().hex[:8]}.ipynb"
    nbformat.write(notebook, server.root_dir / name)
    return name


def run_cell(page: Page, prompt: Locator) -> None:
    """Shift+Enter on the cell of ``prompt`` until it runs (a press made while the notebook
    is still connecting its kernel is dropped), then wait until it has run."""
    for _ in range(10):
        prompt.click()
        page.keyboard.press("Shift+Enter")
        try:
            expect(prompt).not_to_have_text("[ ]:", timeout=3_000)
            break
        except AssertionError:
            continue
    expect(prompt).to_have_text(re.compile(r"\[\d+\]:"), timeout=90_000)


def test_a_notebook_shows_the_magics_table_and_log(page: Page, lab_server: LabServer):
    name = write_notebook(lab_server)
    open_lab(page, lab_server)
    page.goto(lab_server.lab_url(f"lab/workspaces/{uuid.uuid4().hex}/tree/{name}"))
    notebook = page.locator(".jp-NotebookPanel")
    expect(notebook).to_be_visible(timeout=60_000)
    expect(notebook.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(
        1, timeout=60_000
    )
    # As a user runs a notebook from the top: Shift+Enter on each cell in turn, once the
    # one before has run.
    for index in range(3):
        run_cell(page, notebook.locator(".jp-CodeCell .jp-InputPrompt").nth(index))

    table = notebook.locator(".jp-OutputArea-output table.modelarts-table").first
    expect(table).to_be_visible(timeout=60_000)
    expect(table.locator("caption")).to_have_text("Workspaces (1)")
    expect(table.locator("td").nth(1)).to_have_text("default")

    # The upload preview comes first, as an output of its own; then the followed log.
    log = notebook.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']",
        has_text="epoch 0",
    )
    expect(log).to_contain_text("epoch 2 loss 0.333", timeout=90_000)
    expect(log).to_contain_text("training finished")
    launched = notebook.locator(
        "table.modelarts-table caption", has_text="Training job magics_train"
    )
    expect(launched).to_be_visible(timeout=60_000)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "magics.png"), full_page=True)
