"""Train from a cell and follow the log, list and inspect jobs: through the kernel's server."""

from __future__ import annotations

import time

import pytest
from conftest import SCRIPT, CellOutput, collect, run_cell

DEADLINE_SECONDS = 30


def write_script(jupyter_server, name: str, text: str) -> None:
    """A script in a folder of its own (a file directly in the root has no code folder)."""
    folder = jupyter_server.root_dir / "jobs"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)


@pytest.fixture(scope="module")
def trained(server_kernel, jupyter_server):
    """``train.py`` trained once with ``--follow``; the cell's output."""
    write_script(jupyter_server, "train.py", SCRIPT)
    return run_cell(
        server_kernel,
        "job = %modelarts train jobs/train.py --engine XGBoost-Sklearn --follow -- --epochs 3\njob",
    )


def test_train_follows_the_log_to_completion(trained):
    assert trained.error is None and not trained.stderr, trained
    assert "code to upload: " in trained.stdout and " files, " in trained.stdout
    assert "epoch 0 loss 1.000\nepoch 1 loss 0.500\nepoch 2 loss 0.333\n" in trained.stdout
    assert "training finished" in trained.stdout
    progress = [b["text/plain"] for b in trained.bundles if "modelarts-progress" in str(b)]
    assert progress[-1] == "Train train [" + "#" * 30 + "] 100% succeeded"
    shown = trained.bundles[-1]["text/plain"]
    assert "Status      completed" in shown
    assert "Engine      Scikit_Learn-0.18.1-python3.6" in shown


def job_row(server_kernel) -> list[str]:
    listed = run_cell(server_kernel, "%modelarts jobs")
    return next(line for line in listed.text().splitlines() if line.startswith("train ")).split()


def test_jobs_and_job_list_it(trained, server_kernel):
    # The list comes from the server's shared watcher, which may still hold what it saw just
    # before the job completed (up to a second old): it catches up.
    deadline = time.monotonic() + DEADLINE_SECONDS
    while "completed" not in (row := job_row(server_kernel)):
        assert time.monotonic() < deadline, row
        time.sleep(0.2)
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
    write_script(jupyter_server, "other.py", SCRIPT)
    output = run_cell(server_kernel, "%modelarts train jobs/other.py --engine Caffe")
    assert output.stderr.startswith("modelarts: INVALID: no engine 'Caffe'; one of: TF-1.8.0")
    assert output.stderr.endswith("(field engine)\n")


def test_a_file_directly_in_the_root_needs_a_code_folder(server_kernel, jupyter_server):
    (jupyter_server.root_dir / "top.py").write_text(SCRIPT)
    output = run_cell(server_kernel, "%modelarts train top.py")
    assert output.stderr.startswith("modelarts: CODE_FOLDER_TOO_WIDE: ")
    assert output.stderr.endswith("(field code_folder)\n")


def test_a_bad_job_name_is_refused_by_the_server_with_its_field(server_kernel, jupyter_server):
    write_script(jupyter_server, "named.py", SCRIPT)
    output = run_cell(server_kernel, "%modelarts train jobs/named.py --name 'no spaces allowed'")
    assert output.stderr.startswith("modelarts: PATTERN_MISMATCH: ")
    assert output.stderr.endswith("(field job_name)\n")


def launched_output(output: CellOutput) -> str:
    assert output.error is None and not output.stderr, output
    shown = output.bundles[-1]["text/plain"]
    return next(line for line in shown.splitlines() if line.startswith("Output")).split()[-1]


def test_a_renamed_or_repeated_launch_never_writes_into_another_jobs_folders(
    server_kernel, jupyter_server
):
    # A folder of its own: the server root is too wide a code folder.
    (jupyter_server.root_dir / "iris").mkdir()
    (jupyter_server.root_dir / "iris" / "iris_train.py").write_text(SCRIPT)
    first = launched_output(run_cell(server_kernel, "%modelarts train iris/iris_train.py"))
    assert first.endswith("/iris_train/V0001/output/")
    renamed = launched_output(
        run_cell(server_kernel, "%modelarts train iris/iris_train.py --name iris_magic")
    )
    assert renamed.endswith("/iris_magic/V0001/output/")
    # The same name twice is refused; the same file again without a name gets a new job.
    again = run_cell(server_kernel, "%modelarts train iris/iris_train.py --name iris_magic")
    assert again.stderr.startswith("modelarts: DUPLICATE: ")
    assert again.stderr.endswith("(field job_name)\n")
    repeated = launched_output(run_cell(server_kernel, "%modelarts train iris/iris_train.py"))
    assert repeated.endswith("/iris_train-2/V0001/output/")


def test_completion_offers_job_names_specs_and_engines(trained, server_kernel):
    def complete(code: str) -> list[str]:
        return server_kernel.complete(code, len(code), reply=True)["content"]["matches"]

    assert complete("%modelarts logs tr") == ["train"]
    assert "modelarts.vm.cpu.2u" in complete("%modelarts train x.py --spec modelarts.vm.c")
    assert complete("%modelarts train x.py --engine PyT") == ["PyTorch-1.4.0-python3.6"]


LONG_SCRIPT = """import time

for step in range(10_000):
    print(f"step {step}", flush=True)
    time.sleep(0.1)
"""


def test_following_stops_cleanly_on_interrupt_and_stop_ends_the_job(
    server_kernel, server_session, jupyter_server
):
    write_script(jupyter_server, "long.py", LONG_SCRIPT)
    started = run_cell(server_kernel, "%modelarts train jobs/long.py --engine XGBoost-Sklearn")
    assert started.error is None and not started.stderr, started

    msg_id = server_kernel.execute("%modelarts logs long --follow")
    output = collect(server_kernel, msg_id, CellOutput(), until=lambda o: "step 2\n" in o.stdout)
    kernel_id = server_session["kernel"]["id"]
    jupyter_server.request("POST", f"api/kernels/{kernel_id}/interrupt")
    collect(server_kernel, msg_id, output)
    assert output.error is None and not output.stderr, output
    assert output.stdout.startswith("step 0\nstep 1\nstep 2\n")
    assert output.stdout.endswith("[modelarts] stopped following the log; the job goes on\n")

    stopped = run_cell(server_kernel, "%modelarts stop long")
    assert stopped.error is None and not stopped.stderr, stopped
    assert stopped.text().startswith("Stopped long\n")


WORKER_SCRIPT = """import os

print(f"I am worker {os.environ['DLS_TASK_INDEX']} of {os.environ['DLS_TASK_NUMBER']}")
"""


def test_a_two_worker_job_shows_each_workers_log_or_all_of_them(server_kernel, jupyter_server):
    write_script(jupyter_server, "pair.py", WORKER_SCRIPT)
    trained = run_cell(
        server_kernel,
        "%modelarts train jobs/pair.py --engine XGBoost-Sklearn --workers 2 --follow",
    )
    assert trained.error is None and not trained.stderr, trained
    assert "I am worker 0 of 2" in trained.stdout and "worker 1" not in trained.stdout

    second = run_cell(server_kernel, "%modelarts logs pair --worker 1")
    assert "I am worker 1 of 2" in second.stdout and "worker 0" not in second.stdout
    both = run_cell(server_kernel, "%modelarts logs pair --worker all")
    assert "[worker-0] I am worker 0 of 2\n" in both.stdout
    assert "[worker-1] I am worker 1 of 2\n" in both.stdout
    followed = run_cell(server_kernel, "%modelarts logs pair --worker all --follow")
    assert followed.stdout == both.stdout

    missing = run_cell(server_kernel, "%modelarts logs pair --worker 2")
    assert missing.stderr.startswith("modelarts: NO_SUCH_WORKER: a worker index below 2")
    assert missing.stderr.endswith("(field worker)\n")
