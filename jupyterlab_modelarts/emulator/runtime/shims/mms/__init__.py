"""`mms.model_service.mxnet_model_service`, the MXNet base's import path in ModelArts."""
