"""Local ModelArts' route table, enumerated from the application itself, with a concrete
sample path for every route: what the R1 and R4 tests send their requests to."""

from __future__ import annotations

import re
from pathlib import Path

from tornado.routing import PathMatches
from tornado.web import RequestHandler

from jupyterlab_modelarts.emulator.app import STATE_FILE, load_modules, make_app
from jupyterlab_modelarts.emulator.auth import AuthScheme
from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.store import Store

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _skip_group(pattern: str, start: int) -> int:
    """Index just past the parenthesised group that opens at ``start``."""
    depth = 0
    for index in range(start, len(pattern)):
        if pattern[index] == "\\":
            continue
        if pattern[index] == "(" and pattern[index - 1] != "\\":
            depth += 1
        elif pattern[index] == ")" and pattern[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                return index + 1
    raise ValueError(pattern)


def sample_path(pattern: str, project_id: str) -> str:
    """A concrete path the route pattern matches: named groups get sample values, optional and
    look-ahead groups are dropped."""
    for filler in ("sample-{}", "0" * 32):
        path = _fill(pattern, project_id, filler)
        if re.fullmatch(pattern.rstrip("$"), path):
            return path
    raise AssertionError(f"no sample path for {pattern}")


def _fill(pattern: str, project_id: str, filler: str) -> str:
    path, index = "", 0
    pattern = pattern.rstrip("$")
    while index < len(pattern):
        if pattern.startswith("(?P<", index):
            name = pattern[index + 4 : pattern.index(">", index)]
            index = _skip_group(pattern, index)
            path += project_id if name == "project_id" else filler.format(name)
        elif pattern.startswith("(?!", index) or pattern.startswith("(?:", index):
            index = _skip_group(pattern, index)
            if index < len(pattern) and pattern[index] == "?":
                index += 1
        elif pattern[index] == "\\":
            path += pattern[index + 1]
            index += 2
        elif pattern[index] == "?":
            path = path[:-1]  # an optional character: leave it out
            index += 1
        else:
            path += pattern[index]
            index += 1
    return path


Route = tuple[str, AuthScheme, list[str]]


def _routes(app) -> list[Route]:
    found = []
    for router in (app.wildcard_router, app.default_router):
        for rule in router.rules:
            handler = rule.target
            if not isinstance(rule.matcher, PathMatches):
                continue
            methods = [
                m for m in HTTP_METHODS if getattr(handler, m) is not getattr(RequestHandler, m)
            ]
            scheme = getattr(handler, "auth_scheme", AuthScheme.NONE)
            found.append((rule.matcher.regex.pattern, scheme, methods))
    return found


def route_table(data_dir: Path, *, guarded_only: bool = True) -> list[Route]:
    """(pattern, auth scheme, methods) of every route (by default: that asks for credentials)."""
    app = make_app(
        EmulatorConfig(), Store(data_dir / STATE_FILE), data_dir=data_dir, modules=load_modules()
    )
    return [r for r in _routes(app) if not guarded_only or r[1] is not AuthScheme.NONE]
