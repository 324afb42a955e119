"""R1 (Local ModelArts): every route, enumerated from its route table, refuses unsigned,
wrongly signed, expired-date and wrong-project requests, and changes nothing when it does."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from emulator_routes import route_table, sample_path

from jupyterlab_modelarts.cloud.signing import Acs3Signer, SdkHmacSigner
from jupyterlab_modelarts.emulator.app import STATE_FILE
from jupyterlab_modelarts.emulator.auth import AuthScheme

OTHER_PROJECT = "f" * 32


def state_fingerprint(local) -> str:
    """Everything Local ModelArts keeps: every row of its database and its object files."""
    digest = hashlib.sha256()
    data_dir = local.config.data_dir
    with sqlite3.connect(data_dir / STATE_FILE) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in sorted(tables):
            rows = db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            if rows:  # tables are created empty on first look-up, by pollers too
                digest.update(f"{table}{rows!r}".encode())
    for path in sorted((data_dir / "obs").rglob("*")) if (data_dir / "obs").exists() else []:
        digest.update(str(path.relative_to(data_dir)).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def routes(tmp_path_factory):
    return route_table(tmp_path_factory.mktemp("routes"))


#: How PAI says a signature is wrong (its documents answer 400, not 401, for these).
PAI_SIGNATURE_CODES = {
    "IncompleteSignature",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId.NotFound",
}


def refused_for_credentials(response: httpx.Response) -> bool:
    """Refused because of who asked (not, say, because the sample body was invalid)."""
    if response.status_code in (401, 403):
        return True
    if response.status_code in (400, 404) and response.headers.get("content-type", "").startswith(
        "application/json"
    ):
        return response.json().get("Code") in PAI_SIGNATURE_CODES
    return False


def refusals(local, routes):
    """(description, refused) of every forged request, sent to every guarded route."""
    config = local.config
    wrong_key = SdkHmacSigner(config.access_key, "not-the-secret-key")
    right_key = SdkHmacSigner(config.access_key, config.secret_key)
    stale = datetime.now(timezone.utc) - timedelta(minutes=20)
    wrong_pai = Acs3Signer(config.pai_access_key, "not-the-pai-secret")
    # No keep-alive: a server may close a connection after refusing an upload it did not read.
    with httpx.Client(timeout=10, limits=httpx.Limits(max_keepalive_connections=0)) as client:
        for pattern, scheme, methods in routes:
            path = sample_path(pattern, config.project_id)
            url = local.base_url + path
            for method in methods:
                body = b"{}" if method in ("post", "put", "patch") else b""
                headers = {"Content-Type": "application/json"}
                forged = {"unsigned": (url, headers)}
                if scheme in (AuthScheme.MODELARTS, AuthScheme.IAM):
                    signed = wrong_key.sign(method.upper(), url, headers, body)
                    forged["wrong signature"] = (signed.url, signed.headers)
                    signed = right_key.sign(method.upper(), url, headers, body, now=stale)
                    forged["expired date"] = (signed.url, signed.headers)
                    if "project_id" in pattern:
                        other = url.replace(config.project_id, OTHER_PROJECT)
                        signed = right_key.sign(method.upper(), other, headers, body)
                        forged["wrong project"] = (signed.url, signed.headers)
                elif scheme is AuthScheme.PAI:
                    signed = wrong_pai.sign(method.upper(), url, headers, body)
                    forged["wrong signature"] = (signed.url, signed.headers)
                elif scheme is AuthScheme.ADMIN:
                    forged["wrong admin key"] = (url, {**headers, "X-Admin-Key": "guess"})
                for kind, (target, sent_headers) in forged.items():
                    response = client.request(
                        method.upper(), target, headers=sent_headers, content=body
                    )
                    yield f"{kind} {method.upper()} {path}", refused_for_credentials(response)


def test_every_guarded_route_refuses_forged_requests_and_changes_nothing(
    modelarts_local, routes, report
):
    assert len(routes) > 50, "the route table was not enumerated"
    before = state_fingerprint(modelarts_local)
    results = list(refusals(modelarts_local, routes))
    accepted = [what for what, refused in results if not refused]
    report(
        f"R1 Local ModelArts: {len(results)} forged requests to {len(routes)} routes, "
        f"{len(results) - len(accepted)} refused"
    )
    assert not accepted, f"not refused for their credentials: {accepted}"
    assert state_fingerprint(modelarts_local) == before


def test_the_sample_paths_reach_their_routes(modelarts_local, routes):
    # Guards the test above: a correctly signed GET of a collection is answered, so the forged
    # requests were refused for their credentials, not for a wrong path.
    config = modelarts_local.config
    signer = SdkHmacSigner(config.access_key, config.secret_key)
    path = sample_path(r"/v1/(?P<project_id>[^/]+)/workspaces$", config.project_id)
    signed = signer.sign(
        "GET", modelarts_local.base_url + path, {"Content-Type": "application/json"}
    )
    assert httpx.get(signed.url, headers=signed.headers).status_code == 200
