from .model_service import EngineServiceBase


class CaffeBaseService(EngineServiceBase):
    ENGINE = "Caffe"
