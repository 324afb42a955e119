"""R3: every path a user can send (train, deploy, model package, inspect, prefill) is confined
to the server root. `..`, absolute paths, symlinks out of the root and odd unicode are refused
with a field-level error, and nothing reaches Local ModelArts: no object, no job, no model, no
operation."""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from deploy_support import deploy_body, extension, isolated_config, write_iris_package

TRAIN = {"job_name": "confined", "spec_id": 2, "engine_id": 31}

#: Each path field of the REST API: how to send a path through it, and the field an error names.
FIELDS: dict[str, tuple[str, str]] = {
    "training.path": ("training", "path"),
    "training.code_folder": ("training", "code_folder"),
    "training.boot_file": ("training", "boot_file"),
    "training.data.local_path": ("training", "data.local_path"),
    "prefill.path": ("prefill", "path"),
    "deployments.path": ("deploy", "path"),
    "deployments/inspect.path": ("inspect", "path"),
    "model-packages.path": ("package", "path"),
}
#: Fields that may be left empty (the launch then uses the file's folder, the file itself, no data).
OPTIONAL = {"training.code_folder", "training.boot_file", "training.data.local_path"}

NFC_NAME = unicodedata.normalize("NFC", "café")
#: Paths no caller may use; the first ones escape the root, the others are odd unicode that
#: must be refused with a clear error rather than crash the handler or match another file.
BAD_PATHS = {
    "dot-dot": "../outside/{file}",
    "dot-dot-inside": "ok/../../outside/{file}",
    "backslash-dot-dot": "..\\outside\\{file}",
    "absolute": "{outside}/{file}",
    "symlink-out": "link/{file}",
    "nul-byte": "ok/\x00{file}",
    "lone-surrogate": "ok/\ud800{file}",
    "fullwidth-dots": "\uff0e\uff0e/outside/{file}",
    "one-dot-leaders": "\u2025/outside/{file}",
    "right-to-left-override": "ok/\u202e{file}",
    "decomposed-unicode": unicodedata.normalize("NFD", NFC_NAME) + "/{file}",
    "name-too-long": "ok/" + "\u00e9" * 200 + "/{file}",
    "newline": "ok/\n{file}",
    "empty": "",
}


def request(kind: str, field: str, value: str) -> tuple[str, tuple[str, ...], Any, dict]:
    """(method, route parts, body, query) that send ``value`` as ``field``."""
    if kind == "training":
        body: dict[str, Any] = {**TRAIN, "path": "ok/train.py"}
        if field == "data.local_path":
            body["data"] = {"local_path": value}
        else:
            body[field] = value
        return "POST", ("training", "jobs"), body, {}
    if kind == "prefill":
        return "GET", ("training", "prefill"), None, {"path": value}
    if kind == "deploy":
        return "POST", ("deployments",), deploy_body(value, "iris"), {}
    route = ("deployments", "inspect") if kind == "inspect" else ("model-packages",)
    return "POST", route, {"path": value}, {}


def path_for(field: str, template: str, outside: Path) -> str:
    # A code folder and a data folder are folders; the other fields name a file.
    file = {
        "training.code_folder": "",
        "training.data.local_path": "",
        "training.boot_file": "train.py",
        "deployments.path": "",
        "deployments/inspect.path": "",
    }.get(field, "train.py" if field.startswith(("training", "prefill")) else "model/iris.m")
    return template.format(file=file, outside=outside).rstrip("/") or template


@pytest.fixture
def modelarts_config(tmp_path):
    return isolated_config(tmp_path)


@pytest.fixture
def tree(jp_root_dir, tmp_path):
    """A root with good code and a model package, and the same outside it, linked in."""
    outside = tmp_path / "outside"
    for folder in (jp_root_dir / "ok", outside, jp_root_dir / NFC_NAME):
        folder.mkdir(parents=True)
        (folder / "train.py").write_text("print('trained')\n")
        write_iris_package(folder)
    os.symlink(outside, jp_root_dir / "link")
    return outside


async def test_every_path_field_refuses_escapes_and_odd_unicode_and_sends_nothing(
    api, jp_serverapp, tree, report
):
    refusals: Counter[str] = Counter()
    for name, (kind, field) in FIELDS.items():
        for case, template in BAD_PATHS.items():
            value = path_for(name, template, tree)
            method, route, body, query = request(kind, field, value)
            if kind == "prefill" and "\ud800" in value:
                continue  # a query string is UTF-8: a lone surrogate cannot be sent in one
            if not value and name in OPTIONAL:
                continue
            code, answer = await api(method, *route, body=body, **query)
            where = f"{name} = {value!r} ({case})"
            assert 400 <= code < 500, f"{where}: {code} {answer}"
            error = answer["error"]
            assert error["field"] == field, f"{where}: {error}"
            assert error["message"].strip(), where
            refusals[case] += 1
    local = await extension(jp_serverapp).local_modelarts()
    assert local.ctx.obs.list_buckets() == []
    assert (await api("GET", "training", "jobs"))[1]["jobs"] == []
    assert (await api("GET", "models"))[1]["models"] == []
    assert (await api("GET", "operations"))[1]["operations"] == []
    report(
        f"R3: {sum(refusals.values())} path requests over {len(FIELDS)} fields refused with a"
        f" field error; 0 objects, jobs, models or operations created; per case: {dict(refusals)}"
    )


async def test_the_same_paths_spelt_right_are_accepted(api, tree):
    """The negative control: the refusals above come from the paths, not from the bodies."""
    code, answer = await api("GET", "training", "prefill", path="ok/train.py")
    assert code == 200, answer
    code, answer = await api("GET", "training", "prefill", path=f"{NFC_NAME}/train.py")
    assert code == 200, answer
    code, answer = await api("POST", "deployments", "inspect", body={"path": "ok"})
    assert code == 200, answer
