"""Scikit_Learn and XGBoost base: the hooks get the raw body string; the model file is a
joblib/pickle dump (`*.m` in the ModelArts examples) or an XGBoost booster."""

from __future__ import annotations

import collections
import json
from typing import Any

from .model_service import SingleNodeService


class XgSklServingBaseService(SingleNodeService):
    MODEL_PATH_IS_FILE = True
    MODEL_FILE_SUFFIXES = (".m", ".pkl", ".joblib", ".model", ".bst")
    RAW_BODY = True
    WRAPS_RESPONSE = True

    def __init__(self, model_path: str) -> None:
        super().__init__("", model_path)
        self._model: Any = None
        self._is_booster = False

    def _preprocess(self, data: Any) -> Any:
        body = json.loads(data, object_pairs_hook=collections.OrderedDict)
        return [list(row.values()) for row in body["data"]["req_data"]]

    def _inference(self, data: Any) -> Any:
        model = self._load()
        if self._is_booster:
            import xgboost

            data = xgboost.DMatrix(data)
        result = model.predict(data)
        return result.tolist() if hasattr(result, "tolist") else list(result)

    def _postprocess(self, data: Any) -> Any:
        return [{"predictresult": value} for value in data]

    def _load(self) -> Any:
        # joblib first, XGBoost as the fallback, like the cloud's runtime.
        if self._model is None:
            try:
                import joblib

                # The model file is the user's own upload, served in the user's own process.
                self._model = joblib.load(self.model_path)
            except Exception:
                import xgboost

                self._model = xgboost.Booster(model_file=self.model_path)
                self._is_booster = True
        return self._model
