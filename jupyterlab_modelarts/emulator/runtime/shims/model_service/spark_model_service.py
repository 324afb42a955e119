from typing import Any

from .model_service import EngineServiceBase


class SparkServingBaseService(EngineServiceBase):
    ENGINE = "Spark_MLlib"

    def __init__(self, model_path: str) -> None:
        super().__init__("", model_path)
        # The cloud hands subclasses a SparkSession here; Local ModelArts starts none.
        self.spark: Any = None
