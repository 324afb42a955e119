#!/usr/bin/env bash
# Set everything up, then run every check and test suite. Every step runs even when an earlier one
# fails, so one run shows all problems; the exit status is non-zero when any step failed.
# --fresh-clone (CI) adds scripts/fresh-clone.sh: the set-up from a copy of the tree with an empty
# HOME and no pip or npm cache, and the release build's round trip.
fresh_clone=false
for arg in "$@"; do
  case "$arg" in
    --fresh-clone) fresh_clone=true ;;
    *) echo "usage: $0 [--fresh-clone]" >&2; exit 2 ;;
  esac
done
source "$(dirname "$0")/setup.sh"

# Debian's chromium for the browser tests, and a font with Chinese glyphs so that the zh_CN
# screenshots show the text rather than empty boxes.
packages=()
command -v chromium >/dev/null || packages+=(chromium)
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || packages+=(fonts-wqy-microhei)
if [ ${#packages[@]} -gt 0 ]; then
  echo "test: installing ${packages[*]} from Debian for the browser tests"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null
fi

failed=()
step() {
  local name="$1"
  shift
  echo
  echo "==> $name"
  if ! "$@"; then
    failed+=("$name")
  fi
}

if $fresh_clone; then
  step "fresh clone: cold set-up and release build" "$ROOT/scripts/fresh-clone.sh"
fi
step "ruff lint" ruff check .
step "ruff format" ruff format --check .
step "mypy" mypy
step "eslint + prettier" npm run --silent lint:check
step "tsc" npm run --silent typecheck
step "vitest" npm test --silent
step "pytest" python -m pytest tests
step "pytest (server handlers)" python -m pytest tests/server
step "browser tests" python -m pytest ui-tests

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "All checks and test suites passed."
