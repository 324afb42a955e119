#!/usr/bin/env bash
# A new user's first run and the release build, from a copy of the working tree (the files a clone
# holds, no .venv, no node_modules, no built front end) with a throwaway HOME and empty pip and npm
# caches. The machine's pip and npm configuration (indexes, find-links, registry) stays in effect.
#   1. `./scripts/lab.sh --version` in the copy: the whole set-up, cold.
#   2. `python -m build` there: the sdist, then the wheel built from the sdist; and a wheel built
#      from the tree, which must hold the same files.
#   3. That wheel, installed with `pip install <wheel>` alone into a clean venv with no node or npm
#      on PATH, is enabled and serves the sidebar (scripts/release_check.py).
# Run by `./scripts/test.sh --fresh-clone` (CI); takes several minutes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
# Kept when a step fails, for its logs and builds.
trap 'if [ $? = 0 ]; then rm -rf "$WORK"; else echo "fresh clone: failed; see $WORK" >&2; fi' EXIT
CLONE="$WORK/clone"

# Configuration is not a cache: keep the user's pip and npm files although HOME moves.
user_pip_config="${XDG_CONFIG_HOME:-$HOME/.config}/pip/pip.conf"
[ -f "$user_pip_config" ] || user_pip_config="$HOME/.pip/pip.conf"
if [ -z "${PIP_CONFIG_FILE:-}" ] && [ -f "$user_pip_config" ]; then
  export PIP_CONFIG_FILE="$user_pip_config"
fi
if [ -z "${NPM_CONFIG_USERCONFIG:-}" ] && [ -f "$HOME/.npmrc" ]; then
  export NPM_CONFIG_USERCONFIG="$HOME/.npmrc"
fi
export HOME="$WORK/home"
export XDG_CACHE_HOME="$HOME/.cache" XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
export PIP_NO_CACHE_DIR=1
export npm_config_cache="$WORK/npm-cache"
unset JUPYTER_CONFIG_DIR JUPYTER_DATA_DIR JUPYTER_RUNTIME_DIR JUPYTER_PATH JUPYTERLAB_DIR
mkdir -p "$HOME" "$CLONE"

echo "fresh clone: copying the working tree's files to $CLONE"
git -C "$ROOT" ls-files -z --cached --others --exclude-standard \
  | (cd "$ROOT" && while IFS= read -r -d '' file; do
      [ -e "$file" ] && printf '%s\0' "$file"
    done) \
  | tar -C "$ROOT" --null -T - -cf - | tar -C "$CLONE" -xf -

echo "fresh clone: ./scripts/lab.sh --version (HOME=$HOME, no pip or npm cache)"
started=$SECONDS
"$CLONE/scripts/lab.sh" --version | tee "$WORK/lab-version.log"
echo "fresh clone: set-up done in $((SECONDS - started)) s; JupyterLab $(tail -n 1 "$WORK/lab-version.log")"

echo "fresh clone: python -m build (sdist, then the wheel from the sdist)"
started=$SECONDS
"$CLONE/.venv/bin/python" -m build --outdir "$WORK/dist" "$CLONE" >"$WORK/build.log" 2>&1 \
  || { tail -n 40 "$WORK/build.log" >&2; exit 1; }
"$CLONE/.venv/bin/python" -m build --wheel --outdir "$WORK/tree-dist" "$CLONE" \
  >"$WORK/build-tree.log" 2>&1 || { tail -n 40 "$WORK/build-tree.log" >&2; exit 1; }
echo "fresh clone: built in $((SECONDS - started)) s: $(cd "$WORK/dist" && echo *)"

# Every tool of the machine except the JavaScript ones: the wheel must need none of them.
NO_NODE="$WORK/bin-without-node"
mkdir -p "$NO_NODE"
for tool in /usr/local/bin/* /usr/bin/* /bin/*; do
  name="$(basename "$tool")"
  case "$name" in node | nodejs | npm | npx | corepack | yarn | yarnpkg | jlpm) continue ;; esac
  [ -e "$NO_NODE/$name" ] || ln -s "$tool" "$NO_NODE/$name"
done

echo "fresh clone: pip install <wheel> into a clean venv, no node or npm on PATH"
python3 -m venv "$WORK/release-venv"
(
  export PATH="$WORK/release-venv/bin:$NO_NODE"
  ! command -v node >/dev/null || { echo "fresh clone: node is still on PATH" >&2; exit 1; }
  pip install --quiet --disable-pip-version-check "$WORK"/dist/*.whl
  python "$ROOT/scripts/release_check.py" --dist "$WORK/dist" --tree-dist "$WORK/tree-dist"
)
