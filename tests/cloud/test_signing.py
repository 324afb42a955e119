"""Our SDK-HMAC-SHA256 and ACS3-HMAC-SHA256 signers against the official SDKs' own signers."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from alibabacloud_tea_openapi.utils import Utils as AlibabaUtils
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyterlab_modelarts.cloud.signing import (
    Acs3Signer,
    SdkHmacSigner,
    acs3_string_to_sign,
    parse_acs3_authorization,
    parse_query,
    parse_sdk_authorization,
    sdk_canonical_query,
    sdk_canonical_uri,
    sdk_string_to_sign,
)

AK, SK = "HPUAFAKEAK0000000001", "fake-secret-key-0000000000000000000000000"
NOW = datetime(2026, 11, 23, 0, 44, 22, tzinfo=timezone.utc)
HOST = "127.0.0.1:39191"

segment = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 -_.~%/+=&?#@!*'()中文é")), min_size=1, max_size=8
)
paths = st.lists(segment, min_size=1, max_size=4).map(
    lambda segments: "/" + "/".join(quote(s, safe="") for s in segments)
)
query_text = st.text(alphabet=st.sampled_from(list("ab1 +=&%/~中")), max_size=5)
queries = st.lists(
    st.tuples(st.text(alphabet="abk_", min_size=1, max_size=3), query_text), max_size=5
)
bodies = st.one_of(
    st.just(b""),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3).map(
        lambda d: json.dumps(d, ensure_ascii=False).encode()
    ),
    st.binary(max_size=64),
)
content_types = st.sampled_from(["application/json", "application/octet-stream", "text/plain"])


def _url(path: str, pairs: list[tuple[str, str]]) -> str:
    query = "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in pairs)
    return f"http://{HOST}{path}" + (f"?{query}" if query else "")


def _official_sdk_authorization(
    method: str, path: str, pairs: list[tuple[str, str]], headers: dict[str, str], body: bytes
) -> str:
    request = SdkRequest(
        method=method,
        schema="http",
        host=HOST,
        resource_path=path,
        query_params=list(pairs),
        header_params=dict(headers),
        body=body,
    )
    Signer(BasicCredentials(AK, SK)).sign(request)
    return request.header_params["Authorization"]


@settings(max_examples=300, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    path=paths,
    pairs=queries,
    body=bodies,
    content_type=content_types,
)
def test_sdk_signature_matches_huaweicloudsdkcore(method, path, pairs, body, content_type):
    headers = {"Content-Type": content_type, "X-Project-Id": "0123456789abcdef0123456789abcdef"}
    signed = SdkHmacSigner(AK, SK).sign(method, _url(path, pairs), headers, body, now=NOW)

    official_headers = {
        **headers,
        "X-Sdk-Date": signed.headers["X-Sdk-Date"],
        "Host": HOST,
    }
    expected = _official_sdk_authorization(method, path, pairs, official_headers, body)

    assert signed.headers["Authorization"] == expected
    # What goes on the wire is the canonical query string, which a verifier re-reads unchanged.
    wire_query = urlsplit(signed.url).query
    assert wire_query == sdk_canonical_query(pairs)
    assert sorted(parse_query(wire_query)) == sorted(pairs)


@settings(max_examples=100, deadline=None)
@given(path=paths, pairs=queries, body=bodies, content_type=content_types)
def test_verifier_recomputes_the_signature_from_the_raw_request(path, pairs, body, content_type):
    signer = SdkHmacSigner(AK, SK)
    signed = signer.sign("POST", _url(path, pairs), {"Content-Type": content_type}, body, now=NOW)
    auth = parse_sdk_authorization(signed.headers["Authorization"])
    assert auth is not None and auth.access_key == AK
    lowered = {k.lower(): v for k, v in signed.headers.items()}
    parts = urlsplit(signed.url)
    to_sign = sdk_string_to_sign(
        "POST",
        parts.path,
        parse_query(parts.query),
        lowered,
        auth.signed_headers,
        body,
        lowered["x-sdk-date"],
    )
    assert signer.signature(to_sign) == auth.signature
    tampered = sdk_string_to_sign(
        "POST",
        parts.path + "x",
        parse_query(parts.query),
        lowered,
        auth.signed_headers,
        body,
        lowered["x-sdk-date"],
    )
    assert signer.signature(tampered) != auth.signature


def test_non_json_bodies_are_unsigned_payload_but_empty_bodies_hash_empty():
    signer = SdkHmacSigner(AK, SK)
    upload = signer.sign(
        "PUT", f"http://{HOST}/f", {"Content-Type": "application/zip"}, b"zip", now=NOW
    )
    assert upload.headers["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert "x-sdk-content-sha256" in upload.headers["Authorization"]
    assert upload.headers["Authorization"] == _official_sdk_authorization(
        "PUT",
        "/f",
        [],
        {"Content-Type": "application/zip", "X-Sdk-Date": "20261123T004422Z", "Host": HOST},
        b"zip",
    )


def test_canonical_uri_decodes_once_and_always_ends_with_a_slash():
    assert sdk_canonical_uri("/v1/a%20b/c%2Fd") == "/v1/a%20b/c/d/"
    assert sdk_canonical_uri("/v1/100%25/") == "/v1/100%25/"
    assert sdk_canonical_uri("/v1/%E4%B8%AD") == "/v1/%E4%B8%AD/"
    assert sdk_canonical_uri("/") == "/"


def test_both_authorization_forms_parse():
    access = parse_sdk_authorization(
        "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=ABCDEF01"
    )
    credential = parse_sdk_authorization(
        "SDK-HMAC-SHA256 Credential=AK1/20150907//ec2/sdk_request, "
        "SignedHeaders=host;x-sdk-date, Signature=abcdef01"
    )
    assert access == credential
    assert access is not None and access.signed_headers == ("host", "x-sdk-date")
    assert parse_sdk_authorization("AWS AK1:c2ln") is None


def test_security_token_is_signed():
    signed = SdkHmacSigner(AK, SK, security_token="tmp-token").sign(
        "GET", f"http://{HOST}/v1/p/x", {}, b"", now=NOW
    )
    assert signed.headers["X-Security-Token"] == "tmp-token"
    assert "x-security-token" in signed.headers["Authorization"]


acs3_values = st.text(alphabet=st.sampled_from(list("ab1 +=&%/~:中")), max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    path=paths,
    query=st.dictionaries(
        st.text(alphabet="ABCabc", min_size=1, max_size=4), acs3_values, max_size=4
    ),
    body=bodies,
)
def test_acs3_signature_matches_alibabacloud_tea_openapi(method, path, query, body):
    url = f"http://{HOST}{path}"
    if query:
        url += "?" + "&".join(f"{k}={quote(v, safe='~')}" for k, v in query.items())
    headers = {
        "x-acs-action": "ListInstances",
        "x-acs-version": "2022-01-01",
        "user-agent": "AlibabaCloud (test)",
        "accept": "application/json",
    }
    signed = Acs3Signer(AK, SK).sign(method, url, headers, body, now=NOW)

    unsigned = {k: v for k, v in signed.headers.items() if k != "Authorization"}
    request = SimpleNamespace(method=method, pathname=path, query=dict(query), headers=unsigned)
    payload = hashlib.sha256(body).hexdigest()
    expected = AlibabaUtils.get_authorization(request, "ACS3-HMAC-SHA256", payload, AK, SK)
    assert signed.headers["Authorization"] == expected

    auth = parse_acs3_authorization(signed.headers["Authorization"])
    assert auth is not None and auth.access_key == AK
    parts = urlsplit(signed.url)
    to_sign = acs3_string_to_sign(
        method,
        parts.path,
        parse_query(parts.query, plus_is_space=True),
        {k: (v,) for k, v in unsigned.items()},
        auth.signed_headers,
        payload,
    )
    assert Acs3Signer(AK, SK).signature(to_sign) == auth.signature
