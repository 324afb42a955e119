"""Train from a cell and follow the log, list and inspect jobs: through the kernel's server."""

from __future__ import annotations

import pytest
from conftest import run_cell

SCRIPT = """import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=1)
args, _ = parser.parse_known_args()
for epoch in range(args.epochs):
    print(f"epoch {epoch} loss {1 / (epoch + 1):.3f}", flush=True)
print("training finished", flush=True)
"""


@pytest.fixture(scope="module")
def trained(server_kernel, jupyter_server):
    """``train.py`` trained once with ``--follow``; the cell's output."""
    (jupyter_server.root_dir / "train.py").write_text(SCRIPT)
    return run_cell(
        server_kernel,
        "job = %modelarts train train.py --engine XGBoost-Sklearn --follow -- --epochs 3\njob",
    )


def test_train_follows_the_log_to_completion(trained):
    assert trained.error is None and not trained.stderr, trained
    assert "epoch 0 loss 1.000\nepoch 1 loss 0.500\nepoch 2 loss 0.333\n" in trained.stdout
    assert "training finished" in trained.stdout
    progress = [b["text/plain"] for b in trained.bundles if "modelarts-progress" in str(b)]
    assert progress[-1] == "Train train [" + "#" * 30 + "] 100% succeeded"
    shown = trained.bundles[-1]["text/plain"]
    assert "Status      completed" in shown
    assert "Engine      Scikit_Learn-0.18.1-python3.6" in shown


def test_jobs_and_job_list_it(trained, server_kernel):
    listed = run_cell(server_kernel, "%modelarts jobs")
    row = next(line for line in listed.text().splitlines() if line.startswith("train "))
    assert "completed" in row.split()
    versions = run_cell(server_kernel, "%modelarts job train")
    assert "completed" in versions.html()
    assert "Scikit_Learn-0.18.1-python3.6" in versions.html()


def test_logs_prints_the_log_again(trained, server_kernel):
    output = run_cell(server_kernel, "%modelarts logs train")
    assert "training finished" in output.stdout


def test_the_cell_trains_as_a_script(server_kernel):
    output = run_cell(
        server_kernel,
        "%%modelarts train --name from-cell --follow\nprint('hello from a cell', flush=True)\n",
    )
    assert output.error is None and not output.stderr, output
    assert "hello from a cell" in output.stdout
    assert "Status      completed" in output.bundles[-1]["text/plain"]


def test_an_unknown_engine_is_refused_with_the_choices(server_kernel, jupyter_server):
    (jupyter_server.root_dir / "other.py").write_text(SCRIPT)
    output = run_cell(server_kernel, "%modelarts train other.py --engine Caffe")
    assert output.stderr.startswith("modelarts: INVALID: no engine 'Caffe'; one of: TF-1.8.0")
    assert output.stderr.endswith("(field engine)\n")


def test_a_bad_job_name_is_refused_by_the_server_with_its_field(server_kernel, jupyter_server):
    (jupyter_server.root_dir / "named.py").write_text(SCRIPT)
    output = run_cell(server_kernel, "%modelarts train named.py --name 'no spaces allowed'")
    assert output.stderr.startswith("modelarts: INVALID: ")
    assert output.stderr.endswith("(field job_name)\n")


def test_completion_offers_job_names_specs_and_engines(trained, server_kernel):
    def complete(code: str) -> list[str]:
        return server_kernel.complete(code, len(code), reply=True)["content"]["matches"]

    assert complete("%modelarts logs tr") == ["train"]
    assert "modelarts.vm.cpu.2u" in complete("%modelarts train x.py --spec modelarts.vm.c")
    assert complete("%modelarts train x.py --engine PyT") == ["PyTorch-1.4.0-python3.6"]
