#!/usr/bin/env bash
# The main job: set up, then generate Demostad, a synthetic city with its youth-care traffic.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/wijkzicht synth --out demostad --seed 1 "$@"
