"""Inference server of one model package, run as its own process with the engine's Python.

`POST /` runs the package's service; `GET /health` answers `{"status": "OK"}` (the ModelArts
runtime contract, model-package-and-moxing.md section 2). The shims folder must be on
`PYTHONPATH` (for `model_service`). Once the model is loaded and the port bound, the port is
written as JSON to `--ready-file`, which tells the launcher the server is up.

Loopback is open to every user of the machine: every request must carry the secret the launcher
put in the environment (`SECRET_ENV`) in the `SECRET_HEADER` header, which Local ModelArts adds
when it forwards a prediction; anything else gets 401.

Uses only the standard library, so it runs under any engine Python.
"""

from __future__ import annotations

import argparse
import email.parser
import email.policy
import hmac
import importlib.util
import inspect
import io
import json
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from model_server_access import SECRET_ENV, SECRET_HEADER
from model_service.model_service import ModelService
from model_service.python_model_service import XgSklServingBaseService

logger = logging.getLogger("model_server")


class Predictor:
    """Turns a request body into the service's answer."""

    def __init__(self, call: Callable[[Any], Any], raw_body: bool, wraps_response: bool) -> None:
        self._call = call
        self._raw_body = raw_body
        self._wraps_response = wraps_response
        # User code need not be thread-safe; the cloud serves one request per worker too.
        self._lock = threading.Lock()

    def answer(self, body: bytes, content_type: str) -> Any:
        if self._raw_body:
            data: Any = body.decode("utf-8")
        elif content_type.startswith("multipart/form-data"):
            data = _parse_form(content_type, body)
        else:
            data = json.loads(body or b"{}")
        with self._lock:
            result = self._call(data)
        if not self._wraps_response:
            return result
        request = json.loads(body)
        wrapped = {"data": {"resp_data": result}}
        return {"meta": request["meta"], **wrapped} if "meta" in request else wrapped


def _parse_form(content_type: str, body: bytes) -> dict[str, Any]:
    """multipart/form-data as the DL bases get it: `{field: {filename: file}}`, text fields as
    strings."""
    header = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    form: dict[str, Any] = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            payload = b""
        filename = part.get_filename()
        form[name] = {filename: io.BytesIO(payload)} if filename else payload.decode("utf-8")
    return form


def _import_file(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def _service_classes(module: Any) -> list[type[ModelService]]:
    """The inference classes a module defines, whatever name its base was imported under."""
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, ModelService) and cls.__module__ == module.__name__
    ]


def _model_file(model_dir: Path, suffixes: tuple[str, ...]) -> Path:
    candidates = sorted(p for p in model_dir.iterdir() if p.is_file() and p.suffix in suffixes)
    if len(candidates) != 1:
        found = ", ".join(p.name for p in candidates) or "none"
        raise FileNotFoundError(
            f"model/ must hold exactly one model file ({', '.join(suffixes)}); found {found}"
        )
    return candidates[0]


def load_predictor(
    entry: str, model_dir: Path, code_file: Path | None, model_file: Path | None
) -> Predictor:
    if entry == "builtin":
        builtin = XgSklServingBaseService(str(model_file))
        return Predictor(builtin.inference, raw_body=True, wraps_response=True)
    if code_file is None:
        raise ValueError(f"entry {entry} needs --code-file")
    module = _import_file(code_file)
    classes = _service_classes(module) if entry == "customize_service" else []
    if not classes:
        if callable(getattr(module, "predict", None)):
            return Predictor(module.predict, raw_body=False, wraps_response=False)
        raise TypeError(
            f"{code_file.name} defines no class derived from a model_service base and no "
            "top-level predict(data) function"
        )
    if len(classes) > 1:
        names = ", ".join(cls.__name__ for cls in classes)
        raise TypeError(f"{code_file.name} must define exactly one inference class ({names})")
    cls = classes[0]
    if cls.MODEL_PATH_IS_FILE:
        model_path = str(model_file or _model_file(model_dir, cls.MODEL_FILE_SUFFIXES))
    else:
        model_path = str(model_dir)
    # ML bases take (model_path), DL bases (model_name, model_path).
    positional = [
        p
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "self"
    ]
    arguments = [model_path] if len(positional) == 1 else [model_dir.name, model_path]
    service = cls(*arguments)
    return Predictor(service.inference, cls.RAW_BODY, cls.WRAPS_RESPONSE)


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def make_handler(predictor: Predictor, secret: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _authorized(self) -> bool:
            if hmac.compare_digest(self.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
                return True
            self.close_connection = True  # the body, if any, stays unread
            self._send(HTTPStatus.UNAUTHORIZED, _error("ModelArts.0201", "not authorized"))
            return False

        def do_GET(self) -> None:
            if not self._authorized():
                return
            if self.path.split("?")[0] == "/health":
                self._send(HTTPStatus.OK, {"status": "OK"})
            else:
                self._send(HTTPStatus.NOT_FOUND, _error("ModelArts.4104", "not found"))

        def do_POST(self) -> None:
            if not self._authorized():
                return
            if self.path.split("?")[0] != "/":
                self._send(HTTPStatus.NOT_FOUND, _error("ModelArts.4104", "POST / only"))
                return
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                result = predictor.answer(body, self.headers.get("Content-Type", ""))
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                self._send(HTTPStatus.BAD_REQUEST, _error("ModelArts.4101", f"bad body: {error}"))
            except (KeyError, TypeError, ValueError, IndexError) as error:
                logger.error("prediction failed:\n%s", traceback.format_exc())
                self._send(HTTPStatus.BAD_REQUEST, _error("ModelArts.4105", repr(error)))
            except Exception as error:
                logger.error("prediction failed:\n%s", traceback.format_exc())
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, _error("ModelArts.4105", repr(error)))
            else:
                self._send(HTTPStatus.OK, result)

        def _send(self, status: HTTPStatus, body: Any) -> None:
            try:
                data = json.dumps(body, default=_json_default, ensure_ascii=False).encode()
            except TypeError as error:
                status, data = (
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    json.dumps(_error("ModelArts.4105", str(error))).encode(),
                )
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            logger.info("%s - %s", self.address_string(), format % args)

    return Handler


def _error(code: str, message: str) -> dict[str, str]:
    return {"error_code": code, "error_msg": message}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--entry", choices=["customize_service", "builtin", "predict_function"])
    parser.add_argument("--code-file", type=Path)
    parser.add_argument("--model-file", type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ready-file", type=Path, required=True)
    args = parser.parse_args(argv)
    # Read once and removed: the model's own code has no use for it.
    secret = os.environ.pop(SECRET_ENV, "")
    if not secret:
        parser.error(f"{SECRET_ENV} must hold the secret callers present")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    # Like the cloud: the model folder is the working directory and importable.
    os.chdir(args.model_dir)
    sys.path.insert(0, str(args.model_dir))
    predictor = load_predictor(args.entry, args.model_dir, args.code_file, args.model_file)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(predictor, secret))
    partial = args.ready_file.with_suffix(".partial")
    partial.write_text(json.dumps({"port": server.server_address[1], "pid": os.getpid()}))
    partial.replace(args.ready_file)
    logger.info("serving the model on port %s", server.server_address[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
