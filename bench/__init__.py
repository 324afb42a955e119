"""Benchmarks of jupyterlab_modelarts against Local ModelArts on 127.0.0.1.

``python -m bench [ID ...]`` from the repository root runs them (see ``bench/README.md``).
"""
