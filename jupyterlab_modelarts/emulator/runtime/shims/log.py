"""`import log` as ModelArts inference examples do: `log.getLogger(__name__)` writes to the
server's log."""

from model_service.log import getLogger

__all__ = ["getLogger"]
