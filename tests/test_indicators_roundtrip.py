"""The strongest test: synth → ingest → ``indicators --raw`` equals the generator's truth
(``truth/indicators.csv``, computed by the plain-Python reference) on every row."""

from __future__ import annotations

import csv
import math
import shutil
from collections import Counter
from dataclasses import replace
from datetime import date

import duckdb
import pytest

from wijkzicht import settings as settings_mod
from wijkzicht.care.providers import from_network, write_csv
from wijkzicht.indicators.disclosure import violations
from wijkzicht.indicators.run import (
    ORDER,
    MemoryLimitError,
    Request,
    indicator_rows,
    indicator_table,
)
from wijkzicht.ingest import ingest
from wijkzicht.store import Keys, connect
from wijkzicht.store.memory import machine_memory
from wijkzicht.synth.providers import network
from wijkzicht.synth.run import generate

pytestmark = pytest.mark.slow
KEY = "wijkzicht-indicator-roundtrip-key"
SEED, YOUTH, FIRST, LAST = 11, 2000, 2023, 2024
DATA = ("berichten", "bij", "brp", "bevolking", "gebieden")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("indicator-city")
    generate(out, seed=SEED, first_year=FIRST, last_year=LAST, youth=YOUTH)
    db = out / "store.duckdb"
    con = connect(db)
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY, "WIJKZICHT_INGEST_WORKERS": "1"})
    ingest([out / d for d in DATA], con, Keys(KEY), s)
    con.close()
    con = duckdb.connect(str(db), read_only=True)
    wijken = [r[0] for r in con.execute("SELECT code FROM areas WHERE soort = 'wijk'").fetchall()]
    providers = out / "aanbieders.csv"
    write_csv(providers, from_network(network("9999", sorted(wijken))))
    yield {"out": out, "con": con, "providers": providers}
    con.close()


def _truth(out) -> dict[tuple[str, str, str], tuple]:
    with (out / "truth" / "indicators.csv").open() as f:
        return {
            (r["indicator"], r["area_code"], r["period"]): tuple(
                float(r[c]) if r[c] != "" else None for c in ("numerator", "denominator", "value")
            )
            for r in csv.DictReader(f, delimiter=";")
        }


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def _differences(con, world) -> list[str]:
    """Where ``indicators --raw`` on ``con`` differs from the truth (at most one per indicator)."""
    request = Request(raw=True, horizon=date(LAST, 12, 31), providers=world["providers"])
    got = {
        (r["indicator"], r["area_code"], r["period"]): (
            r["numerator"],
            r["denominator"],
            r["value"],
        )
        for r in indicator_rows(con, request)
    }
    truth = _truth(world["out"])
    assert set(got) == set(truth)
    wrong = Counter()
    example = {}
    for key, want in truth.items():
        if not all(_same(a, b) for a, b in zip(want, got[key], strict=True)):
            wrong[key[0]] += 1
            example.setdefault(key[0], (key, want, got[key]))
    return [f"{n} x {example[name]}" for name, n in wrong.most_common()]


def test_raw_indicators_equal_the_truth_on_every_row(world) -> None:
    assert _differences(world["con"], world) == []


def test_a_newer_brp_extract_replaces_the_older_one(world, tmp_path) -> None:
    """Next month's BRP extract (the same residences, rows in another order: not a duplicate
    file) replaces the older one for the people it lists instead of adding their residences
    again, which would double every population: the indicators still equal the truth."""
    db = tmp_path / "store.duckdb"
    shutil.copy(world["out"] / "store.duckdb", db)
    header, *rows = (world["out"] / "brp" / "brp_extract.csv").read_text().splitlines()
    again = tmp_path / "brp_extract_next.csv"
    again.write_text("\n".join([header, *reversed(rows)]) + "\n")
    con = connect(db)
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY, "WIJKZICHT_INGEST_WORKERS": "1"})
    _, counts = ingest([again], con, Keys(KEY), s)
    con.close()
    assert (counts.accepted, counts.duplicates) == (1, 0)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert _differences(con, world) == []
    finally:
        con.close()


def test_public_output_passes_the_disclosure_scan(world) -> None:
    request = Request(periods=[f"{LAST}"], horizon=date(LAST, 12, 31),
                      providers=world["providers"])  # fmt: skip
    rows = indicator_rows(world["con"], request)
    parents = dict(world["con"].execute(
        "SELECT code, CASE soort WHEN 'buurt' THEN wijk_code WHEN 'wijk' THEN gemeente_code END "
        "FROM areas").fetchall())  # fmt: skip
    for r in rows:
        r["parent_area_code"] = parents.get(r["area_code"])
    assert any(r["suppressed"] for r in rows) and any(not r["suppressed"] for r in rows)
    assert violations(rows) == []
    for r in rows:
        if r["suppressed"]:
            assert r["numerator"] is None and r["value"] is None  # empty, never 0


def test_the_arrow_table_filters_and_orders_as_the_rows_do(world) -> None:
    """indicator_table keeps exactly the rows of the whole output that a level, an area and an
    indicator select, in ORDER: raw (filtered and sorted by DuckDB) and public (protected as a
    whole, then filtered)."""
    levels = dict(world["con"].execute("SELECT code, soort FROM areas").fetchall())
    wijk = next(code for code, level in sorted(levels.items()) if level == "wijk")
    for raw in (True, False):
        base = Request(raw=raw, horizon=date(LAST, 12, 31), providers=world["providers"])
        everything = indicator_table(world["con"], base).to_pylist()
        assert everything == sorted(everything, key=lambda r: tuple(r[c] for c in ORDER))
        assert everything and any(r["suppressed"] for r in everything) != raw
        for choice in ({"level": "wijk"}, {"area": wijk}, {"indicator": "jeugdhulp_0_17"}):
            got = indicator_table(world["con"], replace(base, **choice)).to_pylist()
            want = [
                r for r in everything
                if levels.get(r["area_code"]) == choice.get("level", levels.get(r["area_code"]))
                and r["area_code"] == choice.get("area", r["area_code"])
                and r["indicator"] == choice.get("indicator", r["indicator"])
            ]  # fmt: skip
            assert got == want and got, (raw, choice)


def test_the_cli_prints_and_exports_what_indicator_table_gives(world, tmp_path) -> None:
    """`wijkzicht indicators` (CSV, public by default) and `wijkzicht export` (Parquet, CSV)
    write the rows of indicator_table for the same request, and say how many."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from click.testing import CliRunner

    from wijkzicht.cli import cli
    from wijkzicht.indicators.output import to_csv

    db = world["out"] / "store.duckdb"
    args = ["--db", str(db), "--period", str(LAST), "--level", "wijk",
            "--providers", str(world["providers"])]  # fmt: skip
    request = Request(periods=[str(LAST)], level="wijk", providers=world["providers"])
    expected = indicator_table(world["con"], request)
    assert expected.num_rows and any(expected["suppressed"].to_pylist())
    printed = CliRunner().invoke(cli, ["indicators", *args])
    assert printed.exit_code == 0, printed.output
    assert printed.output == to_csv(expected)
    for name in ("waarden.parquet", "waarden.csv"):
        out = tmp_path / name
        done = CliRunner().invoke(cli, ["export", "--out", str(out), *args])
        assert done.exit_code == 0, done.output
        assert f"{expected.num_rows:,} rows" in done.output
        if name.endswith(".parquet"):
            # plain strings in the file (the table's key columns are dictionary-encoded)
            plain = pa.schema(
                f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f
                for f in expected.schema
            )
            assert pq.read_table(out).schema == plain
            assert pq.read_table(out).equals(expected.cast(plain))
        else:
            assert out.read_text(encoding="utf-8") == to_csv(expected)


def _limit(con) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_under_a_memory_limit_the_rows_are_exact_and_the_limit_is_restored(
    world, monkeypatch
) -> None:
    """WIJKZICHT_INDICATORS_DB_MEMORY caps DuckDB while it computes (a national rebuild would
    otherwise take up to 80 % of RAM); the rows stay exact and the connection's own limit
    comes back."""
    con = world["con"]
    con.execute("SET memory_limit = '2GiB'")  # (restored as DuckDB shows it: to 0.1 GiB)
    before = _limit(con)
    try:
        monkeypatch.setenv("WIJKZICHT_INDICATORS_DB_MEMORY", str(128 * 2**20))
        assert _differences(con, world) == []
        assert _limit(con) == before
        # a limit too small for even this city stops the run with a message naming the
        # setting: the limit was in force while DuckDB computed
        monkeypatch.setenv("WIJKZICHT_INDICATORS_DB_MEMORY", str(2**20))
        with pytest.raises(MemoryLimitError, match="WIJKZICHT_INDICATORS_DB_MEMORY"):
            indicator_table(con, Request(raw=True, providers=world["providers"]))
        assert _limit(con) == before
    finally:
        con.execute("RESET memory_limit")


def test_unset_the_limit_is_half_the_machine_or_at_most_4_gib_for_the_spark_export(
    world, monkeypatch
) -> None:
    """Unset, WIJKZICHT_INDICATORS_DB_MEMORY is half of the machine's memory while DuckDB
    computes (a national rebuild spills at 4 GiB), and at most 4 GiB while the store is
    exported beside Spark's JVM."""
    import wijkzicht.indicators.run as run_mod

    monkeypatch.delenv("WIJKZICHT_INDICATORS_DB_MEMORY", raising=False)
    con, seen = world["con"], []
    compute = run_mod.compute
    monkeypatch.setattr(
        run_mod, "compute", lambda *a, **k: seen.append(_limit(con)) or compute(*a, **k)
    )
    indicator_table(
        con, Request(raw=True, providers=world["providers"], indicator="jeugdhulp_0_17")
    )
    scratch = duckdb.connect()
    scratch.execute(f"SET memory_limit = '{machine_memory() // 2}B'")
    assert seen == [_limit(scratch)]
    assert run_mod._memory("spark") == min(machine_memory() // 2, 4 * 2**30)


def test_a_containers_memory_limit_counts_when_it_is_smaller(tmp_path) -> None:
    limit, unlimited = tmp_path / "memory.max", tmp_path / "v1.limit_in_bytes"
    limit.write_text("1073741824\n")
    unlimited.write_text("max\n")
    physical = machine_memory(())
    assert machine_memory((tmp_path / "missing", unlimited)) == physical
    assert machine_memory((limit, unlimited)) == min(physical, 2**30)


def test_the_cli_says_which_setting_to_raise_when_memory_runs_out(world, monkeypatch) -> None:
    from click.testing import CliRunner

    from wijkzicht.cli import cli

    monkeypatch.setenv("WIJKZICHT_INDICATORS_DB_MEMORY", str(2**20))
    db = world["out"] / "store.duckdb"
    done = CliRunner().invoke(cli, ["indicators", "--db", str(db), "--period", str(LAST)])
    assert done.exit_code == 1, done.output
    assert "WIJKZICHT_INDICATORS_DB_MEMORY" in done.output
    assert "Traceback" not in done.output and "Usage:" not in done.output
