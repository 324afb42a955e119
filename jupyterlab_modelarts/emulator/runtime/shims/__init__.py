"""Modules that exist only inside ModelArts (`moxing`, `model_service`, `log`), re-created for
Local ModelArts.

This folder itself is put first on a job's or an inference server's `PYTHONPATH`, so user code
imports them as top-level modules exactly as it would in the cloud. They use only the standard
library (plus the engine's own packages where a model format needs them), because they run with
the engine's Python, not the emulator's.
"""
