# Shared setup of scripts/lab.sh and scripts/test.sh (sourced, not run).
# Creates .venv, installs the npm and Python dependencies and the package in editable mode (which
# builds the front end), and skips every step whose inputs have not changed since the last run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
STAMP="$VENV/.jupyterlab_modelarts-setup"
cd "$ROOT"

for tool in python3 node npm; do
  command -v "$tool" >/dev/null || { echo "setup: $tool is required" >&2; exit 1; }
done

setup_inputs_digest() {
  # Everything that, when changed, needs a reinstall: dependencies, front-end sources, build config.
  {
    cat pyproject.toml package.json package-lock.json tsconfig.json install.json 2>/dev/null
    find src style schema jupyter-config -type f -not -path '*/__tests__/*' -print0 | sort -z | xargs -0 cat
  } | sha256sum | cut -d' ' -f1
}

if [ ! -x "$PY" ]; then
  python3 -m venv "$VENV"
fi

# The front-end build run by pip calls `jupyter-builder` from the venv.
export PATH="$VENV/bin:$PATH"

digest="$(setup_inputs_digest)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$digest" ] || [ ! -d node_modules ]; then
  echo "setup: installing dependencies and building the extension (a first run takes minutes)"
  # `python -m venv` ships an old pip and setuptools; sdists built later need current ones.
  "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools wheel
  # jupyter-builder also runs outside pip's build (npm run build calls it from the venv).
  "$PY" -m pip install --quiet --disable-pip-version-check \
    "hatchling>=1.27" "jupyter-builder>=1.3" "hatch-jupyter-builder>=0.10"
  npm install --no-audit --no-fund --loglevel=error
  # Build isolation stays on: every sdist (esdk-obs-python is only published as one) builds with
  # the backend it declares, not with whatever the venv happens to hold.
  "$PY" -m pip install --quiet --disable-pip-version-check -e ".[test,dev,distributed,tensorboard]"
  # The editable install copies the built front end into the venv; a link instead makes every
  # later `npm run build` the one JupyterLab serves.
  "$VENV/bin/jupyter" labextension develop --overwrite . >/dev/null 2>&1 \
    || { echo "setup: linking the front end into the venv failed" >&2; exit 1; }
  echo "$digest" > "$STAMP"
fi
