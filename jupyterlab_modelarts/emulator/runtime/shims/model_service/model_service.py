"""Generic bases: a service answers `inference(data)` as
`_postprocess(_inference(_preprocess(data)))`."""

from __future__ import annotations

from typing import Any


class ModelService:
    """Root of every inference base class.

    Class attributes tell the server how to build and feed a subclass:
    `MODEL_PATH_IS_FILE` (model_path names the model file, not the model folder),
    `MODEL_FILE_SUFFIXES` (how to find that file), `RAW_BODY` (the hooks get the request body
    as a string instead of parsed JSON / form data) and `WRAPS_RESPONSE` (the server answers
    `{"meta"?, "data": {"resp_data": result}}`).
    """

    MODEL_PATH_IS_FILE = False
    MODEL_FILE_SUFFIXES: tuple[str, ...] = ()
    RAW_BODY = False
    WRAPS_RESPONSE = False

    def __init__(self, model_name: str = "", model_path: str = "") -> None:
        self.model_name = model_name
        self.model_path = model_path

    def inference(self, data: Any) -> Any:
        raise NotImplementedError


class SingleNodeService(ModelService):
    """A service backed by one model; override the three hooks you need."""

    def inference(self, data: Any) -> Any:
        return self._postprocess(self._inference(self._preprocess(data)))

    def _preprocess(self, data: Any) -> Any:
        return data

    def _inference(self, data: Any) -> Any:
        return data

    def _postprocess(self, data: Any) -> Any:
        return data


class EngineServiceBase(SingleNodeService):
    """Base of the deep learning engines' services. Local ModelArts ships no engine runtime, so
    the built-in inference only works when `customize_service.py` overrides `_inference` (and
    loads its model in `__init__`, as the PyTorch and Caffe examples do)."""

    ENGINE = ""

    def _inference(self, data: Any) -> Any:
        raise NotImplementedError(
            f"Local ModelArts has no built-in {self.ENGINE} inference; "
            "override _inference in customize_service.py"
        )
