"""The synthetic city goes through the ingest: every data file is recognised, the deliberate
errors (truth/fouten.csv, TR056 included) are exactly the quarantined messages — the valid
traffic raises no cross-message (level-3) rule —, and the run is the same inline and with
worker processes."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from wijkzicht import settings as settings_mod
from wijkzicht.ingest import ingest
from wijkzicht.store import Keys, connect, snapshot
from wijkzicht.synth.run import generate

KEY = "wijkzicht-test-key-0123456789"
DATA = ("berichten", "bij", "brp", "bevolking", "gebieden", "ervaring")


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demostad")
    generate(out, seed=3, first_year=2024, last_year=2024, youth=600, error_rate=0.05)
    return out


def run(city: Path, db: Path, xsd_dir: Path, **env: str):
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY, **env}).replace(ijw_xsd_dir=xsd_dir)
    con = connect(db)
    try:
        return ingest([city / d for d in DATA if (city / d).exists()], con, Keys(KEY), s)[1]
    finally:
        con.close()


def test_synthetic_city_ingests_and_errors_match_the_truth(tmp_path, city, xsd_dir):
    db = tmp_path / "s.duckdb"
    counts = run(city, db, xsd_dir)
    assert counts.received == counts.accepted + counts.quarantined
    assert {"ijw", "bij", "brp", "bevolking", "pc6", "geojson"} <= set(counts.by_kind)
    con = duckdb.connect(str(db), read_only=True)
    quarantined = {
        str(Path(source).relative_to(city)): rule
        for source, rule in con.execute("SELECT source, rule FROM quarantine").fetchall()
    }
    with (city / "truth" / "fouten.csv").open(encoding="utf-8") as fh:
        truth = {r["bestand"]: r["regel"] for r in csv.DictReader(fh, delimiter=";")}
    assert "TR056" in truth.values()
    assert set(quarantined) == set(truth)
    for name, rule in truth.items():
        assert quarantined[name] == rule, name
    assert con.execute("SELECT count(*) FROM address_pending").fetchone() == (0,)
    resolved = con.execute(
        "SELECT count(buurt_code) FROM address_history WHERE bron = 'brp'"
    ).fetchone()[0]
    assert resolved > 0


def test_inline_and_worker_runs_store_the_same(tmp_path, city, xsd_dir):
    inline, workers = tmp_path / "inline.duckdb", tmp_path / "workers.duckdb"
    run(city, inline, xsd_dir, WIJKZICHT_INGEST_BATCH="100000")
    run(city, workers, xsd_dir, WIJKZICHT_INGEST_BATCH="50", WIJKZICHT_INGEST_WORKERS="2")
    with (
        duckdb.connect(str(inline), read_only=True) as a,
        duckdb.connect(str(workers), read_only=True) as b,
    ):
        assert snapshot(a) == snapshot(b)


@pytest.mark.slow
def test_messages_newest_first_over_several_runs_store_the_same(tmp_path, city):
    """The traffic backwards (every stop before its start, every claim before its toewijzing)
    in three runs gives the store of one run in order — the order of receipt (seq) aside."""
    from test_ingest_crosscheck import store

    files = sorted(p for p in (city / "berichten").rglob("*") if p.is_file())
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY})
    forward, backward = tmp_path / "forward.duckdb", tmp_path / "backward.duckdb"
    reclassified = 0
    for db, runs in ((forward, [files]), (backward, [files[::-1][i::3] for i in range(3)])):
        for paths in runs:
            con = connect(db)
            try:
                counts = ingest(paths, con, Keys(KEY), s)[1]
            finally:
                con.close()
            assert counts.received == counts.accepted + counts.quarantined + counts.duplicates
            reclassified += counts.reclassified
    assert reclassified > 0  # stops, claims … accepted once their predecessors came
    assert store(backward) == store(forward)
