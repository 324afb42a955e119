from .model_service import EngineServiceBase


class TfServingBaseService(EngineServiceBase):
    ENGINE = "TensorFlow"
