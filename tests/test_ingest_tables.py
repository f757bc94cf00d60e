"""The non-iJw inputs: recognised by header, pseudonymised with the same key as iJw, addresses
resolved to buurten in whatever order the pc6 table arrives."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from wijkzicht import settings as settings_mod
from wijkzicht.ingest import ingest, tables
from wijkzicht.ingest import run as run_mod
from wijkzicht.ingest.run import _chunks
from wijkzicht.ingest.sources import Item
from wijkzicht.store import Keys, NotStoredError, connect, read_raw, snapshot
from wijkzicht.store.schema import ITEM_NUMBER_SQL, item_number

KEY = "wijkzicht-test-key-0123456789"
BSN_CHILD = "999900006"  # the client of the iJw examples
BSN_PARENT = "999900018"

BRP = (
    "bsn;geslachtsnaam;voornamen;geboortedatum;geslacht;bsn_gezagsdrager;postcode;huisnummer;"
    "gemeentecode;datum_aanvang;datum_einde\n"
    f"{BSN_CHILD};Wit;Tom;2010-02-14;M;{BSN_PARENT};1234AB;12;0344;2010-02-14;2020-05-01\n"
    f"{BSN_CHILD};Wit;Tom;2010-02-14;M;{BSN_PARENT};5678CD;3;0344;2020-05-01;\n"
)
PC6 = (
    "PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"
    "1234AB;12;3440101;34401;344\n"
    "1234AB;14;3440101;34401;344\n"
    "5678CD;3;3440202;34402;344\n"
)
BIJ = (
    "bsn;geboortedatum;geslacht;postcode;gemeentecode;aanbieder;verwijzer;hulpvorm;"
    "gestart_met_crisis;datum_aanvang;datum_einde;reden_beeindiging;periode\n"
    f"{BSN_CHILD};20100200;M;1234AB;0344;12345678;01;01;02;20230101;20230601;01;2023H1\n"
)
BEVOLKING = (
    "jaar;gemeentecode;wijkcode;buurtcode;leeftijd_van;leeftijd_tot;aantal\n"
    "2024;GM0344;WK034401;BU03440101;0;3;120\n"
    "2024;GM0344;WK034401;BU03440101;4;11;300\n"
)
ERVARING = (
    "bsn;aanbieder;jaar;nut_effect;tevredenheid;zonder_hulp_verder\n"
    f"{BSN_CHILD};12345678;2024;4;5;ja\n{BSN_PARENT};12345678;2024;;3;\n"
)
GEOJSON = {
    "type": "FeatureCollection",
    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
    "features": [
        {
            "type": "Feature",
            "properties": {"statcode": "BU03440101 ", "statnaam": "Binnenstad", "soort": "buurt",
                           "gemeentecode": "GM0344", "wijkcode": "WK034401"},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        },
        {
            "type": "Feature",
            "properties": {"statcode": "GM0344", "statnaam": "Utrecht", "soort": "gemeente"},
            "geometry": None,
        },
    ],
}  # fmt: skip


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    files = {
        "brp.csv": BRP,
        "pc6hnr20240801_gwb.csv": PC6,
        "bij.csv": BIJ,
        "bevolking.csv": BEVOLKING,
        "cevo.csv": ERVARING,
        "gebieden.geojson": json.dumps(GEOJSON),
    }
    out = {}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        out[name] = folder / name
    return out


def run(paths, db: Path, **env: str):
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY, **env})
    con = connect(db)
    try:
        return ingest(list(paths), con, Keys(s.secret()), s)[1]
    finally:
        con.close()


def test_every_kind_is_recognised_and_stored(tmp_path, inputs, examples_dir):
    db = tmp_path / "s.duckdb"
    counts = run([*inputs.values(), examples_dir / "JW301.xml"], db)
    assert counts.accepted == 7 and counts.quarantined == 0
    assert counts.by_kind == {"brp": 1, "pc6": 1, "bij": 1, "bevolking": 1, "ervaring": 1,
                              "geojson": 1, "ijw": 1}  # fmt: skip
    con = duckdb.connect(str(db), read_only=True)
    child = Keys(KEY).pseudonym(BSN_CHILD)
    parent = Keys(KEY).pseudonym(BSN_PARENT)
    brp = con.execute(
        "SELECT client, gezagsdrager, geboortemaand::VARCHAR, geslacht, valid_from::VARCHAR, "
        "valid_to::VARCHAR, gemeente_code, wijk_code, buurt_code FROM address_history "
        "WHERE bron = 'brp' ORDER BY valid_from"
    ).fetchall()
    assert brp == [
        (child, parent, "2010-02-01", "M", "2010-02-14", "2020-05-01", "GM0344", "WK034401",
         "BU03440101"),
        (child, parent, "2010-02-01", "M", "2020-05-01", None, "GM0344", "WK034402",
         "BU03440202"),
    ]  # fmt: skip
    # the same key gives the same pseudonym in iJw, BRP, BIJ and the survey
    assert con.execute("SELECT DISTINCT client FROM toewijzingen").fetchall() == [(child,)]
    assert con.execute("SELECT client, buurt_code, geboortemaand::VARCHAR, "
                       "geboortedatum_gebruik FROM bij_records").fetchall() == [
        (child, "BU03440101", "2010-02-01", "1")
    ]  # fmt: skip
    survey = con.execute("SELECT client, zonder_hulp_verder FROM ervaring ORDER BY pos")
    assert survey.fetchall() == [(child, True), (parent, None)]
    assert con.execute("SELECT sum(aantal) FROM population").fetchone() == (420,)
    areas = con.execute("SELECT code, soort, naam, wijk_code, crs FROM areas ORDER BY code")
    assert areas.fetchall() == [
        ("BU03440101", "buurt", "Binnenstad", "WK034401", "urn:ogc:def:crs:EPSG::28992"),
        ("GM0344", "gemeente", "Utrecht", None, "urn:ogc:def:crs:EPSG::28992"),
    ]
    assert con.execute("SELECT count(*) FROM address_pending").fetchone() == (0,)


def test_addresses_wait_for_the_pc6_table_across_runs(tmp_path, inputs):
    late = tmp_path / "late.duckdb"
    run([inputs["brp.csv"], inputs["bij.csv"]], late)
    with duckdb.connect(str(late), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM address_pending").fetchone() == (3,)
        assert con.execute("SELECT count(buurt_code) FROM address_history").fetchone() == (0,)
    run([inputs["pc6hnr20240801_gwb.csv"]], late)
    together = tmp_path / "together.duckdb"
    run([inputs["pc6hnr20240801_gwb.csv"], inputs["brp.csv"], inputs["bij.csv"]], together)
    tables = ("address_history", "bij_records", "address_pending", "pc6_adressen")
    with (
        duckdb.connect(str(late), read_only=True) as a,
        duckdb.connect(str(together), read_only=True) as b,
    ):
        sa, sb = snapshot(a), snapshot(b)
        for t in tables:
            assert sa[t] == sb[t], t


def test_names_never_reach_the_store_but_the_raw_archive_keeps_them(tmp_path, inputs):
    db = tmp_path / "s.duckdb"
    run([inputs["brp.csv"]], db)
    con = duckdb.connect(str(db), read_only=True)
    (key,) = con.execute("SELECT key FROM raw_items").fetchone()
    assert read_raw(con, key, Keys(KEY)).decode() == BRP
    for table, rows in snapshot(con).items():
        assert "Wit" not in repr(rows) and BSN_CHILD not in repr(rows), table
    for wrong in ("f" * 64, key[:-1] + ("0" if key[-1] != "0" else "1"), "x' OR 1=1 --", ""):
        with pytest.raises(NotStoredError, match="no raw item"):
            read_raw(con, wrong, Keys(KEY))


@pytest.mark.parametrize(
    ("name", "text", "rule", "words"),
    [
        ("bad_bsn.csv", BRP.replace(BSN_CHILD, "123456789", 1), "CS002", "line 2, column bsn"),
        ("bad_date.csv", BIJ.replace("20230101", "20231301"), "CSV", "datum_aanvang"),
        ("short_row.csv", BEVOLKING + "2024;GM0344\n", "CSV", "line 4 has 2 fields"),
        ("bad_geslacht.csv", BIJ.replace(";M;", ";X;"), "CSV", "'X'"),
        ("unknown.csv", "a;b;c\n1;2;3\n", "KIND", "'a;b;c'"),
        ("notgeo.json", '{"type": "Feature"}', "GEOJSON", "FeatureCollection"),
    ],
)
def test_bad_csv_files_are_quarantined_naming_line_and_column(tmp_path, name, text, rule, words):
    path = tmp_path / name
    path.write_text(text)
    db = tmp_path / "s.duckdb"
    counts = run([path], db)
    assert counts.quarantined == 1
    con = duckdb.connect(str(db), read_only=True)
    got_rule, reason = con.execute("SELECT rule, reason FROM quarantine").fetchone()
    assert got_rule == rule and words in reason, reason
    assert "123456789" not in reason


def test_kind_can_be_forced(tmp_path, inputs):
    db = tmp_path / "s.duckdb"
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY})
    con = connect(db)
    _, counts = ingest([inputs["bij.csv"]], con, Keys(KEY), s, kind="brp")
    assert counts.quarantined == 1
    rule, reason = con.execute("SELECT rule, reason FROM quarantine").fetchone()
    assert rule == "CSV" and "brp layout" in reason


def test_rows_in_many_arrow_chunks_store_the_same_and_the_last_duplicate_wins(
    tmp_path, inputs, monkeypatch
):
    """A CSV is stored in chunks of CHUNK_ROWS rows; one row per chunk must give the store that
    one chunk gives, and a natural key repeated in a reference table keeps its last row."""
    pc6 = inputs["pc6hnr20240801_gwb.csv"]
    pc6.write_text(PC6 + "1234AB;12;3440202;34402;344\n", encoding="utf-8")  # moved: last wins
    run(inputs.values(), tmp_path / "one.duckdb")
    monkeypatch.setattr(tables, "CHUNK_ROWS", 1)
    run(inputs.values(), tmp_path / "many.duckdb")
    one, many = (duckdb.connect(str(tmp_path / f"{n}.duckdb")) for n in ("one", "many"))
    assert snapshot(one) == snapshot(many)
    assert many.execute(
        "SELECT buurt_code FROM pc6_adressen WHERE postcode = '1234AB' AND huisnummer = 12"
    ).fetchall() == [("BU03440202",)]
    assert many.execute(
        "SELECT buurt_code FROM address_history ORDER BY valid_from"
    ).fetchall() == [("BU03440202",), ("BU03440202",)]


def test_batches_end_at_the_byte_limit_in_input_order(tmp_path, inputs):
    """WIJKZICHT_INGEST_BATCH_BYTES cuts batches by size (a large file alone); the store is the
    one that a single batch gives."""
    run(inputs.values(), tmp_path / "one.duckdb")
    counts = run(inputs.values(), tmp_path / "small.duckdb", WIJKZICHT_INGEST_BATCH_BYTES="100")
    assert counts.as_dict() == {"received": 6, "accepted": 6, "quarantined": 0, "duplicates": 0}
    one, small = (duckdb.connect(str(tmp_path / f"{n}.duckdb")) for n in ("one", "small"))
    assert snapshot(one) == snapshot(small)
    assert small.execute("SELECT list(seq ORDER BY source) FROM raw_items").fetchone() == (
        one.execute("SELECT list(seq ORDER BY source) FROM raw_items").fetchone()
    )


def test_chunks_respect_count_and_bytes():
    sizes = [5, 5, 20, 1, 1, 1]
    items = [Item(f"f{n}", None, b"x" * size, str(n), size) for n, size in enumerate(sizes)]
    batches = [[i.source for i in b] for b in _chunks(items, 2, 10)]
    assert batches == [["f0", "f1"], ["f2"], ["f3", "f4"], ["f5"]]


def test_addresses_take_the_newest_pc6_year_of_the_run_whatever_the_batches(tmp_path, inputs):
    """Addresses are resolved in the run's last transaction: a pc6 year arriving in a later
    batch than the BRP and an older pc6 year still decides (the newest year wins)."""
    older = inputs["brp.csv"].parent / "pc6hnr20230801_gwb.csv"
    older.write_text(PC6.replace("2024", "2023").replace("3440101", "3440909"), encoding="utf-8")
    paths = [inputs["brp.csv"], older, *(p for n, p in inputs.items() if n != "brp.csv")]
    for name, env in (("one", {}), ("apart", {"WIJKZICHT_INGEST_BATCH_BYTES": "1"})):
        run(paths, tmp_path / f"{name}.duckdb", **env)
        con = duckdb.connect(str(tmp_path / f"{name}.duckdb"))
        assert con.execute(
            "SELECT list(buurt_code ORDER BY valid_from) FROM address_history"
        ).fetchone() == (["BU03440101", "BU03440202"],), name
        assert con.execute("SELECT count(*) FROM address_pending").fetchone() == (0,)


def test_duckdb_memory_is_limited_during_the_run_and_restored_after(tmp_path, inputs, monkeypatch):
    s = settings_mod.load(
        {"WIJKZICHT_PSEUDONYM_KEY": KEY, "WIJKZICHT_INGEST_DB_MEMORY": str(300 * 1024**2)}
    )
    con = connect(tmp_path / "m.duckdb")
    con.execute("SET memory_limit = '2GB'")
    seen, last = [], []

    def progress(counts) -> None:
        seen.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])

    def crosscheck(c, since):
        last.append(c.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        return real_crosscheck(c, since)

    real_crosscheck = run_mod.crosscheck
    monkeypatch.setattr(run_mod, "crosscheck", crosscheck)
    ingest(list(inputs.values()), con, Keys(s.secret()), s, progress=progress)
    # the setting for the whole run: batches and the last transaction (what DuckDB cannot
    # evict grows with the store; a fixed 256 MiB for batches stopped the national profile)
    assert seen and set(seen) == {"300.0 MiB"}
    assert last == ["300.0 MiB"]
    limit = "SELECT current_setting('memory_limit')"
    assert con.execute(limit).fetchone()[0].startswith("1.")  # 2 GB, to 0.1 GiB
    con.execute("RESET memory_limit")
    default = con.execute(limit).fetchone()
    ingest(list(inputs.values()), con, Keys(s.secret()), s)
    assert con.execute(limit).fetchone() == default != ("300.0 MiB",)


def test_the_store_keeps_no_index_that_grows_with_it(tmp_path, inputs):
    """DuckDB holds an index whole in memory (~115 bytes per item for the sha256 key): a
    national store's ingest grew by ~1.5 GB. The duplicate check scans ``raw_items.k``."""
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY})
    con = connect(tmp_path / "i.duckdb")
    _, counts = ingest(list(inputs.values()), con, Keys(s.secret()), s)
    assert counts.accepted > 0
    kinds = con.execute(
        "SELECT DISTINCT constraint_type FROM duckdb_constraints() WHERE table_name = 'raw_items'"
    ).fetchall()
    assert kinds == [("NOT NULL",)]
    # k is the first 124 bits of the key, alike in Python and in SQL
    number = ITEM_NUMBER_SQL.format(key="key")
    rows = con.execute(f"SELECT key, k, {number} FROM raw_items")  # noqa: S608
    assert all(k == item_number(key) == sql for key, k, sql in rows.fetchall())
