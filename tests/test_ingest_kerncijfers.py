"""Area characteristics (``gebieden/kerncijfers.csv``): the generated file is recognised by its
header, loads into ``area_kenmerken`` with counts that reconcile, a re-delivery replaces, and a
bad row quarantines the file with a reason naming line and column."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from wijkzicht import settings as settings_mod
from wijkzicht.ingest import ingest
from wijkzicht.store import Keys, connect
from wijkzicht.synth.city import generate_city
from wijkzicht.synth.kerncijfers import MIN_INWONERS, KerncijfersWriter

KEY = "wijkzicht-test-key-0123456789"
SMALL = {"youth": 1_500, "n_wijken": 3, "buurten_per_wijk": 4, "first_year": 2023}
HEADER = "jaar;gebiedscode;soort;inwoners;huishoudens;pct_laag_inkomen;pct_eenouder;pct_uitkering\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kerncijfers")
    with KerncijfersWriter(out) as w:
        w.write(generate_city(5, **SMALL), seed=5)
    return out / "gebieden" / "kerncijfers.csv"


def run(paths: list[Path], db: Path, kind: str | None = None):
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY, "WIJKZICHT_INGEST_WORKERS": "1"})
    con = connect(db)
    try:
        return ingest(paths, con, Keys(KEY), s, kind=kind)[1]
    finally:
        con.close()


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def _num(text: str) -> float | None:
    return float(text.replace(",", ".")) if text else None


def test_generated_file_ingests_and_reconciles(tmp_path: Path, generated: Path) -> None:
    rows = _csv(generated)
    counts = run([generated], tmp_path / "s.duckdb")
    assert counts.accepted == 1 and counts.quarantined == 0
    assert counts.by_kind == {"kerncijfers": 1}
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    stored = {
        (r[0], r[1]): r[2:]
        for r in con.execute("SELECT * FROM area_kenmerken ORDER BY ALL").fetchall()
    }
    assert len(stored) == len(rows)
    for r in rows:
        want = (
            int(r["inwoners"]),
            int(r["huishoudens"]),
            *(_num(r[c]) for c in ("pct_laag_inkomen", "pct_eenouder", "pct_uitkering")),
        )
        assert stored[(r["gebiedscode"], int(r["jaar"]))] == pytest.approx(want), r
    # wijk and gemeente rows are the sums of their buurten (inwoners, huishoudens)
    for y in (2023, 2024):
        got = con.execute(
            """
            SELECT w.area_code, w.inwoners, w.huishoudens, sum(b.inwoners), sum(b.huishoudens)
            FROM area_kenmerken w JOIN area_kenmerken b
              ON b.jaar = w.jaar AND substr(b.area_code, 3, 6) = substr(w.area_code, 3, 6)
             AND b.area_code LIKE 'BU%'
            WHERE w.jaar = ? AND w.area_code LIKE 'WK%'
            GROUP BY ALL
            """,
            [y],
        ).fetchall()
        assert len(got) == 3
        assert all(r[1] == r[3] and r[2] == r[4] for r in got), got
        gm, wk = con.execute(
            "SELECT sum(inwoners) FILTER (area_code LIKE 'GM%'), "
            "sum(inwoners) FILTER (area_code LIKE 'WK%') FROM area_kenmerken WHERE jaar = ?",
            [y],
        ).fetchone()
        assert gm == wk > 1_500 / 0.3
    # the percentages of the gemeente are the household-weighted mean of its buurten
    low, weighted = con.execute(
        """
        SELECT max(pct_laag_inkomen) FILTER (area_code LIKE 'GM%'),
               sum(pct_laag_inkomen * huishoudens) FILTER (area_code LIKE 'BU%'
                   AND pct_laag_inkomen IS NOT NULL)
               / sum(huishoudens) FILTER (area_code LIKE 'BU%' AND pct_laag_inkomen IS NOT NULL)
        FROM area_kenmerken WHERE jaar = 2024
        """
    ).fetchone()
    assert abs(low - weighted) < 1.0
    small = con.execute(
        "SELECT count(*) FROM area_kenmerken WHERE inwoners < ? AND pct_laag_inkomen IS NOT NULL",
        [MIN_INWONERS],
    ).fetchone()
    assert small == (0,)


def test_redelivery_replaces_area_and_year(tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text(
        HEADER + "2024;GM0344;gemeente;1000;450;12,5;6,0;3,1\n2024;WK034401;wijk;400;180;;;\n",
        encoding="utf-8",
    )
    again = tmp_path / "again.csv"  # StatLine codes with trailing spaces, decimal points
    again.write_text(HEADER + "2024;GM0344  ;gemeente;1010;455;13.0;6.0;.\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    run([first], db)
    run([again, first], db)  # `first` again is a duplicate and changes nothing
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT * FROM area_kenmerken ORDER BY area_code").fetchall() == [
        ("GM0344", 2024, 1010, 455, 13.0, 6.0, None),
        ("WK034401", 2024, 400, 180, None, None, None),
    ]


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("2024;WK034401;buurt;10;5;1;1;1", "line 2, column gebiedscode: value 'WK034401'"),
        ("2024;GM0344;stad;10;5;1;1;1", "column soort: value 'stad' is not one of"),
        ("2024;GM0344;gemeente;10;5;120;1;1", "column pct_laag_inkomen: value '120' is above"),
        ("2024;GM0344;gemeente;10;5;1;veel;1", "column pct_eenouder: value 'veel' is not a perc"),
        ("2024;GM0344;gemeente;-3;5;1;1;1", "column inwoners: value '-3' is outside"),
        ("24x;GM0344;gemeente;10;5;1;1;1", "column jaar: value '24x' is not a whole number"),
    ],
)
def test_bad_rows_quarantine_the_file_with_a_reason(tmp_path: Path, row: str, words: str):
    path = tmp_path / "k.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    counts = run([path], db)
    assert counts.quarantined == 1 and counts.accepted == 0
    con = duckdb.connect(str(db), read_only=True)
    kind, rule, reason, reason_nl = con.execute(
        "SELECT kind, rule, reason, reason_nl FROM quarantine"
    ).fetchone()
    assert (kind, rule) == ("kerncijfers", "CSV")
    assert words in reason, reason
    assert reason_nl.startswith("regel 2, kolom ")
    assert con.execute("SELECT count(*) FROM area_kenmerken").fetchone() == (0,)


def test_kind_can_be_forced(tmp_path: Path, generated: Path) -> None:
    db = tmp_path / "s.duckdb"
    assert run([generated], db, kind="kerncijfers").accepted == 1
    bevolking = tmp_path / "b.csv"
    bevolking.write_text("jaar;gemeentecode\n2024;GM0344\n", encoding="utf-8")
    counts = run([bevolking], db, kind="kerncijfers")
    assert counts.quarantined == 1
    with duckdb.connect(str(db), read_only=True) as con:
        (reason,) = con.execute("SELECT reason FROM quarantine").fetchone()
    assert "kerncijfers layout" in reason
