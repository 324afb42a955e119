"""Built-in algorithms (TJ-12) that Local ModelArts can really train, by `model_name`.

Each is a training script written the ModelArts way (arguments `--data_url`, `--train_url`,
hyperparameters as `--label=value`, files through moxing); its folder is the job's code.
"""

from __future__ import annotations

from pathlib import Path

CODE_DIR = Path(__file__).parent / "code"
BOOT_FILE = "train_classifier.py"

#: model_name -> the `--algorithm` the script trains.
CLASSIFIERS = {
    "Logistic_Regression": "logistic_regression",
    "Random_Forest": "random_forest",
}


def local_algorithm(model_name: str) -> tuple[Path, str, list[tuple[str, str]]] | None:
    """(code folder, boot file, leading parameters) of a built-in algorithm, or None when
    Local ModelArts has no implementation of it."""
    algorithm = CLASSIFIERS.get(model_name)
    if algorithm is None:
        return None
    return CODE_DIR, BOOT_FILE, [("algorithm", algorithm)]
