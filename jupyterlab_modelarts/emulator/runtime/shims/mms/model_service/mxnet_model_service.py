from model_service.model_service import EngineServiceBase


class MXNetBaseService(EngineServiceBase):
    ENGINE = "MXNet"
