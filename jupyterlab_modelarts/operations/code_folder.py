"""What an upload takes from this machine (a training job's code and data folders, a model
folder), the boot script of a job (a notebook becomes a script), and the run parameters its
argparse options suggest.

An upload sends only what the user meant: never a symlink that leads out of the folder, never
hidden files or folders (``.ssh``, ``.env``, ...) unless the user opts in, never the Jupyter and
extension folders holding tokens and keys wherever they are, and in a code folder nothing that
``.gitignore`` and ``.modelartsignore`` leave out.
"""

from __future__ import annotations

import ast
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from .errors import OperationError

#: Files that are never part of a job's code, whatever the ignore files say.
ALWAYS_IGNORED = (".git/", ".ipynb_checkpoints/", "__pycache__/", "*.pyc")
IGNORE_FILES = (".gitignore", ".modelartsignore")
#: Arguments ModelArts passes itself (004 §5.1: --data_url, --train_url): not run parameters.
RESERVED_ARGUMENTS = frozenset({"data_url", "train_url", "log_url", "init_method", "num_gpus"})
NOTEBOOK_SUFFIX = ".ipynb"
#: How many of the files to upload a preview lists.
PREVIEW_FILES = 10


def relative_to_root(root: Path, path: Path) -> str:
    return path.relative_to(root.resolve()).as_posix()


@dataclass
class CodeFolder:
    """The files of a code folder that go to OBS: (path, relative POSIX path, size)."""

    root: Path
    files: list[tuple[Path, str, int]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(size for _path, _relative, size in self.files)

    def summary(self) -> dict[str, Any]:
        """What the dialogs and magics show before an upload."""
        return {
            "files": len(self.files),
            "bytes": self.size,
            "first_files": [relative for _path, relative, _size in self.files[:PREVIEW_FILES]],
            "ignored": len(self.ignored),
            "ignored_examples": self.ignored[:PREVIEW_FILES],
        }


def private_folders() -> tuple[Path, ...]:
    """The Jupyter folders that hold the server's token, cookie secret and this extension's
    keys (its profiles and Local ModelArts' data live in the data folder by default)."""
    from jupyter_core.paths import jupyter_config_dir, jupyter_data_dir, jupyter_runtime_dir

    return tuple(
        Path(folder).resolve()
        for folder in (jupyter_data_dir(), jupyter_runtime_dir(), jupyter_config_dir())
    )


def _hidden(relative: str) -> bool:
    return any(part.startswith(".") for part in relative.rstrip("/").split("/"))


def _ignore_spec(folder: Path) -> pathspec.PathSpec:
    lines = list(ALWAYS_IGNORED)
    for name in IGNORE_FILES:
        ignore_file = folder / name
        if ignore_file.is_file():
            lines.extend(ignore_file.read_text(encoding="utf-8", errors="replace").splitlines())
    return pathspec.GitIgnoreSpec.from_lines(lines)


def scan(
    folder: Path,
    exclude: tuple[Path, ...] = (),
    *,
    include_hidden: bool = False,
    ignore_files: bool = True,
) -> CodeFolder:
    """The files to upload from ``folder``; ``exclude`` are folders not to upload (a data
    folder inside the code folder is uploaded separately; the extension's own folders).
    Symlinks that lead outside the folder are left out (so is every symlinked folder: the walk
    does not follow them), and so are hidden files and folders unless ``include_hidden``, the
    Jupyter folders (:func:`private_folders`), and with ``ignore_files`` what the folder's
    ignore files name."""
    root = folder.resolve()
    spec = _ignore_spec(root) if ignore_files else pathspec.GitIgnoreSpec.from_lines([])
    excluded = {path.resolve() for path in exclude} | set(private_folders())
    code = CodeFolder(root)

    def left_out(relative: str) -> bool:
        return (not include_hidden and _hidden(relative)) or spec.match_file(relative)

    for directory, subdirs, names in os.walk(root):
        here = Path(directory)
        kept = []
        for name in sorted(subdirs):
            path = here / name
            relative = path.relative_to(root).as_posix() + "/"
            if path.is_symlink() or path.resolve() in excluded or left_out(relative):
                code.ignored.append(relative)
            else:
                kept.append(name)
        subdirs[:] = kept
        for name in sorted(names):
            path = here / name
            relative = path.relative_to(root).as_posix()
            target = path.resolve()
            if left_out(relative) or root not in target.parents or not target.is_file():
                code.ignored.append(relative)
                continue
            code.files.append((path, relative, target.stat().st_size))
    code.files.sort(key=lambda entry: entry[1])
    return code


def stage(code: CodeFolder, staging: Path, generated: dict[str, str]) -> None:
    """Lay the files out in ``staging`` for the upload: hard links where the file system
    allows (no copy of large files), plus ``generated`` files (a notebook's script)."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for path, relative, _size in code.files:
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path.resolve(), target)
        except OSError:
            shutil.copy2(path, target)
    for relative, text in generated.items():
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def notebook_to_script(notebook: Path) -> str:
    """The notebook's code cells as a Python script (nbconvert), magics commented out."""
    from nbconvert import PythonExporter

    try:
        script, _resources = PythonExporter().from_filename(str(notebook))
    except Exception as error:  # nbformat raises several unrelated types for a bad file
        raise OperationError(
            "INVALID_NOTEBOOK",
            f"cannot convert the notebook: {error}",
            field="path",
            params={"error": str(error)},
        ) from None
    return str(script)


def boot_script_name(path: Path) -> str:
    """The name the boot file has in the job's code folder."""
    return path.with_suffix(".py").name if path.suffix == NOTEBOOK_SUFFIX else path.name


def script_parameters(source: str) -> list[dict[str, str]]:
    """Run parameters suggested by the script's ``add_argument("--name", default=...)`` calls:
    label, default value as text ('' when none or not a literal) and help."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found: dict[str, dict[str, str]] = {}
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_argument"
        ):
            continue
        names = [
            arg.value
            for arg in node.args
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        ]
        long_names = [name for name in names if name.startswith("--")]
        if not long_names:
            continue
        label = long_names[0][2:].replace("-", "_")
        if label in RESERVED_ARGUMENTS or label in found:
            continue
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        found[label] = {
            "label": long_names[0][2:],
            "value": _literal_text(keywords.get("default")),
            "help": _literal_text(keywords.get("help")),
        }
    return list(found.values())


def _literal_text(node: ast.expr | None) -> str:
    if node is None:
        return ""
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


#: What a script's imports say about its AI engine, the most specific first:
#: (top-level module, framework, the engine_name that runs it).
FRAMEWORKS = (
    ("mindspore", "MindSpore", "MindSpore"),
    ("torch", "PyTorch", "PyTorch"),
    ("tensorflow", "TensorFlow", "TensorFlow"),
    ("keras", "TensorFlow", "TensorFlow"),
    ("xgboost", "XGBoost", "XGBoost-Sklearn"),
    ("sklearn", "scikit-learn", "XGBoost-Sklearn"),
)


def imported_framework(source: str) -> tuple[str, str, str] | None:
    """(module, framework, engine name) of the first framework of ``FRAMEWORKS`` the script
    imports; None when it imports none (or does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module.split(".")[0])
    return next((entry for entry in FRAMEWORKS if entry[0] in modules), None)


def script_source(path: Path) -> str:
    """The Python source of the boot file (a notebook's converted script)."""
    if path.suffix == NOTEBOOK_SUFFIX:
        return notebook_to_script(path)
    return path.read_text(encoding="utf-8", errors="replace")
