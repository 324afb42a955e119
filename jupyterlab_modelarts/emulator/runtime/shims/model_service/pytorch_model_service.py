from .model_service import EngineServiceBase


class PTServingBaseService(EngineServiceBase):
    ENGINE = "PyTorch"
    MODEL_PATH_IS_FILE = True
    MODEL_FILE_SUFFIXES = (".pth", ".pt")
