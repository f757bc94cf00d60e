"""Full rebuild benchmark: trajectories from the store + every indicator, every level and period.

    .venv/bin/python benchmarks/indicators.py [--youth 70000] [--years 2019-2024] [--spark]
    .venv/bin/python benchmarks/indicators.py --db demostad.duckdb   # an existing store

Generates a synthetic city (cached under /tmp/wijkzicht-bench-ind) and ingests it once, or
opens an existing store read-only (``--db``; the years are the store's), then in one run
measures on DuckDB (and with --spark on Spark local[2]):
  (floor) a plain DuckDB count of distinct youth per year × buurt × hulpvorm over the
          materialised trajectory table,
  (a)     rebuilding the trajectories from the messages (``care.build``, staged as the
          indicators run it),
  (b)     the full rebuild: trajectories + all catalogue indicators, raw, as one Arrow table
          (``indicator_table``; ``indicator_rows`` turns it into dicts: seconds more on a
          national store of millions of rows),
  (c)     the same through disclosure control, as the CLI, the exports and the stored
          results give it by default (rounding, secondary suppression).
It prints the fastest of ``--repeat`` runs (and their median) and the ratio to the floor.
These machines are noisy: compare the ratios. ``--spark-only`` times Spark's (b) first, in a
process that has run nothing else (a national store's DuckDB runs would hold memory the JVM
needs), stops its JVM, then times the floor and DuckDB's (b) once and counts the rows where
the two engines differ.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wijkzicht import care
from wijkzicht import settings as settings_mod
from wijkzicht.care.inputs import release
from wijkzicht.care.providers import from_network, write_csv
from wijkzicht.cli.demo import write_providers
from wijkzicht.indicators.run import Request, indicator_table, store_years
from wijkzicht.ingest import ingest
from wijkzicht.store import Keys, connect
from wijkzicht.synth.providers import network
from wijkzicht.synth.run import generate

KEY = "wijkzicht-benchmark-key-0123456789"
DATA = ("berichten", "bij", "brp", "bevolking", "gebieden")


def prepare(youth: int, first: int, last: int) -> tuple[Path, Path]:
    default = Path(tempfile.gettempdir()) / "wijkzicht-bench-ind"
    base = Path(os.environ.get("WIJKZICHT_BENCH_DIR", default))
    out = base / f"city-{youth}-{first}-{last}"
    db = out / "store.duckdb"
    if not db.exists():
        shutil.rmtree(out, ignore_errors=True)  # an interrupted run's files
        generate(out, seed=1, first_year=first, last_year=last, youth=youth)
        con = connect(db)
        s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY})
        ingest([out / d for d in DATA], con, Keys(KEY), s)
        con.close()
    providers = out / "aanbieders.csv"
    con = duckdb.connect(str(db), read_only=True)
    wijken = sorted(
        r[0] for r in con.execute("SELECT code FROM areas WHERE soort='wijk'").fetchall()
    )
    con.close()
    write_csv(providers, from_network(network("9999", wijken)))
    return db, providers


def existing(db: Path) -> tuple[Path, Path, int]:
    """An existing store (opened read-only, never written), the synthetic providers table of
    its gemeenten (in a scratch folder, as ``wijkzicht demo`` writes it) and its last year."""
    con = duckdb.connect(str(db), read_only=True)
    gemeenten = con.execute("SELECT count(*) FROM areas WHERE soort='gemeente'").fetchall()[0][0]
    _, last = store_years(con)
    con.close()
    if not gemeenten:
        raise SystemExit(
            f"{db}: no gemeente in the areas table (was the gebieden folder ingested?)"
        )
    providers = Path(tempfile.mkdtemp(prefix="wijkzicht-bench-")) / "aanbieders.csv"
    write_providers(db, providers)
    return db, providers, last


def timed(label: str, fn, repeat: int = 1) -> float:
    """Run ``fn`` ``repeat`` times; print the fastest and the median; return the fastest
    (the first run in a process also pays for warming up Ibis and DuckDB)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)
    more = f"  (median {median:.2f} s of {repeat})" if repeat > 1 else ""
    print(f"{label:<58} {best:8.2f} s{more}", flush=True)
    return best


def floor_time(
    con: duckdb.DuckDBPyConnection, horizon: date, providers: Path, repeat: int
) -> float:
    """The floor: a plain DuckDB count of distinct youth per year × buurt × hulpvorm over the
    trajectories materialised in a scratch database (closed before returning)."""
    work = duckdb.connect()  # a scratch database for the materialised trajectories
    rows = care.build(con, horizon=horizon, providers=providers).to_pyarrow()
    work.register("t_arrow", rows)
    work.execute("CREATE TABLE t AS SELECT * FROM t_arrow")
    addresses = con.sql(
        "SELECT client, buurt_code, valid_from, valid_to FROM address_history "
        "WHERE bron = 'brp' AND buurt_code IS NOT NULL"
    ).to_arrow_table()
    work.register("a_arrow", addresses)
    work.execute("CREATE TABLE a AS SELECT * FROM a_arrow")
    print(f"{rows.num_rows:,} trajectories; DuckDB {duckdb.__version__}")
    floor = timed(
        "floor: distinct youth per year x buurt x hulpvorm (DuckDB)",
        lambda: work.execute(
            "SELECT year(t.begindatum) y, a.buurt_code, t.hulpvorm, count(DISTINCT t.pseudonym) "
            "FROM t JOIN a ON a.client = t.pseudonym AND a.valid_from <= t.begindatum "
            "AND (a.valid_to IS NULL OR a.valid_to > t.begindatum) GROUP BY ALL"
        ).fetchall(),
        repeat,
    )
    # the floor's copies go before the rebuilds: at national scale they held ~4 GB beside
    # them (their own DuckDB and Arrow tables), and the rebuild ran ~20 s slower
    work.close()
    del rows, addresses
    return floor


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--youth", type=int, default=70_000)
    ap.add_argument("--years", default="2019-2024")
    engines = ap.add_mutually_exclusive_group()
    engines.add_argument("--spark", action="store_true", help="also run the full rebuild on Spark")
    engines.add_argument(
        "--spark-only",
        action="store_true",
        help="Spark's full rebuild first, then the floor and DuckDB's (b) once, and the rows "
        "where they differ (a national store: DuckDB runs before Spark would hold memory the "
        "JVM needs)",
    )
    ap.add_argument("--db", type=Path, help="benchmark this existing store (read-only)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each DuckDB measurement")
    args = ap.parse_args()
    if args.db:
        db, providers, last = existing(args.db)
    else:
        first, last = (int(y) for y in args.years.split("-"))
        db, providers = prepare(args.youth, first, last)
    horizon = date(last, 12, 31)
    con = duckdb.connect(str(db), read_only=True)
    if args.spark_only:
        spark_only(con, horizon, providers, args.repeat)
        return
    floor = floor_time(con, horizon, providers, args.repeat)

    def trajectories() -> None:
        scratch: list = []  # the staged tables, dropped after each run as a rebuild does
        backend = ibis.duckdb.from_connection(con)
        care.build(
            backend, horizon=horizon, providers=providers, staged=True, scratch=scratch
        ).to_pyarrow()
        release(backend, *scratch)

    a = timed("(a) trajectories from the messages (care.build)", trajectories, args.repeat)
    request = Request(raw=True, horizon=horizon, providers=providers)
    b = timed("(b) full rebuild: trajectories + all indicators (DuckDB)",
              lambda: indicator_table(con, request), args.repeat)  # fmt: skip
    public = Request(raw=False, horizon=horizon, providers=providers)
    c = timed(
        "(c) the same, public (disclosure control)",
        lambda: indicator_table(con, public),
        args.repeat,
    )
    print(
        f"ratios to the floor: (a) {a / floor:,.0f}x  (b) {b / floor:,.0f}x  (c) {c / floor:,.0f}x"
    )
    if args.spark:
        spark = Request(raw=True, horizon=horizon, providers=providers, engine="spark")
        s = timed("(b) full rebuild on Spark local[2]", lambda: indicator_table(con, spark))
        print(f"Spark / DuckDB: {s / b:.1f}x")


def spark_only(con: duckdb.DuckDBPyConnection, horizon: date, providers: Path, repeat: int) -> None:
    """Spark's full rebuild (b) timed first, in a process that has run nothing else, then the
    floor and DuckDB's (b) once; the rows where the two engines differ are counted."""
    spark = Request(raw=True, horizon=horizon, providers=providers, engine="spark")
    started = time.perf_counter()
    on_spark = indicator_table(con, spark)
    s = time.perf_counter() - started
    stop_spark()  # the JVM's memory, for DuckDB
    floor = floor_time(con, horizon, providers, repeat)
    print(f"{'(b) full rebuild on Spark local[2]':<58} {s:8.2f} s  ({s / floor:,.0f}x the floor)")
    started = time.perf_counter()
    on_duckdb = indicator_table(con, Request(raw=True, horizon=horizon, providers=providers))
    b = time.perf_counter() - started
    print(f"{'(b) full rebuild on DuckDB, after it':<58} {b:8.2f} s  (Spark / DuckDB {s / b:.1f}x)")
    print(
        f"{on_spark.num_rows:,} rows on Spark, {on_duckdb.num_rows:,} on DuckDB; "
        f"rows that differ: {differing(on_spark, on_duckdb):,}"
    )


def stop_spark() -> None:
    """Stop the Spark session and its JVM (it exits when the pipe to its stdin closes)."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    if (session := SparkSession.getActiveSession()) is not None:
        session.stop()
    gateway = SparkContext._gateway
    if gateway is not None and getattr(gateway, "proc", None) is not None:
        gateway.shutdown()
        gateway.proc.stdin.close()
        gateway.proc.wait(timeout=120)
        SparkContext._gateway = SparkContext._jvm = None


def differing(a: pa.Table, b: pa.Table) -> int:
    """Rows of two indicator tables (in the same order) that differ: another key, or a figure
    more than 1e-9 apart (relative; the engines' tests allow that much); all rows when the
    keys are not in step."""
    if a.num_rows != b.num_rows:
        return max(a.num_rows, b.num_rows)
    keys = np.ones(a.num_rows, dtype=bool)
    for c in ("indicator", "area_code", "period"):
        keys &= pc.equal(a[c].cast(pa.string()), b[c].cast(pa.string())).to_numpy(
            zero_copy_only=False
        )
    for c in ("numerator", "denominator", "value"):
        x, y = (t[c].cast(pa.float64()).to_numpy(zero_copy_only=False) for t in (a, b))
        keys &= np.isclose(x, y, rtol=1e-9, atol=0, equal_nan=True)
    return int((~keys).sum())


if __name__ == "__main__":
    main()
