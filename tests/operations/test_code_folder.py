"""What goes into a job's code folder, and what the dialog proposes from the script."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from jupyterlab_modelarts.operations import code_folder


def write(root: Path, relative: str, text: str = "x") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_ignore_files_and_the_usual_clutter_are_left_out(tmp_path):
    write(tmp_path, "train.py", "print('hi')\n")
    write(tmp_path, "lib/model.py")
    write(tmp_path, ".gitignore", "*.ckpt\nbuild/\n")
    write(tmp_path, ".modelartsignore", "notes.md\n!keep.ckpt\n")
    for ignored in ("weights.ckpt", "build/out.bin", "notes.md", ".git/HEAD",
                    "__pycache__/train.cpython-311.pyc", ".ipynb_checkpoints/a.ipynb"):  # fmt: skip
        write(tmp_path, ignored)
    write(tmp_path, "keep.ckpt", "12345")

    code = code_folder.scan(tmp_path)

    assert [relative for _path, relative, _size in code.files] == [
        "keep.ckpt", "lib/model.py", "train.py",
    ]  # fmt: skip
    assert code.size == sum(path.stat().st_size for path, _r, _s in code.files)
    assert {"build/", "notes.md", "weights.ckpt", ".git/"} <= set(code.ignored)


def test_a_data_subfolder_and_symlinks_out_of_the_folder_are_not_uploaded(tmp_path):
    project = tmp_path / "project"
    write(project, "train.py")
    write(project, "data/big.csv", "1,2\n")
    write(tmp_path, "secret.txt", "do not upload")
    os.symlink(tmp_path / "secret.txt", project / "secret.txt")
    os.symlink(project / "train.py", project / "alias.py")

    code = code_folder.scan(project, exclude=(project / "data",))

    assert [relative for _p, relative, _s in code.files] == ["alias.py", "train.py"]
    assert "secret.txt" in code.ignored and "data/" in code.ignored


def test_hidden_files_and_the_jupyter_folders_stay_home_unless_asked(tmp_path, monkeypatch):
    """A code folder at HOME holds keys and the server's own secrets: none of them goes."""
    home = tmp_path / "home"
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(home / "jupyter-data"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(home / "jupyter-data" / "runtime"))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(home / "jupyter-config"))
    write(home, "train.py")
    write(home, ".ssh/id_rsa", "PRIVATE KEY")
    write(home, ".env", "TOKEN=1")
    write(home, "pkg/.secret", "x")
    write(home, "jupyter-data/modelarts/credentials.json", "{}")
    write(home, "jupyter-data/runtime/jpserver-1.json", "{}")
    write(home, "jupyter-config/jupyter_server_config.json", "{}")

    code = code_folder.scan(home)
    assert [relative for _p, relative, _s in code.files] == ["train.py"]
    assert {".ssh/", ".env", "pkg/.secret", "jupyter-data/", "jupyter-config/"} <= set(code.ignored)
    summary = code.summary()
    assert (summary["files"], summary["first_files"]) == (1, ["train.py"])

    # Opting in brings the hidden files, never the Jupyter folders.
    opted = code_folder.scan(home, include_hidden=True)
    assert [relative for _p, relative, _s in opted.files] == [
        ".env", ".ssh/id_rsa", "pkg/.secret", "train.py",
    ]  # fmt: skip


def test_a_symlinked_folder_is_not_followed(tmp_path):
    project = tmp_path / "project"
    write(project, "train.py")
    write(tmp_path, "outside/passwd", "root:x:0:0")
    os.symlink(tmp_path / "outside", project / "linked")

    code = code_folder.scan(project)

    assert [relative for _p, relative, _s in code.files] == ["train.py"]
    assert "linked/" in code.ignored


def test_staging_links_the_files_and_adds_the_generated_script(tmp_path):
    project = tmp_path / "project"
    write(project, "train.py", "print(1)\n")
    write(project, "pkg/util.py", "X = 1\n")
    staging = tmp_path / "staging"
    write(staging, "stale.py")  # left from an earlier run: removed

    code_folder.stage(code_folder.scan(project), staging, {"notebook.py": "print(2)\n"})

    files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    assert files == ["notebook.py", "pkg/util.py", "train.py"]
    assert (staging / "notebook.py").read_text() == "print(2)\n"


def test_run_parameters_come_from_the_scripts_argparse_options():
    source = """
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--data_url", required=True)
parser.add_argument("--train_url")
parser.add_argument("--learning-rate", "-l", type=float, default=0.01, help="step size")
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--use_gpu", action="store_true", default=False)
parser.add_argument("--name", default=os.environ.get("NAME"))
parser.add_argument("positional")
"""
    assert code_folder.script_parameters(source) == [
        {"label": "learning-rate", "value": "0.01", "help": "step size"},
        {"label": "epochs", "value": "10", "help": ""},
        {"label": "use_gpu", "value": "false", "help": ""},
        {"label": "name", "value": "", "help": ""},
    ]
    assert code_folder.script_parameters("def broken(:\n") == []


def test_a_notebook_becomes_a_script_of_its_code_cells(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Training"),
        nbformat.v4.new_code_cell(
            "import argparse\np = argparse.ArgumentParser()\np.add_argument('--epochs', default=5)"
        ),
        nbformat.v4.new_code_cell("%matplotlib inline\nprint('trained')"),
    ]
    path = tmp_path / "train.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")

    script = code_folder.script_source(path)

    assert "print('trained')" in script
    assert "# Training" in script
    assert code_folder.boot_script_name(path) == "train.py"
    assert code_folder.script_parameters(script) == [{"label": "epochs", "value": "5", "help": ""}]
    compile(script, "train.py", "exec")  # the magic line is no longer Python syntax


@pytest.mark.parametrize(
    ("source", "framework"),
    [
        ("from sklearn.tree import DecisionTreeClassifier\nimport numpy", "scikit-learn"),
        ("import xgboost as xgb\nfrom sklearn.model_selection import train_test_split", "XGBoost"),
        ("import torch.nn as nn\nimport sklearn", "PyTorch"),
        ("from tensorflow import keras", "TensorFlow"),
        ("import mindspore.nn", "MindSpore"),
        ("import numpy\nprint('no framework')", None),
        ("def broken(:", None),
    ],
)
def test_the_framework_a_script_imports_decides_its_engine(source, framework):
    found = code_folder.imported_framework(source)
    assert (found[1] if found else None) == framework
