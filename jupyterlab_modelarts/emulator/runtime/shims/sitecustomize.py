"""Run at start-up of every job and inference server.

* `from sklearn.externals import joblib`, used by the ModelArts examples, was removed in
  scikit-learn 0.23: alias it to `joblib` (lazily, through a meta path finder: nothing is
  imported until a script asks for the alias).
* When the training runner asks for it (no writable `/cache` on this machine), `/cache` is
  redirected to the job's own scratch folder (moxing.file.redirect_cache).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

_ALIASES = {"sklearn.externals.joblib": "joblib"}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self._target = target

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        return importlib.import_module(self._target)

    def exec_module(self, module: ModuleType) -> None:
        """The target module is already executed."""


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        alias = _ALIASES.get(fullname)
        if alias is None or importlib.util.find_spec(alias) is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(alias))


sys.meta_path.append(_AliasFinder())

if os.environ.get("MODELARTS_LOCAL_CACHE_DIR"):
    from moxing import file as _mox_file

    _mox_file.redirect_cache(os.environ["MODELARTS_LOCAL_CACHE_DIR"])
