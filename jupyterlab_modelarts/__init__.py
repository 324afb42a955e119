"""JupyterLab extension for ModelArts and PAI DSW, with an embedded Local ModelArts."""

from typing import Any

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "0.0.0.dev0"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-modelarts"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .extension import ModelArtsExtension

    return [{"module": "jupyterlab_modelarts", "app": ModelArtsExtension}]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext jupyterlab_modelarts``: the ``%modelarts`` magics."""
    from .magics import register

    register(ipython)
