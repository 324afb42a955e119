"""Notebook instances from a cell: create, list, stop, start, open, delete."""

from __future__ import annotations

import json
import time

from conftest import run_cell

DEADLINE_SECONDS = 30


def statuses(kernel) -> dict[str, str]:
    listed = run_cell(
        kernel,
        "import json\ninstances = %modelarts notebooks\n"
        "print(json.dumps({i['name']: i['status'] for i in instances}))",
    )
    assert not listed.stderr, listed
    return json.loads(listed.stdout)


def wait_for_status(kernel, name: str, wanted: set[str]) -> str:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while (status := statuses(kernel).get(name, "")) not in wanted:
        assert time.monotonic() < deadline, f"{name} stayed {status!r}"
        time.sleep(0.2)
    return status


def test_an_instance_from_create_to_delete(server_kernel):
    created = run_cell(server_kernel, "%modelarts notebooks create nb-magic --auto-stop 2")
    assert created.error is None and not created.stderr, created
    shown = created.text()
    assert shown.startswith("Created nb-magic\n")
    assert "Auto stop  after 2 h" in shown
    wait_for_status(server_kernel, "nb-magic", {"RUNNING"})

    opened = run_cell(server_kernel, "%modelarts notebooks open nb-magic").html()
    assert opened.startswith("<a href='http://127.0.0.1:") and ">Open nb-magic</a>" in opened

    stopped = run_cell(server_kernel, "%modelarts notebooks stop nb-magic")
    assert stopped.text().startswith("Stop nb-magic\n")
    wait_for_status(server_kernel, "nb-magic", {"STOPPED"})
    refused = run_cell(server_kernel, "%modelarts notebooks open nb-magic")
    assert refused.stderr.startswith("modelarts: NOT_RUNNING: nb-magic is STOPPED")
    run_cell(server_kernel, "%modelarts notebooks start nb-magic")
    wait_for_status(server_kernel, "nb-magic", {"RUNNING"})

    refused = run_cell(server_kernel, "%modelarts notebooks delete nb-magic")
    assert refused.error is None
    assert refused.stderr.startswith("modelarts: CONFLICT: Stop the instance before deleting it.")
    assert "[upstream ModelArts.6304, request id " in refused.stderr
    run_cell(server_kernel, "%modelarts notebooks stop nb-magic")
    wait_for_status(server_kernel, "nb-magic", {"STOPPED"})
    deleted = run_cell(server_kernel, "%modelarts notebooks delete nb-magic")
    assert deleted.stdout == "deleted nb-magic\n", deleted.stderr
    deadline = time.monotonic() + DEADLINE_SECONDS
    while "nb-magic" in statuses(server_kernel):
        assert time.monotonic() < deadline, "nb-magic is still listed"
        time.sleep(0.2)


def test_completion_of_actions_and_instance_names(server_kernel):
    run_cell(server_kernel, "%modelarts notebooks create nb-complete")

    def complete(code: str) -> list[str]:
        return server_kernel.complete(code, len(code), reply=True)["content"]["matches"]

    assert complete("%modelarts notebooks st") == ["start", "stop"]
    # IPython completes the token after '-' and lets Jedi add Python names to it.
    assert "nb-complete" in complete("%modelarts notebooks stop nb-c")
    assert {"--api", "--auto-stop"} <= set(complete("%modelarts notebooks create x --a"))
