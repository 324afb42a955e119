"""R4: schema-driven fuzzing of the extension's REST API from its own OpenAPI document.

Every generated request gets an answer below 500, and every 4xx carries the API's error shape.
``MODELARTS_FUZZ_EXAMPLES`` sets the examples per operation. The default, 100, makes every run of
the test command the soak run: over 8,000 cases here and 4,000 in the Local ModelArts parser
fuzzing beside it (about two minutes together on two cores).
"""

from __future__ import annotations

import os
import re

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from server import jupyter_server

from jupyterlab_modelarts.handlers import openapi_document, routes

EXAMPLES_PER_OPERATION = int(os.environ.get("MODELARTS_FUZZ_EXAMPLES", "100"))
# The event stream never ends: it is covered by the route and event tests instead.
schema = schemathesis.openapi.from_dict(openapi_document()).exclude(path_regex=r"/events$")
CASES: list[int] = []
# A path no route of the extension matches (say, a letter where a route takes only digits) is
# answered by Jupyter Server itself, with its own 404 page.
ROUTE_PATTERNS = [re.compile(pattern) for pattern, _ in routes()]


#: Bodies no generator from the schema makes: nested past any recursion limit, a number past
#: Python's 4,300-digit limit. Every route with a JSON body gets each.
HOSTILE_BODIES = {
    "nested arrays": b"[" * 100_000 + b"]" * 100_000,
    "nested objects": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "5000-digit number": b'{"name": ' + b"9" * 5_000 + b"}",
}


def served_by_the_extension(path: str) -> bool:
    return any(pattern.fullmatch(path) for pattern in ROUTE_PATTERNS)


@pytest.fixture(scope="module")
def server(tmp_path_factory, report):
    with jupyter_server(tmp_path_factory.mktemp("fuzz-home")) as running:
        yield running
    server_errors = sum(1 for status in CASES if status >= 500)
    report(f"R4 REST fuzzing: {len(CASES)} cases, {server_errors} server errors")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_every_error_has_the_error_shape(case, server):
    response = case.call(base_url=server.url, headers=server.headers, timeout=60)
    CASES.append(response.status_code)
    described = (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    )
    assert response.status_code < 500, described
    if response.status_code >= 400 and served_by_the_extension(case.formatted_path):
        error = response.json().get("error", {})
        assert isinstance(error.get("code"), str) and isinstance(error.get("message"), str), (
            described
        )


def test_nested_json_and_huge_numbers_get_a_400_on_every_json_route(server, report):
    document = openapi_document()
    sent = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            url = server.url + re.sub(r"\{[^}]+\}", "1", path)
            for name, body in HOSTILE_BODIES.items():
                response = httpx.request(
                    method.upper(), url, content=body, headers=server.headers, timeout=60
                )
                sent += 1
                assert 400 <= response.status_code < 500, (method, path, name, response.text)
                assert isinstance(response.json()["error"]["code"], str)
    report(f"R4 REST hostile bodies: {sent} requests, all 4xx")
