#!/usr/bin/env bash
# Set up with the test tools, lint, run the whole test suite (SQLite for the web's operational
# database), then the web tests again on the PostgreSQL at 127.0.0.1:5432.
# Arguments go to the first pytest run, e.g. `bash scripts/test.sh -x tests/web`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/pytest -m "not postgres" "$@"
# The same Django tests on PostgreSQL (pytest-django creates and drops the database test_test;
# the role needs the right to create databases). The browser tests need no second run.
DATABASE_URL="${WIJKZICHT_TEST_POSTGRES_URL:-postgres://root@127.0.0.1:5432/test}" \
  .venv/bin/pytest -q tests/web -m "not browser"
