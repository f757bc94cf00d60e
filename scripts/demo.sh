#!/usr/bin/env bash
# The main job: set up, then `wijkzicht demo`: generate Demostad, ingest its traffic, compute
# the indicators and serve the dashboard on http://127.0.0.1:8000/ (demo users are printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
args=()
[ -d ../shared/ijw/xsd ] && args+=(--xsd-dir ../shared/ijw/xsd)  # validate against the XSDs too
.venv/bin/wijkzicht demo --dir demo "${args[@]}" "$@"
