"""The same care expressions on Spark over Parquet exports of the store give what DuckDB gives
(the hand-made rule store of test_care_rules, every rule in it)."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from datetime import date

import ibis
import pytest

from test_care_rules import BT, HORIZON, Fixture, P, T, _fill
from wijkzicht.care import area_in_period, build
from wijkzicht.indicators.run import MemoryLimitError, Request, indicator_table, local_spark
from wijkzicht.store import connect

pytestmark = [
    pytest.mark.slow,
    # pyspark 4.0 converts results through pandas with options pandas 3 deprecates
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
    # py4j leaves its gateway sockets to the garbage collector
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
]

TABLES = ("messages", "quarantine", "raw_items", "toewijzingen", "starts", "stops",
          "verzoeken", "prestaties", "bij_records", "address_history", "areas")  # fmt: skip
# Spark has no TIME type: the export writes Toewijzingstijd as text (HH:MM:SS sorts the same).
EXPORT = {
    "raw_items": "* EXCLUDE (payload)",
    "toewijzingen": "* REPLACE (CAST(toewijzingstijd AS VARCHAR) AS toewijzingstijd)",
}


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("Spark needs Java 17 (java on PATH or JAVA_HOME); CI machines have it")

    tmp = tmp_path_factory.mktemp("care-spark")
    con = connect(tmp / "rules.duckdb")
    _fill(Fixture(con))
    con.execute(
        "INSERT INTO address_history (key, pos, bron, client, geboortemaand, valid_from, "
        "valid_to, gemeente_code, wijk_code, buurt_code) VALUES ('a', 0, 'brp', 'merge', "
        "'2010-03-01', '2020-01-01', '2023-05-01', 'GM9999', 'WK999901', 'BU99990101'), "
        "('a', 1, 'brp', 'merge', '2010-03-01', '2023-05-01', NULL, 'GM9999', 'WK999902', "
        "'BU99990201')"
    )
    con.execute(
        "INSERT INTO raw_items (key, seq, kind, source, k) VALUES ('a', 999, 'brp', 'f', 999)"
    )
    con.execute("INSERT INTO areas (code, soort) VALUES ('GM9999', 'gemeente')")
    for t in TABLES:
        path = tmp / f"{t}.parquet"
        select = f"SELECT {EXPORT.get(t, '*')} FROM {t}"  # noqa: S608 - fixed table names
        con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
    session = local_spark("wijkzicht-care-tests")
    for t in TABLES:
        session.read.parquet(str(tmp / f"{t}.parquet")).createOrReplaceTempView(t)
    yield con, ibis.pyspark.connect(session)
    session.stop()
    con.close()


def test_spark_builds_the_same_trajectories(engines):
    duck, spark = engines
    want = build(duck, horizon=HORIZON).to_pyarrow().to_pylist()
    got = build(spark, horizon=HORIZON).to_pyarrow().to_pylist()
    assert len(want) > 15
    assert got == want


@pytest.mark.parametrize("staged", [False, True])
def test_spark_gives_the_providers_table_kinds_like_duckdb(engines, staged):
    duck, spark = engines
    kinds = {P: "regionaal", BT: "buurtteam", "99999999": "landelijk"}  # one not in the data
    want = build(duck, horizon=HORIZON, providers=kinds, staged=staged).to_pyarrow()
    got = build(spark, horizon=HORIZON, providers=kinds, staged=staged).to_pyarrow()
    assert got.to_pylist() == want.to_pylist()
    rows = want.select(["aanbieder", "aanbieder_soort"]).to_pylist()
    by_provider = {r["aanbieder"]: r["aanbieder_soort"] for r in rows}
    assert by_provider[P] == "regionaal"  # from the table (the data show no kind for it)
    assert by_provider[T] == "wijkpartner"  # not in the table: the kind the data show


def test_spark_places_youth_in_the_same_area(engines):
    duck, spark = engines
    start, end = date(2023, 1, 1), date(2023, 4, 30)
    want = area_in_period(duck, start, end).to_pyarrow().to_pylist()
    got = area_in_period(spark, start, end).to_pyarrow().to_pylist()
    assert (
        want
        == got
        == [
            {
                "pseudonym": "merge",
                "gemeente_code": "GM9999",
                "wijk_code": "WK999901",
                "buurt_code": "BU99990101",
            }
        ]
    )


def test_indicators_on_spark_equal_those_on_duckdb(engines):
    """``indicators --engine spark``: the store exported to Parquet, the whole catalogue on
    Spark, the same rows as on DuckDB (raw and public)."""
    duck, _ = engines
    tables = {}
    for raw in (True, False):
        want = Request(periods=["2023", "2023-Q2"], raw=raw, horizon=HORIZON)
        got = indicator_table(duck, replace(want, engine="spark"))
        tables[raw] = expected = indicator_table(duck, want)
        assert got.num_rows == expected.num_rows > 100
        assert got.equals(expected)
    counted = {r["indicator"] for r in tables[True].to_pylist() if r["numerator"]}
    assert "jeugdhulp_0_17" in counted  # the youth with an address and a birth month


def test_the_export_for_spark_runs_under_the_indicators_memory_limit(engines, monkeypatch):
    """On Spark DuckDB only writes the Parquet export, but that reads the whole store beside
    the Spark driver's JVM: WIJKZICHT_INDICATORS_DB_MEMORY caps it too (a national store
    uncapped filled the machine), and the connection's own limit comes back."""
    duck, _ = engines
    before = duck.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    monkeypatch.setenv("WIJKZICHT_INDICATORS_DB_MEMORY", str(2**20))
    request = Request(periods=["2023"], raw=True, horizon=HORIZON, engine="spark")
    with pytest.raises(MemoryLimitError, match="WIJKZICHT_INDICATORS_DB_MEMORY") as e:
        indicator_table(duck, request)
    assert "--engine spark" not in str(e.value)  # it is the engine already
    assert duck.execute("SELECT current_setting('memory_limit')").fetchone()[0] == before
