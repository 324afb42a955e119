"""The extension's routes as the running server registered them (not a hand-kept list)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tornado.routing import PathMatches, Router, Rule
from tornado.web import RequestHandler

from jupyterlab_modelarts.handlers import ModelArtsHandler

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    pattern: str
    handler: type[RequestHandler]

    @property
    def methods(self) -> list[str]:
        return [
            m for m in HTTP_METHODS if getattr(self.handler, m) is not getattr(RequestHandler, m)
        ]

    def openapi_path(self, base_url: str) -> str:
        """The pattern as an OpenAPI path template: `(?P<name>...)` becomes `{name}`."""
        path = self.pattern.rstrip("$")
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
        return "/" + path[len(base_url) :]

    def sample_path(self, base_url: str) -> str:
        """A path this route matches: each named group gets a sample value that fits it."""

        def sample(group: re.Match[str]) -> str:
            pattern = group[2]
            for candidate in ("sample-id", "1", "0" * 32, *pattern.split("|")):
                if re.fullmatch(pattern, candidate):
                    return candidate
            raise AssertionError(f"no sample value for {group[0]} in {self.pattern}")

        path = re.sub(r"\(\?P<(\w+)>([^)]*)\)", sample, self.pattern.rstrip("$"))
        return "/" + path[len(base_url) :]


def _rules(router: Router) -> Iterator[Rule]:
    for rule in getattr(router, "rules", []):
        if isinstance(rule.target, Router):
            yield from _rules(rule.target)
        else:
            yield rule


def extension_routes(web_app, base_url: str) -> list[Route]:
    """Every route served under `<base_url>modelarts/` or by one of the extension's handlers."""
    routes = []
    for router in (web_app.default_router, web_app.wildcard_router):
        for rule in _rules(router):
            if not isinstance(rule.matcher, PathMatches):
                continue
            pattern = rule.matcher.regex.pattern
            handler = rule.target
            ours = isinstance(handler, type) and issubclass(handler, ModelArtsHandler)
            if ours or pattern.startswith(f"{base_url}modelarts"):
                routes.append(Route(pattern, handler))
    return routes
