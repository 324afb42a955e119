"""Run as another OS user of the machine (``runuser -u nobody``), with the system Python and the
standard library only, against a user's running JupyterLab with Local ModelArts: every way in
the documented defaults and loopback would give. Prints one JSON object, attempt -> outcome;
an outcome starting with "GOT IN" means the attempt succeeded.

    python3 another_user.py targets.json
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib.util
import json
import os
import sys
import urllib.error
import urllib.request
from email.utils import formatdate
from pathlib import Path


def call(url: str, method: str = "GET", body: bytes | None = None, headers=None) -> int:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def outcome(got_in: bool, detail: str) -> str:
    return ("GOT IN: " if got_in else "refused: ") + detail


def main(targets: dict) -> dict[str, str]:
    base, d = targets["local_modelarts"], targets["defaults"]
    results = {}
    identity = {
        "methods": ["password"],
        "password": {
            "user": {
                "name": d["iam_user"],
                "password": d["iam_password"],
                "domain": {"name": d["iam_domain"]},
            }
        },
    }
    body = json.dumps(
        {"auth": {"identity": identity, "scope": {"project": {"id": d["project_id"]}}}}
    ).encode()
    status = call(f"{base}/v3/auth/tokens", "POST", body, {"Content-Type": "application/json"})
    results["IAM token with the default password"] = outcome(status == 201, str(status))

    date = formatdate(usegmt=True)
    signature = base64.b64encode(
        hmac.new(d["secret_key"].encode(), f"GET\n\n\n{date}\n/".encode(), hashlib.sha1).digest()
    ).decode()
    status = call(
        f"{base}/", headers={"Date": date, "Authorization": f"OBS {d['access_key']}:{signature}"}
    )
    results["OBS bucket list with the default AK/SK"] = outcome(status == 200, str(status))

    spec = importlib.util.spec_from_file_location("signing", targets["signing_module"])
    signing = importlib.util.module_from_spec(spec)
    sys.modules["signing"] = signing  # dataclasses look their module up
    spec.loader.exec_module(signing)
    signed = signing.SdkHmacSigner(d["access_key"], d["secret_key"]).sign(
        "GET", f"{base}/v1/{d['project_id']}/training-jobs"
    )
    status = call(signed.url, headers=dict(signed.headers))
    results["ModelArts jobs with the default AK/SK"] = outcome(status == 200, str(status))

    status = call(f"{base}/_admin/faults", headers={"X-Admin-Key": d["admin_key"]})
    results["admin endpoint with the default key"] = outcome(status == 200, str(status))

    for path in targets["private_paths"]:
        try:
            if Path(path).is_dir():
                os.listdir(path)
            else:
                Path(path).read_bytes()
            results[f"read {path}"] = outcome(True, "read")
        except OSError as error:
            results[f"read {path}"] = outcome(False, type(error).__name__)

    for pid in targets["instance_pids"]:
        for part in ("cmdline", "environ"):
            try:
                text = Path(f"/proc/{pid}/{part}").read_bytes()
                found = targets["instance_token"].encode() in text
                results[f"/proc/{pid}/{part}"] = outcome(found, "token" if found else "no token")
            except OSError as error:
                results[f"/proc/{pid}/{part}"] = outcome(False, type(error).__name__)

    for port in targets["model_server_ports"]:
        status = call(
            f"http://127.0.0.1:{port}/",
            "POST",
            b'{"data": {}}',
            {"Content-Type": "application/json"},
        )
        results[f"model server on port {port}"] = outcome(status not in (0, 401), str(status))
    return results


if __name__ == "__main__":
    print(json.dumps(main(json.loads(Path(sys.argv[1]).read_text()))))
