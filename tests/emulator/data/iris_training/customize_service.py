import json

from model_service.python_model_service import XgSklServingBaseService


class IrisService(XgSklServingBaseService):
    def _preprocess(self, data):
        rows = json.loads(data)["data"]["req_data"]
        return [list(r.values()) for r in rows]
