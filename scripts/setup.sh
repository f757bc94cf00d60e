#!/usr/bin/env bash
# Create .venv (if missing) and install Wijkzicht with pinned dependencies.
# Usage: bash scripts/setup.sh [extra]   e.g. "test"
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade "pip==26.0.1"
spec="."
[ -n "$extra" ] && spec=".[$extra]"
.venv/bin/python -m pip install --quiet --constraint constraints.txt --editable "$spec"
