"""Run at start-up of every job and inference server.

* `from sklearn.externals import joblib`, used by the ModelArts examples, was removed in
  scikit-learn 0.23: alias it to `joblib` (lazily, through a meta path finder: nothing is
  imported until a script asks for the alias).
* When the training runner asks for it (no writable `/cache` on this machine), `/cache` is
  redirected to the job's own scratch folder (moxing.file.redirect_cache).
"""

from __future__ import annotations

import os
import sys

# Not typing.TYPE_CHECKING: importing typing is itself a cost this module avoids.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

# Every job and inference server pays for what this module imports before its own first line:
# nothing beyond what Python itself has loaded, until a script asks for an alias
# (importlib.abc alone pulls in importlib.resources, pathlib, tempfile and urllib).
_ALIASES = {"sklearn.externals.joblib": "joblib"}


class _AliasLoader:
    def __init__(self, target: str) -> None:
        self._target = target

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        import importlib

        return importlib.import_module(self._target)

    def exec_module(self, module: ModuleType) -> None:
        """The target module is already executed."""


class _AliasFinder:
    """A meta path finder (the protocol needs only ``find_spec``)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        alias = _ALIASES.get(fullname)
        if alias is None:
            return None
        import importlib.util

        if importlib.util.find_spec(alias) is None:
            return None
        # The import system calls create_module and exec_module only; typeshed's loader
        # protocol still asks for the deprecated load_module that importlib.abc.Loader adds.
        return importlib.util.spec_from_loader(fullname, _AliasLoader(alias))  # type: ignore[arg-type]


sys.meta_path.append(_AliasFinder())

if os.environ.get("MODELARTS_LOCAL_CACHE_DIR"):
    from moxing import file as _mox_file

    _mox_file.redirect_cache(os.environ["MODELARTS_LOCAL_CACHE_DIR"])
