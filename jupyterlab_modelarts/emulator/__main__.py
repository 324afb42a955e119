"""Run Local ModelArts standalone:

    python -m jupyterlab_modelarts.emulator --port 8990 --data-dir ./modelarts-local
    jupyter modelarts-local --port 8990

Prints one line, the base URL, once it accepts requests; logs go to stderr. SIGINT/SIGTERM
stop it cleanly (child processes included). State stays in the data dir across restarts.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from . import config as defaults
from .app import EmulatorServer
from .config import EmulatorConfig


def default_data_dir() -> Path:
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "modelarts-local"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jupyter-modelarts-local",
        description=(
            "Local ModelArts: the ModelArts, IAM, OBS and PAI DSW APIs on this machine. The "
            "credential defaults are documented, fixed values every user of this machine can "
            "use: on a shared host pass your own (the copy in JupyterLab makes new ones at "
            "every start)."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on")
    add("--port", type=int, default=0, help="port to listen on (0: any free port)")
    add("--data-dir", type=Path, default=default_data_dir(), help="state, objects and work dirs")
    add(
        "--access-key",
        default=defaults.DEFAULT_ACCESS_KEY,
        help="accepted AK (ModelArts, IAM, OBS)",
    )
    add("--secret-key", default=defaults.DEFAULT_SECRET_KEY, help="SK of --access-key")
    add("--project-id", default=defaults.DEFAULT_PROJECT_ID, help="IAM project id (32 hex chars)")
    add("--region", default=defaults.DEFAULT_REGION, help="region, also the project's name")
    add("--iam-domain", default=defaults.DEFAULT_IAM_DOMAIN, help="IAM account (domain) name")
    add("--iam-user", default=defaults.DEFAULT_IAM_USER, help="IAM user name")
    add("--iam-password", default=defaults.DEFAULT_IAM_PASSWORD, help="IAM user password")
    add(
        "--pai-access-key",
        default=defaults.DEFAULT_PAI_ACCESS_KEY,
        help="accepted PAI AccessKey id",
    )
    add("--pai-secret", default=defaults.DEFAULT_PAI_SECRET, help="secret of --pai-access-key")
    add("--admin-key", default=defaults.DEFAULT_ADMIN_KEY, help="X-Admin-Key of /_admin (faults)")
    add("--token-ttl", type=float, default=24 * 3600, help="IAM token lifetime in seconds")
    add("--speed", type=float, default=1.0, help="time factor of simulated state machines")
    add(
        "--plays",
        choices=sorted(defaults.TRAINING_APIS_OF),
        default="both",
        help="the cloud whose training APIs are served: huaweicloud (v2 only), "
        "tcloudpublic (v1 only) or both",
    )
    add("--log-level", default="WARNING", help="logging level (stderr)")
    return parser


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    return EmulatorConfig(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        access_key=args.access_key,
        secret_key=args.secret_key,
        project_id=args.project_id,
        region=args.region,
        iam_domain=args.iam_domain,
        iam_user=args.iam_user,
        iam_password=args.iam_password,
        pai_access_key=args.pai_access_key,
        pai_secret=args.pai_secret,
        admin_key=args.admin_key,
        token_ttl_seconds=args.token_ttl,
        speed=args.speed,
        modules={"training": {"plays": args.plays}},
    )


async def serve(config: EmulatorConfig) -> None:
    server = EmulatorServer(config)
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    print(server.base_url, flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    try:
        config = config_from_args(args)
    except ValueError as exc:
        parser.error(str(exc))
    asyncio.run(serve(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
