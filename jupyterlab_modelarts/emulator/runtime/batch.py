"""Batch inference: every input file (or CSV row) of `src_path` sent to a model's inference
server, every answer written under `dest_path`.

`mapping_type=file`: one multipart request per file, the file in the model's one `file` input.
`mapping_type=csv`: one JSON request per CSV row, built from `mapping_rule` (the model's input
schema where each leaf carries the `index` of its CSV column; `-1` or an index past the row
ignores the leaf). Answers go to `<dest>/<input name>.result` (JSON); a request that fails
writes its error there and counts as failed.
"""

from __future__ import annotations

import csv
import http.client
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import obs_urls

REQUEST_TIMEOUT_SECONDS = 60.0
_CASTS: dict[str, Callable[[str], Any]] = {
    "number": float,
    "integer": int,
    "boolean": lambda text: text.strip().lower() in ("1", "true", "yes"),
    "string": str,
}


#: A leaf of the mapping rule that takes no CSV column.
_SKIP = object()


@dataclass(frozen=True)
class BatchOutcome:
    requests: int
    failed: int


def input_files(obs_root: Path, src_path: str, manifest: bool) -> list[Path]:
    """The files of a batch: everything under `src_path`, or the `source` of every line of the
    manifest file `src_path`."""
    source = obs_urls.resolve(obs_root, src_path)
    if manifest:
        files = []
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.strip():
                files.append(obs_urls.resolve(obs_root, json.loads(line)["source"]))
        return files
    if source.is_file():
        return [source]
    return sorted(path for path in source.rglob("*") if path.is_file())


def file_input_name(apis: list[dict[str, Any]], req_uri: str) -> str | None:
    """The name of the one `file` input of the model API at `req_uri`, if it has exactly one."""
    for api in apis:
        if api.get("url", "/") != req_uri:
            continue
        request = api.get("request") or {}
        schema = request.get("data") or api.get("input_params") or {}
        names = [
            name
            for name, prop in (schema.get("properties") or {}).items()
            if isinstance(prop, dict) and prop.get("type") == "file"
        ]
        return names[0] if len(names) == 1 else None
    return None


def request_for_row(rule: dict[str, Any], row: list[str]) -> Any:
    """The request body that `mapping_rule` describes for one CSV row."""
    kind = rule.get("type")
    if kind == "object":
        body = {}
        for name, child in (rule.get("properties") or {}).items():
            value = request_for_row(child, row)
            if value is not _SKIP:
                body[name] = value
        return body
    if kind == "array":
        items = rule.get("items") or []
        item = items[0] if isinstance(items, list) and items else items
        return [request_for_row(item, row)] if isinstance(item, dict) else []
    index = rule.get("index", -1)
    if not isinstance(index, int) or not 0 <= index < len(row):
        return _SKIP
    return _CASTS.get(str(kind), str)(row[index])


def run_batch(
    url: str,
    headers: dict[str, str],
    files: list[Path],
    dest: Path,
    *,
    mapping_type: str,
    mapping_rule: dict[str, Any] | None,
    file_field: str | None,
) -> BatchOutcome:
    dest.mkdir(parents=True, exist_ok=True)
    requests = failed = 0
    for path in files:
        for name, body, content_type in _requests(path, mapping_type, mapping_rule, file_field):
            requests += 1
            status, answer = _post(url, {**headers, "Content-Type": content_type}, body)
            failed += status >= 400
            (dest / f"{name}.result").write_bytes(answer)
    return BatchOutcome(requests, failed)


def _requests(
    path: Path, mapping_type: str, rule: dict[str, Any] | None, file_field: str | None
) -> Iterator[tuple[str, bytes, str]]:
    if mapping_type == "file":
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
                f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + path.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        yield path.name, body, f"multipart/form-data; boundary={boundary}"
        return
    with path.open(newline="", encoding="utf-8") as table:
        for number, row in enumerate(csv.reader(table), start=1):
            if row:
                body = json.dumps(request_for_row(rule or {}, row)).encode()
                yield f"{path.name}.{number}", body, "application/json"


def _post(url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=REQUEST_TIMEOUT_SECONDS
    )
    try:
        connection.request("POST", parts.path or "/", body, headers)
        response = connection.getresponse()
        return response.status, response.read()
    except OSError as error:
        return 599, json.dumps({"error_msg": str(error)}).encode()
    finally:
        connection.close()
