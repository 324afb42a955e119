"""The account subcommands, the help, errors and completion, in kernels with and without a
Jupyter server."""

from __future__ import annotations

import json

from conftest import SCRIPT, run_cell


def test_status_goes_through_the_server_and_shows_no_secret(server_kernel, jupyter_server):
    output = run_cell(server_kernel, "%modelarts status")
    assert output.error is None and not output.stderr
    html = output.html()
    assert "Local ModelArts" in html
    assert f"Jupyter server {jupyter_server.url}" in html
    assert "<td style='text-align:left'>ok</td>" in html
    assert jupyter_server.token not in html + output.text()
    # The kernel never looked for credentials: it has not even loaded the credential chain.
    loaded = run_cell(
        server_kernel,
        "import sys; print([m for m in sys.modules if m.startswith('jupyterlab_modelarts.')])",
    ).stdout
    assert "jupyterlab_modelarts.magics.rest" in loaded
    assert "jupyterlab_modelarts.accounts.chain" not in loaded
    assert "jupyterlab_modelarts.operations.accounts" not in loaded


def test_result_is_a_python_object(server_kernel):
    output = run_cell(
        server_kernel,
        "spaces = %modelarts workspaces\nprint(type(spaces).__name__, [w['id'] for w in spaces])",
    )
    assert output.stdout.strip() == "Listing ['0']"
    assert output.bundles == []


def test_listing_has_a_plain_text_fallback(server_kernel):
    output = run_cell(server_kernel, "%modelarts workspaces")
    lines = output.text().splitlines()
    assert lines[0] == "Workspaces (1)"
    assert lines[1].split() == ["ID", "Name", "Status", "Owner", "Auth", "Created"]
    assert lines[3].split()[:3] == ["0", "default", "NORMAL"]


def test_profile_lists_and_marks_the_active_one(server_kernel):
    output = run_cell(server_kernel, "%modelarts profile")
    assert output.error is None and not output.stderr
    row = next(line for line in output.text().splitlines() if " local " in f" {line} ")
    assert row.split()[:3] == ["*", "local", "local"]


def test_unknown_profile_is_one_line_with_the_field(server_kernel):
    output = run_cell(server_kernel, "%modelarts profile nosuch")
    assert output.error is None
    assert output.stderr == "modelarts: NO_SUCH_PROFILE: no profile named 'nosuch' (field name)\n"


def test_upstream_error_names_the_upstream_code_and_request_id(server_kernel):
    output = run_cell(server_kernel, "%modelarts workspaces --use does-not-exist")
    assert output.error is None
    line = output.stderr.strip()
    assert "\n" not in line
    assert line.startswith("modelarts: NOT_FOUND: ")
    assert "request id " in line and "[upstream ModelArts." in line


def test_debug_shows_the_traceback(server_kernel):
    output = run_cell(server_kernel, "%modelarts profile nosuch --debug")
    assert output.error is not None
    assert output.error["ename"] == "MagicError"


def test_help_lists_every_subcommand_and_each_has_its_own(server_kernel):
    overview = run_cell(server_kernel, "%modelarts help").stdout
    for name in ("status", "profile", "workspaces", "operations", "wait"):
        assert f"\n{name} " in overview
    own = run_cell(server_kernel, "%modelarts workspaces --help").stdout
    assert own.startswith("usage: %modelarts workspaces [-h] [--use ID]")


def test_usage_errors_point_at_the_help(server_kernel):
    output = run_cell(server_kernel, "%modelarts workspaces --nope")
    assert output.stderr == (
        "modelarts: USAGE: unrecognized arguments: --nope (see %modelarts workspaces --help)\n"
    )
    cell = run_cell(server_kernel, "%%modelarts workspaces\nsomething")
    assert cell.stderr == "modelarts: USAGE: %%modelarts workspaces takes no cell: use %modelarts\n"
    unknown = run_cell(server_kernel, "%modelarts fly")
    assert unknown.stderr == "modelarts: USAGE: no subcommand 'fly'; %modelarts help lists them\n"


def complete(client, code: str) -> list[str]:
    reply = client.complete(code, len(code), reply=True, timeout=30)
    return reply["content"]["matches"]


def test_completion_of_subcommands_options_and_values(server_kernel):
    assert "workspaces" in complete(server_kernel, "%modelarts wor")
    assert complete(server_kernel, "%modelarts workspaces --u") == ["--use"]
    # IPython lets Jedi add its own (Python keywords) after a space.
    assert "0" in complete(server_kernel, "%modelarts workspaces --use ")
    assert "local" in complete(server_kernel, "%modelarts profile lo")


def test_without_a_server_the_same_magics_run_in_process(plain_kernel):
    output = run_cell(plain_kernel, "%modelarts status")
    assert output.error is None and not output.stderr, output
    html = output.html()
    assert "this process (no Jupyter server found)" in html
    assert "<td style='text-align:left'>ok</td>" in html
    listed = run_cell(
        plain_kernel, "import json\nspaces = %modelarts workspaces\nprint(json.dumps(spaces))"
    )
    assert json.loads(listed.stdout)[0]["id"] == "0"


def test_without_a_server_training_runs_and_its_log_is_followed(plain_kernel):
    run_cell(plain_kernel, "import os\nos.makedirs('job', exist_ok=True)")
    run_cell(plain_kernel, f"open('job/train.py', 'w').write({SCRIPT!r})")
    output = run_cell(
        plain_kernel,
        "%modelarts train job/train.py --engine XGBoost-Sklearn --follow -- --epochs 2",
    )
    assert output.error is None and not output.stderr, output
    assert "epoch 0 loss 1.000\nepoch 1 loss 0.500\ntraining finished\n" in output.stdout
    assert "Status      completed" in output.bundles[-1]["text/plain"]
