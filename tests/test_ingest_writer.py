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
from wijkzicht.ingest.writer import Writer
from wijkzicht.store import Keys, connect, snapshot
from wijkzicht.store.schema import item_number

KEY = "wijkzicht-test-key-0123456789"
BATCH = 4  # items per batch in these runs
PC6 = (
    "PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"
    "1234AB;12;3440101;34401;344\n"
    "5678CD;3;3440202;34402;344\n"
)


def _run(paths: list[Path], db: Path, before: list[Path] = (), **env: str):
    """Ingest ``before`` (its own run, when given), then ``paths``; counts of the second run."""
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY, **env})
    con = connect(db)
    try:
        if before:
            ingest(list(before), con, Keys(s.secret()), s)
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
    # and, first in ``again``, a copy of the last item of the batch before its own (batches
    # of BATCH): that batch is still in flight when the copy's batch is looked up
    items = sorted(first.iterdir())
    original = items[len(items) // BATCH * BATCH - 1]
    shutil.copy(original, again / f"0-copy-{original.name}")
    return first, again


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("stored_before", [False, True])
def test_duplicates_within_a_run_are_found_across_batches(
    tmp_path, folders, workers, stored_before
):
    """In an empty store, and in one that holds items already (then batches are looked up
    before processing and the writer checks only what was stored since)."""
    first, again = folders
    env = {"WIJKZICHT_INGEST_BATCH": str(BATCH), "WIJKZICHT_INGEST_WORKERS": workers}
    before = [first / "pc6hnr20240801_gwb.csv"] if stored_before else []
    alone, expected = _run([first], tmp_path / "alone.duckdb", before, **env)
    both, store = _run([first, again], tmp_path / "both.duckdb", before, **env)
    previous = 1 if stored_before else 0  # the pc6 file of ``before`` is a duplicate too
    assert alone.duplicates == previous and both.duplicates == 11 + previous
    assert both.received == alone.received + 11
    assert (both.accepted, both.quarantined) == (alone.accepted, alone.quarantined)
    assert store == expected  # same rows, same seq: no second copy was stored


def test_stored_keys_are_exact_to_the_item_number(tmp_path):
    """Earlier runs' items are looked up in memory: numbers sharing their first 64 bits, or
    differing only past the 124th bit, are told apart exactly as ``raw_items.k`` does."""
    con = connect(tmp_path / "s.duckdb")
    try:
        stored = ["0" * 16 + "1" * 48, "0" * 16 + "3" * 48, "f" * 64, "abc" + "0" * 61]
        con.executemany(
            "INSERT INTO raw_items (key, seq, kind, source, size, payload, k) "
            "VALUES (?, ?, 'ijw', 'x', 0, ''::BLOB, ?)",
            [(k, n, item_number(k)) for n, k in enumerate(stored, 1)],
        )
        writer = Writer(con)
        asked = [
            "0" * 16 + "2" * 48,  # first 64 bits as two stored ones, the rest between them
            "0" * 16 + "1" * 30 + "e" + "5" * 17,  # stored[0] up to the 124th bit: same number
            "f" * 63 + "0",  # stored[2] in its first 124 bits
            "abc" + "0" * 60 + "1",  # stored[3] too
            "abb" + "f" * 61,  # just below stored[3]
            "1" * 64,  # between all of them
        ]
        assert writer.known(asked) == {asked[1], asked[2], asked[3]}
        assert writer.known(asked, since=2) == {asked[2], asked[3]}  # a scan from seq 2
        assert writer.known([]) == set()
    finally:
        con.close()
