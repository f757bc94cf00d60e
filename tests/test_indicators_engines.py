"""The Ibis indicators equal the plain-Python reference, on DuckDB and on Spark.

Both engines get the generator's truth as input (``synth.truth_tables``), so this checks the
indicator code alone; the round trip through ingest and the rebuilt trajectories is tested
elsewhere.
"""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import replace

import ibis
import pyarrow as pa
import pytest

from wijkzicht.indicators.catalogue import BY_NAME, CATALOGUE
from wijkzicht.indicators.engine import Engine, Sources, compute
from wijkzicht.indicators.periods import periods_of_years
from wijkzicht.indicators.run import local_spark
from wijkzicht.synth import truth_tables as tt
from wijkzicht.synth.care import simulate
from wijkzicht.synth.city import generate_city
from wijkzicht.synth.reference import rows

Key = tuple[str, str, str]


@pytest.fixture(scope="module")
def city_and_truth():
    city = generate_city(3, youth=1200, first_year=2024, last_year=2024)
    return city, simulate(city, 3)


@pytest.fixture(scope="module")
def reference(city_and_truth) -> dict[Key, tuple]:
    city, trajectories = city_and_truth
    return {(r[0], r[1], r[2]): tuple(r[3:]) for r in rows(city, trajectories)}


def _sources(con: ibis.BaseBackend, city, trajectories) -> Sources:
    def table(columns: dict) -> ibis.Table:
        return ibis.memtable(pa.table(columns))

    return Sources(
        trajectories=table(tt.trajectory_columns(trajectories)),
        persons=table(tt.person_columns(city)),
        addresses=table(tt.address_columns(city)),
        areas=table(tt.area_columns(city)),
    )


def cells(table: pa.Table) -> dict[Key, tuple]:
    """(indicator, area, period) → (numerator, denominator, value) of a computed table."""
    return {
        (r["indicator"], r["area_code"], r["period"]): (
            r["numerator"],
            r["denominator"],
            r["value"],
        )
        for r in table.to_pylist()
    }


def _result(con: ibis.BaseBackend, city, trajectories) -> dict[Key, tuple]:
    codes = [p.code for p in periods_of_years(city.first_year, city.last_year)]
    return cells(compute(Engine(con, _sources(con, city, trajectories), codes)))


def _same(a, b) -> bool:
    a_none = a is None or (isinstance(a, float) and math.isnan(a))
    b_none = b is None or (isinstance(b, float) and math.isnan(b))
    if a_none or b_none:
        return a_none and b_none
    return abs(float(a) - float(b)) < 1e-9 * max(1.0, abs(float(a)))


def _differences(reference: dict[Key, tuple], got: dict[Key, tuple]) -> list[str]:
    out = [f"missing {k}" for k in sorted(set(reference) - set(got))[:10]]
    out += [f"extra {k}" for k in sorted(set(got) - set(reference))[:10]]
    for k in sorted(set(reference) & set(got)):
        if not all(_same(x, y) for x, y in zip(reference[k], got[k], strict=True)):
            out.append(f"{k}: reference {reference[k]}, engine {got[k]}")
    return out


def test_duckdb_equals_the_reference(city_and_truth, reference) -> None:
    got = _result(ibis.duckdb.connect(), *city_and_truth)
    assert len(got) == len(reference) > 10_000
    assert {k[0] for k in got} == {i.name for i in CATALOGUE}
    assert _differences(reference, got) == []


def test_a_buurt_share_of_an_indicator_published_only_per_wijk(city_and_truth) -> None:
    """Numerators are counted only at the levels an indicator is published at, but a share's
    denominator indicator is counted at the share's levels too: a buurt share of a wijk-only
    count has the buurt counts of that indicator (computed alone at buurt level) as its
    denominator."""
    city, trajectories = city_and_truth
    per_wijk = BY_NAME["jeugdhulp_zonder_verblijf_0_17"]
    count = replace(per_wijk, name="per_wijk_only", levels=("gemeente", "wijk"))
    share = replace(
        BY_NAME["zorg_dichtbij"], name="share_per_buurt", denominator="per_wijk_only",
        levels=("gemeente", "wijk", "buurt"),
    )  # fmt: skip
    by_buurt = replace(per_wijk, name="per_wijk_only", levels=("buurt",))
    con = ibis.duckdb.connect()
    codes = [p.code for p in periods_of_years(city.first_year, city.last_year)]
    engine = Engine(con, _sources(con, city, trajectories), codes)
    shares = compute(engine, [count, share]).to_pylist()
    counts = compute(engine, [by_buurt]).to_pylist()
    expected = {(r["area_code"], r["period"]): r["numerator"] for r in counts}
    buurt = [r for r in shares if r["area_code"].startswith("BU")]
    assert len(buurt) == len(expected) > 100
    assert sum(r["denominator"] > 0 for r in buurt) > 20
    assert all(r["denominator"] == expected[r["area_code"], r["period"]] for r in buurt)


def test_the_counting_tables_are_dropped_once_the_counts_are_read(city_and_truth) -> None:
    """A rebuild's intermediate tables live in DuckDB's memory: the youth table and the
    trajectory × period tables are gone once the counts are read; the trajectories and the
    periods stay (a later request reads them)."""
    city, trajectories = city_and_truth
    con = ibis.duckdb.connect()
    codes = [p.code for p in periods_of_years(city.first_year, city.last_year)]
    engine = Engine(con, _sources(con, city, trajectories), codes)

    def temporary() -> list[set[str]]:
        rows = con.raw_sql(
            "SELECT table_name, list(column_name) FROM duckdb_columns() "
            "WHERE database_name = 'temp' GROUP BY table_name"
        ).fetchall()
        return [set(columns) for _, columns in rows]

    engine.youth()  # what the counting builds on
    assert any({"in_period", "on_peildatum"} <= c for c in temporary())
    assert len(compute(engine)) > 10_000
    left = temporary()
    assert not any({"in_period", "on_peildatum"} <= c or "age" in c for c in left)
    assert any({"traject_id", "pid"} <= c for c in left)  # the trajectories


def test_reference_is_not_trivial(reference) -> None:
    """Guard against an empty oracle: most indicators have some non-zero cells."""
    nonzero = {k[0] for k, v in reference.items() if v[0]}
    assert len(nonzero) >= 0.8 * len(CATALOGUE)


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("Spark needs Java 17 (java on PATH or JAVA_HOME); CI machines have it")

    # the driver is configured from the setting (a value other than the default, so a
    # hard-coded size would fail here)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WIJKZICHT_SPARK_DRIVER_MEMORY", "4G")
        session = local_spark("wijkzicht-tests")
    assert session.sparkContext.getConf().get("spark.driver.memory") == "4g"
    yield ibis.pyspark.connect(session)
    session.stop()


@pytest.mark.slow
def test_spark_equals_the_reference(spark, city_and_truth, reference) -> None:
    got = _result(spark, *city_and_truth)
    assert _differences(reference, got) == []


def test_overlapping_addresses_on_the_peildatum_count_a_youth_once_in_the_latest() -> None:
    """Two in-city addresses valid on the peildatum (overlapping BRP rows): the youth counts
    once, in the most recent one, at every level — not in both buurten and twice in total."""
    from datetime import date

    gm, w1, w2, b1, b2 = "GM9999", "WK999901", "WK999902", "BU99990101", "BU99990201"
    t = pa.table
    sources = Sources(
        trajectories=ibis.memtable(
            t({"traject_id": [1], "pseudonym": ["y1"], "begindatum": [date(2020, 1, 1)],
               "einddatum": pa.array([None], pa.date32()), "hulpvorm": ["01"],
               "categorie": ["45"], "soort": ["zonder_verblijf"], "aanbieder": ["1"],
               "aanbieder_soort": ["regionaal"], "verwijzer": ["01"], "reden_cbs": [""],
               "crisis": [False], "herhaald_beroep": [False]})
        ),
        persons=ibis.memtable(t({"pseudonym": ["y1"], "geboortemaand": [date(2010, 3, 1)]})),
        addresses=ibis.memtable(
            t({"pseudonym": ["y1", "y1"], "valid_from": [date(2015, 1, 1), date(2020, 6, 1)],
               "valid_to": pa.array([None, None], pa.date32()), "gemeente_code": [gm, gm],
               "wijk_code": [w1, w2], "buurt_code": [b1, b2]})
        ),
        areas=ibis.memtable(
            t({"area_code": [gm, w1, w2, b1, b2],
               "level": ["gemeente", "wijk", "wijk", "buurt", "buurt"]})
        ),
    )  # fmt: skip
    engine = Engine(ibis.duckdb.connect(), sources, ["2020"])
    rows = compute(engine, [i for i in CATALOGUE if i.name == "jeugdhulp_peildatum_0_17"])
    got = {r["area_code"]: r["numerator"] for r in rows.to_pylist()}
    assert got == {gm: 1, w1: 0, w2: 1, b1: 0, b2: 1}


@pytest.mark.parametrize("reverse", [False, True])
def test_addresses_that_start_on_the_same_day_place_a_youth_alike_in_any_order(reverse) -> None:
    """Two in-city addresses that start on the same day: the one that lasts longer counts (y1:
    the open one in b2, not the one closed the next day in b1); when both are open, the greater
    buurt code (y2: b2) — in the period and on the peildatum, whatever the rows' order."""
    from datetime import date

    gm, w1, w2, b1, b2 = "GM9999", "WK999901", "WK999902", "BU99990101", "BU99990201"
    start, end = date(2020, 6, 1), date(2020, 6, 2)
    addresses = [
        ("y1", start, end, w1, b1), ("y1", start, None, w2, b2),
        ("y2", start, None, w2, b2), ("y2", start, None, w1, b1),
    ]  # fmt: skip
    if reverse:
        addresses.reverse()
    t = pa.table
    youth = ["y1", "y2"]
    sources = Sources(
        trajectories=ibis.memtable(
            t({"traject_id": [1, 2], "pseudonym": youth, "begindatum": [date(2020, 1, 1)] * 2,
               "einddatum": pa.array([None, None], pa.date32()), "hulpvorm": ["01"] * 2,
               "categorie": ["45"] * 2, "soort": ["zonder_verblijf"] * 2, "aanbieder": ["1"] * 2,
               "aanbieder_soort": ["regionaal"] * 2, "verwijzer": ["01"] * 2,
               "reden_cbs": [""] * 2, "crisis": [False] * 2, "herhaald_beroep": [False] * 2})
        ),
        persons=ibis.memtable(t({"pseudonym": youth, "geboortemaand": [date(2010, 3, 1)] * 2})),
        addresses=ibis.memtable(
            t({"pseudonym": [a[0] for a in addresses], "valid_from": [a[1] for a in addresses],
               "valid_to": pa.array([a[2] for a in addresses], pa.date32()),
               "gemeente_code": [gm] * 4, "wijk_code": [a[3] for a in addresses],
               "buurt_code": [a[4] for a in addresses]})
        ),
        areas=ibis.memtable(
            t({"area_code": [gm, w1, w2, b1, b2],
               "level": ["gemeente", "wijk", "wijk", "buurt", "buurt"]})
        ),
    )  # fmt: skip
    engine = Engine(ibis.duckdb.connect(), sources, ["2020"])
    names = {"jeugdhulp_0_17", "jeugdhulp_peildatum_0_17"}
    rows = compute(engine, [i for i in CATALOGUE if i.name in names]).to_pylist()
    for name in names:
        got = {r["area_code"]: r["numerator"] for r in rows if r["indicator"] == name}
        assert got == {gm: 2, w1: 0, w2: 2, b1: 0, b2: 2}, name
