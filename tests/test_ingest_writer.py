"""The writer finds a duplicate of an item stored earlier in the same run by looking its batch
up among the run's items (it keeps no per-item state and the store no index): the store equals
that of a run without the second copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wijkzicht import settings as settings_mod
from wijkzicht.ingest import ingest
from wijkzicht.ingest.samples import write_variants
from wijkzicht.store import Keys, connect, snapshot

KEY = "wijkzicht-test-key-0123456789"
PC6 = (
    "PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"
    "1234AB;12;3440101;34401;344\n"
    "5678CD;3;3440202;34402;344\n"
)


def _run(paths: list[Path], db: Path, **env: str):
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY, **env})
    con = connect(db)
    try:
        counts = ingest(list(paths), con, Keys(s.secret()), s)[1]
        return counts, snapshot(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def folders(tmp_path_factory, examples_dir) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("dups")
    first = root / "a"
    paths = write_variants(examples_dir, first, 30)
    (first / "pc6hnr20240801_gwb.csv").write_text(PC6, encoding="utf-8")
    again = root / "b"  # copies of items in ``first``: duplicates in later batches
    again.mkdir()
    for p in [*paths[3:12], first / "pc6hnr20240801_gwb.csv"]:
        shutil.copy(p, again / f"copy-{p.name}")
    return first, again


@pytest.mark.parametrize("workers", ["1", "2"])
def test_duplicates_within_a_run_are_found_across_batches(tmp_path, folders, workers):
    first, again = folders
    env = {"WIJKZICHT_INGEST_BATCH": "4", "WIJKZICHT_INGEST_WORKERS": workers}
    alone, expected = _run([first], tmp_path / "alone.duckdb", **env)
    both, store = _run([first, again], tmp_path / "both.duckdb", **env)
    assert alone.duplicates == 0 and both.duplicates == 10
    assert both.received == alone.received + 10
    assert (both.accepted, both.quarantined) == (alone.accepted, alone.quarantined)
    assert store == expected  # same rows, same seq: the retried batches left nothing behind
