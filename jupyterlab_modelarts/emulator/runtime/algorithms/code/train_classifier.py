"""Built-in scikit-learn classifiers of Local ModelArts.

Reads every `*.csv` under `--data_url` (first row: column names; last column: the label; other
columns: numbers), fits the classifier chosen by `--algorithm` with the given hyperparameters and
writes a model package to `<train_url>/model/`: `model.m` (joblib) and `config.json`. The
package is served by the built-in Scikit_Learn service: POST
`{"data": {"req_data": [{"<column>": value, ...}]}}`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import tempfile
from typing import Any

import joblib
import moxing as mox
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression


def optional_int(text: str) -> int | None:
    return int(text) if text else None


def build(args: argparse.Namespace) -> Any:
    if args.algorithm == "logistic_regression":
        return LogisticRegression(max_iter=args.max_iter, C=args.C)
    return RandomForestClassifier(
        n_estimators=args.n_estimators, max_depth=args.max_depth, random_state=0
    )


def read_rows(data_url: str) -> tuple[list[str], list[list[str]]]:
    if mox.file.is_directory(data_url):
        names = mox.file.list_directory(data_url, recursive=True, skip_dir=True)
        files = [data_url.rstrip("/") + "/" + n for n in names if n.endswith(".csv")]
    else:
        files = [data_url]
    if not files:
        raise SystemExit(f"no .csv file under {data_url}")
    header: list[str] = []
    rows: list[list[str]] = []
    for url in sorted(files):
        table = list(csv.reader(io.StringIO(str(mox.file.read(url)))))
        header = header or table[0]
        rows.extend(row for row in table[1:] if row)
    return header, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data_url", required=True)
    parser.add_argument("--train_url", required=True)
    parser.add_argument("--algorithm", choices=["logistic_regression", "random_forest"])
    parser.add_argument("--max_iter", type=int, default=200)
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--n_estimators", type=int, default=100)
    parser.add_argument("--max_depth", type=optional_int, default=None)
    args, _ = parser.parse_known_args()

    header, rows = read_rows(args.data_url)
    features = [[float(value) for value in row[:-1]] for row in rows]
    labels = [row[-1] for row in rows]
    model = build(args)
    model.fit(features, labels)
    accuracy = float(model.score(features, labels))
    print(f"{args.algorithm}: {len(rows)} rows, training accuracy {accuracy:.4f}")

    target = args.train_url.rstrip("/") + "/model/"
    mox.file.make_dirs(target)
    with tempfile.TemporaryDirectory() as scratch:
        local = os.path.join(scratch, "model.m")
        joblib.dump(model, local)
        mox.file.copy(local, target + "model.m")
    config = {
        "model_type": "Scikit_Learn",
        "model_algorithm": "predict_analysis",
        "runtime": "python3.6",
        "metrics": {"accuracy": accuracy},
        "apis": [
            {
                "protocol": "http",
                "url": "/",
                "method": "post",
                "request": {
                    "Content-type": "application/json",
                    "data": {
                        "type": "object",
                        "properties": {
                            "req_data": {
                                "type": "array",
                                "items": [
                                    {
                                        "type": "object",
                                        "properties": {
                                            name: {"type": "number"} for name in header[:-1]
                                        },
                                    }
                                ],
                            }
                        },
                    },
                },
                "response": {
                    "Content-type": "application/json",
                    "data": {
                        "type": "object",
                        "properties": {
                            "resp_data": {
                                "type": "array",
                                "items": [{"type": "object", "properties": {"predictresult": {}}}],
                            }
                        },
                    },
                },
            }
        ],
    }
    mox.file.write(target + "config.json", json.dumps(config, indent=2))
    print("model package written to", target)


if __name__ == "__main__":
    main()
