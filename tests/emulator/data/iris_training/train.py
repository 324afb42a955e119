"""A scikit-learn training script written the ModelArts way: data from --data_url and the model
package to --train_url, both through moxing."""

import argparse
import csv
import json
import os

import moxing as mox
from sklearn.externals import joblib
from sklearn.tree import DecisionTreeClassifier

parser = argparse.ArgumentParser()
parser.add_argument("--data_url", required=True)
parser.add_argument("--train_url", required=True)
parser.add_argument("--max_depth", type=int, default=3)
args, unknown = parser.parse_known_args()
print(f"data_url={args.data_url} train_url={args.train_url} max_depth={args.max_depth}")

local_data = os.path.join(os.getcwd(), "data")
mox.file.copy_parallel(args.data_url, local_data)
with open(os.path.join(local_data, "iris.csv")) as handle:
    rows = list(csv.reader(handle))
features = [[float(v) for v in row[:4]] for row in rows[1:]]
labels = [row[4] for row in rows[1:]]

model = DecisionTreeClassifier(max_depth=args.max_depth, random_state=0).fit(features, labels)
print(f"training accuracy: {model.score(features, labels):.3f}")

model_url = args.train_url.rstrip("/") + "/model/"
mox.file.make_dirs(model_url)
local_model = os.path.join(os.getcwd(), "iris.m")
joblib.dump(model, local_model)
mox.file.copy(local_model, model_url + "iris.m")
here = os.path.dirname(os.path.abspath(__file__))
mox.file.copy(os.path.join(here, "customize_service.py"), model_url + "customize_service.py")
config = {
    "model_type": "Scikit_Learn",
    "model_algorithm": "predict_analysis",
    "runtime": "python3.6",
}
with mox.file.File(model_url + "config.json", "w") as handle:
    json.dump(config, handle)
print("model saved to", model_url)
