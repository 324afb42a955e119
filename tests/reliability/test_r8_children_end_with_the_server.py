"""R8: every process Local ModelArts starts ends with the Jupyter server. A service is deployed, a
job trains and a notebook instance runs (a real Jupyter server); the server is stopped cleanly
(SIGTERM) or killed (SIGKILL): afterwards none of their processes is left and none of their ports
answers."""

from __future__ import annotations

import signal
import time

import httpx
import psutil
import pytest
from emulator_leftovers import leftovers
from local_workloads import answers, listening_ports, poll, start_everything
from server import jupyter_server

#: After a SIGKILL the lifeline notices at once and gives the group 3 s before SIGKILL.
ENDED_WITHIN_SECONDS = 15


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_nothing_outlives_the_jupyter_server(tmp_path, stop, report):
    home = tmp_path / "home"
    options = {"local_speed": 50.0, "local_modules": {"instances": {"runtime": "jupyter"}}}
    with jupyter_server(home, options) as server:
        api = httpx.Client(
            base_url=f"{server.url}/modelarts/api/v1/",
            headers=server.headers,
            timeout=60,
            trust_env=False,
        )
        start_everything(api, home / "root")
        started = leftovers(home)
        commands = " ".join(" ".join(p.cmdline()) for p in started)
        for part in ("model_server.py", "train.py", "jupyter_server"):
            assert part in commands, f"no {part} among {commands}"
        ports = listening_ports(started)
        assert len(ports) >= 2, ports  # the model server and the notebook server

        server.process.send_signal(stop)
        code = server.process.wait(timeout=60)
        ended_at = time.monotonic()
        if stop == signal.SIGTERM:
            assert code == 0, server.log.read_text()[-3000:]
        left = poll(
            lambda: [p for p in leftovers(home) if p.status() != psutil.STATUS_ZOMBIE],
            lambda found: not found,
            "the children to end",
            deadline=ENDED_WITHIN_SECONDS,
        )
        assert not left
        assert not [port for port in ports if answers(port)]
    report(
        f"R8 {stop.name}: {len(started)} processes of a service, a job and a notebook instance "
        f"all gone {time.monotonic() - ended_at:.1f} s after the server ended"
    )
