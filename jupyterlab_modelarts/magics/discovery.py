"""Which Jupyter server started this kernel, and its token.

A server writes ``jpserver-<pid>.json`` (url, token) into the Jupyter runtime dir; the kernel
knows its own id from its connection file name (``kernel-<id>.json``). The server that knows a
kernel of that id is ours. A kernel started any other way (plain IPython, ``jupyter console``)
has no server, and the magics then call the library directly.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from jupyter_core.paths import jupyter_runtime_dir

#: How long one server may take to say whether it knows this kernel.
PROBE_TIMEOUT_SECONDS = 3.0
_KERNEL_FILE = re.compile(r"kernel-(?P<id>[0-9a-fA-F-]+)\.json$")


@dataclass(frozen=True)
class ServerInfo:
    #: The server's URL with its base_url, ending in "/".
    url: str
    #: The server's own token (a Jupyter token: it grants no cloud access), kept out of reprs.
    token: str = field(repr=False)
    root_dir: str | None = None


def kernel_id() -> str | None:
    """This kernel's id, from the name of its connection file; None outside a kernel."""
    try:
        from ipykernel.connect import get_connection_file

        connection_file = get_connection_file()
    except (ImportError, RuntimeError, AttributeError):
        return None
    found = _KERNEL_FILE.search(os.path.basename(connection_file))
    return found["id"] if found else None


def running_servers(runtime_dir: Path) -> list[ServerInfo]:
    servers = []
    for path in sorted(runtime_dir.glob("jpserver-*.json")):
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
            pid = int(info["pid"])
            os.kill(pid, 0)
        except (OSError, ValueError, KeyError, TypeError):
            continue  # unreadable, or the server is gone and left its file behind
        url = str(info.get("url") or "")
        if url:
            servers.append(
                ServerInfo(
                    url=url if url.endswith("/") else url + "/",
                    token=str(info.get("token") or ""),
                    root_dir=info.get("root_dir"),
                )
            )
    return servers


def knows_kernel(server: ServerInfo, kernel: str) -> bool:
    try:
        answer = httpx.get(
            f"{server.url}api/kernels/{kernel}",
            headers={"Authorization": f"token {server.token}"},
            timeout=PROBE_TIMEOUT_SECONDS,
            trust_env=False,
        )
    except httpx.HTTPError:
        return False
    return answer.status_code == 200


def find_server() -> ServerInfo | None:
    """The Jupyter server that runs this kernel, or None when there is none to reach."""
    kernel = kernel_id()
    if kernel is None:
        return None
    for server in running_servers(Path(jupyter_runtime_dir())):
        if knows_kernel(server, kernel):
            return server
    return None
