"""`import moxing as mox` for scripts written for ModelArts; only `mox.file` exists here."""

from . import file

__all__ = ["file"]
__version__ = "local"
