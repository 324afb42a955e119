"""Local ModelArts: an embedded service speaking the ModelArts, IAM, OBS and PAI DSW protocols.

See README.md in this folder for how resource modules plug in.
"""

from .app import EmulatorServer, make_app
from .background import BackgroundEmulator
from .config import EmulatorConfig
from .errors import ApiError, Family

__all__ = [
    "ApiError",
    "BackgroundEmulator",
    "EmulatorConfig",
    "EmulatorServer",
    "Family",
    "make_app",
]
