"""The ModelArts inference base classes (`model_service.*`) that `customize_service.py`
subclasses; see model-package-and-moxing.md section 2."""
