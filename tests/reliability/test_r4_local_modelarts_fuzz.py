"""R4 (Local ModelArts): property-based fuzzing of its request parsers. Every route of its route
table (ModelArts, IAM, PAI, admin; correctly signed, so the parsers are what is reached) gets
generated path ids, query strings and bodies: JSON built from the API's own field names, JSON of
the wrong types, and bytes that are no JSON at all. Every answer is below 500 and every error
carries its API family's error shape.

``MODELARTS_FUZZ_EXAMPLES`` scales the number of cases with the REST fuzzing's: this test sends
FUZZ_CASES_PER_EXAMPLE cases per example the REST test draws for each operation.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from urllib.parse import quote, urlencode

import httpx
import pytest
from emulator_routes import route_table, sample_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from jupyterlab_modelarts.cloud.schemas import (
    devenv,
    iam,
    models,
    notebooks,
    pai,
    services,
    training,
    workspaces,
)
from jupyterlab_modelarts.cloud.signing import Acs3Signer, SdkHmacSigner
from jupyterlab_modelarts.emulator.auth import AuthScheme

FUZZ_CASES_PER_EXAMPLE = 40
CASES = int(os.environ.get("MODELARTS_FUZZ_EXAMPLES", "100")) * FUZZ_CASES_PER_EXAMPLE
FUZZED_SCHEMES = (AuthScheme.NONE, AuthScheme.MODELARTS, AuthScheme.IAM, AuthScheme.PAI,
                  AuthScheme.ADMIN)  # fmt: skip
ANSWERS: Counter[int] = Counter()


def field_names() -> list[str]:
    """Every field name of every request and response model the client knows: the names the
    parsers look for, so generated bodies reach their validation rather than stop at the top."""
    names: set[str] = set()
    for module in (devenv, iam, models, notebooks, pai, services, training, workspaces):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel):
                for name, info in value.model_fields.items():
                    names.update({name, info.alias or name})
    return sorted(names)


NAMES = field_names()
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=12,
)
bodies = (
    st.dictionaries(st.sampled_from(NAMES), json_values, max_size=8).map(
        lambda d: json.dumps(d).encode()
    )
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=200)
    # Nested past any recursion limit, and numbers past Python's 4,300-digit limit.
    | st.tuples(st.sampled_from([b"[", b'{"a":']), st.integers(1_000, 50_000)).map(
        lambda opened: opened[0] * opened[1] + (b"]" if opened[0] == b"[" else b"}") * opened[1]
    )
    | st.integers(4_000, 6_000).map(lambda digits: b'{"limit": ' + b"9" * digits + b"}")
)
huge_digits = st.integers(19, 5_000).map(lambda digits: "9" * digits)
ids = (
    st.text(min_size=1, max_size=40)
    | st.integers(-5, 10**20).map(str)
    | huge_digits
    | st.sampled_from(["²", "١٢"])
)
queries = st.dictionaries(st.sampled_from(NAMES) | st.text(min_size=1, max_size=8),
                          st.text(max_size=20) | st.integers().map(str) | huge_digits,
                          max_size=4)  # fmt: skip


@pytest.fixture(scope="module")
def routes(tmp_path_factory):
    table = route_table(tmp_path_factory.mktemp("fuzz-routes"), guarded_only=False)
    return [
        (pattern, scheme, method)
        for pattern, scheme, methods in table
        if scheme in FUZZED_SCHEMES
        for method in methods
    ]


def has_error_shape(body: object) -> bool:
    """One of the documented families: ModelArts ({error_code, error_msg | error_message}),
    IAM ({"error": {code, message}}) or PAI ({Code, Message})."""
    if not isinstance(body, dict):
        return False
    if isinstance(body.get("error_code"), str):
        return isinstance(body.get("error_msg", body.get("error_message")), str)
    if isinstance(body.get("error"), dict):
        return isinstance(body["error"].get("message"), str)
    return isinstance(body.get("Code"), str) and isinstance(body.get("Message"), str)


def test_parsers_answer_every_generated_request_without_a_server_error(
    modelarts_local_session, routes, report
):
    local = modelarts_local_session
    config = local.config
    modelarts = SdkHmacSigner(config.access_key, config.secret_key)
    pai_signer = Acs3Signer(config.pai_access_key, config.pai_secret)

    with httpx.Client(timeout=30) as client:

        @given(data=st.data())
        @settings(max_examples=CASES, deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def one_request(data):
            pattern, scheme, method = data.draw(st.sampled_from(routes))
            path = re.sub(
                r"sample-\w+",
                lambda _: quote(data.draw(ids), safe=""),
                sample_path(pattern, config.project_id),
            )
            query = data.draw(queries)
            url = local.base_url + path + ("?" + urlencode(query) if query else "")
            body = data.draw(bodies) if method in ("post", "put", "patch") else b""
            headers = {"Content-Type": "application/json"}
            if scheme in (AuthScheme.MODELARTS, AuthScheme.IAM):
                signed = modelarts.sign(method.upper(), url, headers, body)
                url, headers = signed.url, dict(signed.headers)
            elif scheme is AuthScheme.PAI:
                signed = pai_signer.sign(method.upper(), url, headers, body)
                url, headers = signed.url, dict(signed.headers)
            elif scheme is AuthScheme.ADMIN:
                headers["X-Admin-Key"] = config.admin_key
            response = client.request(method.upper(), url, headers=headers, content=body)
            ANSWERS[response.status_code] += 1
            described = f"{method.upper()} {url} {body[:200]!r} -> {response.status_code}"
            assert response.status_code < 500, f"{described}: {response.text[:300]}"
            if response.status_code >= 400:
                assert has_error_shape(response.json()), f"{described}: {response.text[:300]}"

        one_request()
    report(
        f"R4 Local ModelArts parser fuzzing: {sum(ANSWERS.values())} cases over {len(routes)}"
        f" route methods, {sum(n for code, n in ANSWERS.items() if code >= 500)} server errors;"
        f" answers by status: {dict(sorted(ANSWERS.items()))}"
    )
