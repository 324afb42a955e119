"""What Local ModelArts really runs: training processes, model package checks, inference servers.

Nothing here knows about HTTP or the store; the resource modules (`training.py`, `models.py`,
`services.py`) drive these classes and persist what they report.
"""
