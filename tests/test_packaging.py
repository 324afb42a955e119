"""Every optional extra installs what its code imports: `pip install -e ".[bench]"` then
`python -m bench` must not stop on a ModuleNotFoundError in a fresh venv."""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# Trees whose modules import each other by top-level name (pythonpath entries, the runtime shims
# Local ModelArts puts on a job's path); none of those names is a third-party distribution.
FIRST_PARTY_TREES = ("jupyterlab_modelarts", "bench", "tests", "ui-tests")

# What each extra's code is: its modules' third-party imports must be declared by that extra or
# by the package's own dependencies.
EXTRA_CODE = {
    "bench": ["bench/*.py"],
    "test": ["tests/**/*.py", "ui-tests/*.py"],
}


def first_party_names() -> set[str]:
    names: set[str] = set()
    for tree in FIRST_PARTY_TREES:
        for module in (ROOT / tree).rglob("*.py"):
            names.add(module.stem)
            names.update(part for part in module.relative_to(ROOT).parent.parts)
    return names


def imported_top_level_names(module: Path) -> set[str]:
    """Top-level names of the absolute imports, also those inside functions (bench imports its
    heavy dependencies lazily)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(), filename=str(module))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@functools.cache
def installed_distributions() -> dict[str, list[str]]:
    return dict(importlib.metadata.packages_distributions())


def distributions_of(import_name: str) -> set[str]:
    """Which distributions provide an import name, as installed here; a distribution that is not
    installed is taken to be named like its import."""
    provided = installed_distributions().get(import_name, [import_name])
    return {canonicalize_name(name) for name in provided}


def declared(extra: str) -> set[str]:
    project = PYPROJECT["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"][extra]]
    return {canonicalize_name(Requirement(text).name) for text in requirements}


def third_party_imports(patterns: list[str]) -> dict[str, list[str]]:
    """Import name -> the modules importing it."""
    local = first_party_names()
    found: dict[str, list[str]] = {}
    for pattern in patterns:
        for module in sorted(ROOT.glob(pattern)):
            for name in imported_top_level_names(module):
                if name not in sys.stdlib_module_names and name not in local:
                    found.setdefault(name, []).append(str(module.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("extra", sorted(EXTRA_CODE))
def test_every_third_party_import_is_declared_by_the_extra(extra):
    imports = third_party_imports(EXTRA_CODE[extra])
    assert imports, "no imports found: the module patterns no longer match the code"
    available = declared(extra)
    undeclared = {
        name: modules
        for name, modules in sorted(imports.items())
        if not distributions_of(name) & available
    }
    assert not undeclared, (
        f"imported but not declared in the {extra!r} extra or the dependencies: {undeclared}"
    )


def test_a_module_importing_an_undeclared_distribution_is_found(tmp_path):
    module = tmp_path / "uses_requests.py"
    module.write_text("def later():\n    from requests.adapters import HTTPAdapter\n")
    assert imported_top_level_names(module) == {"requests"}
    assert not distributions_of("requests") & declared("bench")
