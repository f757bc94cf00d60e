#!/usr/bin/env bash
# Set up with the test tools, lint, run the whole test suite (SQLite for the web's operational
# database), then the web tests again on the PostgreSQL at 127.0.0.1:5432.
# Arguments go to the first pytest run, e.g. `bash scripts/test.sh -x tests/web`.
# Both runs spread the test files over the cores (pytest-xdist; a file's tests stay in one
# worker, so its fixtures are built once): WIJKZICHT_TEST_WORKERS sets how many (default: one
# per core, at most 4; 0 runs everything in this process).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
workers="${WIJKZICHT_TEST_WORKERS:-$(( $(nproc) < 4 ? $(nproc) : 4 ))}"
spread=(-n "$workers" --dist loadfile)
[ "$workers" = 0 ] && spread=()
.venv/bin/pytest "${spread[@]}" -m "not postgres" "$@"
# The same Django tests on PostgreSQL (pytest-django creates and drops test_test_gwN, one per worker;
# the role needs the right to create databases). The browser tests need no second run.
DATABASE_URL="${WIJKZICHT_TEST_POSTGRES_URL:-postgres://root@127.0.0.1:5432/test}" \
  .venv/bin/pytest "${spread[@]}" -q tests/web -m "not browser"
