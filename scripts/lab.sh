#!/usr/bin/env bash
# Set everything up, then start JupyterLab with the extension on Local ModelArts.
# Arguments are passed to `jupyter lab`.
source "$(dirname "$0")/setup.sh"

args=()
if [ "$(id -u)" = 0 ]; then
  args+=(--allow-root)
fi
exec jupyter lab "${args[@]}" "$@"
