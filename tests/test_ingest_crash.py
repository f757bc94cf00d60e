"""Crash safety: kill `wijkzicht ingest` (SIGKILL) at random moments, run it again to the end,
and the store equals the one a single clean run gives (the ingest log aside)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from wijkzicht.ingest.samples import variants, write_variants
from wijkzicht.store import snapshot

KEY = "wijkzicht-test-key-0123456789"
CLI = [sys.executable, "-c", "from wijkzicht.cli import main; main()", "ingest"]


@pytest.fixture(scope="module")
def traffic(tmp_path_factory, examples_dir) -> Path:
    folder = tmp_path_factory.mktemp("traffic")
    write_variants(examples_dir, folder / "berichten", 400)
    with zipfile.ZipFile(folder / "berichten-2026-05.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in variants(examples_dir, 60, start=400):
            zf.writestr(f"2026/05/{name}", xml)
    (folder / "broken.xml").write_bytes(b"<jw301:Bericht")
    return folder


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKZICHT_")}
    env.update(WIJKZICHT_PSEUDONYM_KEY=KEY, WIJKZICHT_INGEST_BATCH="20",
               WIJKZICHT_INGEST_WORKERS="2")  # fmt: skip
    return env


def _start(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, str(folder), "--db", str(db), "--json"],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill reaches its workers too
    )


def _complete(folder: Path, db: Path) -> tuple[dict, float]:
    started = time.monotonic()
    proc = _start(folder, db)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    return json.loads(out), time.monotonic() - started


def _tables(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return snapshot(con)


@pytest.mark.slow
def test_killed_runs_then_a_full_run_equal_one_clean_run(tmp_path, traffic):
    clean_db = tmp_path / "clean.duckdb"
    clean, seconds = _complete(traffic, clean_db)
    assert clean == {"received": 461, "accepted": 460, "quarantined": 1, "duplicates": 0}

    crashed_db = tmp_path / "crashed.duckdb"
    rng = random.Random(20260501)
    killed = 0
    for _ in range(4):
        proc = _start(traffic, crashed_db)
        time.sleep(rng.uniform(0.25, 0.9) * seconds)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            killed += 1
        proc.communicate(timeout=60)
    assert killed >= 1, "every run finished before its kill: the test proves nothing"
    final, _ = _complete(traffic, crashed_db)
    assert final["received"] == 461
    assert final["accepted"] + final["quarantined"] + final["duplicates"] == 461

    assert _tables(crashed_db) == _tables(clean_db)
    again, _ = _complete(traffic, crashed_db)
    assert again == {"received": 461, "accepted": 0, "quarantined": 0, "duplicates": 461}
