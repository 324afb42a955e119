"""IPython magics: every sidebar operation from a notebook cell.

``%load_ext jupyterlab_modelarts`` registers ``%modelarts``/``%%modelarts``. Requests go to the
Jupyter server that runs the kernel, through its REST API and with its token, so the cloud
credentials never enter the kernel; with no server they run in this process with the same
credential chain (see :mod:`.direct`).
"""

from __future__ import annotations

from typing import Any


def register(ipython: Any) -> None:
    from .magic import ModelArtsMagics

    magics = ModelArtsMagics(ipython)
    ipython.register_magics(magics)

    def complete(_shell: Any, event: Any) -> list[str]:
        # IPython binds completion hooks to the shell: it comes first.
        return magics.complete(event)

    for command in ("%modelarts", "%%modelarts"):
        ipython.set_hook("complete_command", complete, str_key=command)
