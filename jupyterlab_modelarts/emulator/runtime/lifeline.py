"""Runs one command of Local ModelArts and ends its whole process group once the server is gone.

    python lifeline.py <fd> <command...>

``fd`` is the read end of a pipe whose write end only the server holds and never writes to: when
the server exits, however it exits (a SIGKILL too), the kernel closes that end and the read here
returns end-of-file. The command then gets SIGTERM, and whatever is left of the group SIGKILL
after a grace period, so no training script, model server or notebook instance outlives the
server that started it. Standard library only, and little of it (no ``subprocess``): every job,
model server and instance waits for this process's start before its own.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

GRACE_SECONDS = 3.0


def _end_group_when_server_is_gone(fd: int) -> None:
    while os.read(fd, 1):
        pass
    os.killpg(0, signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os.killpg(0, signal.SIGKILL)


def main(argv: list[str]) -> int:
    fd, command = int(argv[0]), argv[1:]
    # A stop of the group (SIGTERM to all) is for the command; this process waits for it and
    # reports its exit. A handler, unlike SIG_IGN, is not inherited by the command.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: None)
    child = os.posix_spawnp(command[0], command, os.environ)
    threading.Thread(target=_end_group_when_server_is_gone, args=(fd,), daemon=True).start()
    code = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
    if code < 0:  # died of a signal: so does this process, as callers would have seen it
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
