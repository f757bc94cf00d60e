"""Indicators from the store: trajectories (``wijkzicht.care``) → the Ibis catalogue → rows,
raw for an analyst or through disclosure control for anything shared.

The CLI, the exports, the web views and the report all call :func:`indicator_rows` (or
:func:`indicator_table`, the same as one Arrow table).
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import ibis
import numpy as np
import pyarrow as pa

from wijkzicht import care
from wijkzicht import settings as settings_mod
from wijkzicht.care.inputs import keep
from wijkzicht.care.inputs import table as store_table
from wijkzicht.indicators.catalogue import BY_NAME, CATALOGUE, LEVELS, PARTITIONS, Indicator
from wijkzicht.indicators.disclosure import protect_table
from wijkzicht.indicators.engine import Engine, Sources, compute
from wijkzicht.indicators.grid import SCHEMA as GRID_SCHEMA
from wijkzicht.indicators.grid import positions
from wijkzicht.indicators.periods import parse as parse_period
from wijkzicht.indicators.periods import periods_of_years
from wijkzicht.store.memory import machine_memory, memory_limit

COLUMNS = ("indicator", "area_code", "period", "numerator", "denominator", "value", "suppressed")
ORDER = ("indicator", "area_code", "period")  # the rows' order (codes: byte order = str order)
# Store tables the trajectories and indicators read (exported to Parquet for Spark).
SPARK_TABLES = (
    "messages", "quarantine", "raw_items", "toewijzingen", "starts", "stops", "verzoeken",
    "prestaties", "bij_records", "address_history", "areas", "population",
)  # fmt: skip


class IndicatorError(ValueError):
    """A request that cannot be answered (unknown indicator, area, period or engine)."""


class MemoryLimitError(IndicatorError):
    """DuckDB could not compute the request within its memory limit."""


@dataclass(frozen=True)
class Request:
    periods: Sequence[str] | None = None  # None: every period of the store's years
    level: str | None = None
    area: str | None = None
    indicator: str | None = None
    raw: bool = False
    engine: str = "duckdb"
    horizon: date | None = None
    providers: str | Path | None = None  # aanbieder;soort CSV (care.providers)


def store_years(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """The analysis years: those of the population table, else of the trajectories."""
    row = con.execute("SELECT min(jaar), max(jaar) FROM population").fetchall()[0]
    if row and row[0] is not None:
        return int(row[0]), int(row[1])
    row = con.execute("SELECT min(dagtekening), max(dagtekening) FROM messages").fetchall()[0]
    if not row or row[0] is None:
        raise IndicatorError("the store holds no population and no messages")
    return row[0].year, row[1].year


def sources(b: ibis.BaseBackend, request: Request) -> Sources:
    """The engine's inputs from a store (DuckDB, or Spark over its Parquet export)."""
    scratch: list[ibis.Table] = []  # what the trajectories are made from
    traj = care.build(
        b, horizon=request.horizon, providers=request.providers, staged=True, scratch=scratch
    )
    # each person's history from their last BRP extract (a client), found once: the
    # trajectories, the areas of youth in care and the populations all read it. A number per
    # person stands for the pseudonym in the history (at national scale, the pseudonyms of
    # ~18 M address rows alone would take ~1.4 GB of DuckDB's memory).
    people = keep(b, care.brp_people(b))
    scratch.append(people)
    history = care.brp_history(b, people)
    persons = people.filter(people.birth.notnull()).select(
        pseudonym="client", pid="person", geboortemaand="birth"
    )
    in_city = keep(
        b,
        history.filter(history.birth.notnull() & history.buurt_code.notnull()).select(
            pid="person",
            geboortemaand="birth",
            valid_from="valid_from",
            valid_to="valid_to",
            gemeente_code="gemeente_code",
            wijk_code="wijk_code",
            buurt_code="buurt_code",
        ),
    )
    areas = store_table(b, "areas").select(area_code="code", level="soort")
    return Sources(
        trajectories=traj, persons=persons, addresses=in_city, areas=areas, scratch=scratch
    )


def _indicators(request: Request) -> list[Indicator]:
    chosen = list(CATALOGUE)
    if request.indicator:
        chosen = [i for i in CATALOGUE if i.name == request.indicator]
        if not chosen:
            raise IndicatorError(
                f"unknown indicator {request.indicator!r}; `wijkzicht indicators --list` names them"
            )
    if request.level:
        if request.level not in LEVELS:
            raise IndicatorError(f"unknown level {request.level!r}; choose {', '.join(LEVELS)}")
        chosen = [i for i in chosen if request.level in i.levels]
        # (all levels are still computed: secondary suppression looks across levels)
    return chosen


def _periods(con: duckdb.DuckDBPyConnection, request: Request) -> list[str]:
    if request.periods:
        try:
            return [parse_period(p).code for p in request.periods]
        except ValueError as e:
            raise IndicatorError(str(e)) from None
    first, last = store_years(con)
    return [p.code for p in periods_of_years(first, last)]


def local_spark(app_name: str = "wijkzicht"):
    """A Spark session in local mode on both cores (quiet, UTC, no UI); the driver's memory
    is the setting ``WIJKZICHT_SPARK_DRIVER_MEMORY``."""
    from pyspark.sql import SparkSession

    memory = settings_mod.load().spark_driver_memory
    session = (
        SparkSession.builder.master("local[2]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", memory)  # the first session in a process sizes the JVM
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _backend(con: duckdb.DuckDBPyConnection, engine: str, workdir: Path) -> ibis.BaseBackend:
    if engine == "duckdb":
        return ibis.duckdb.from_connection(con)
    if engine != "spark":
        raise IndicatorError(f"unknown engine {engine!r}; choose duckdb or spark")
    session = local_spark()
    for table in SPARK_TABLES:
        path = workdir / f"{table}.parquet"
        con.execute(f"COPY ({_select_for_spark(con, table)}) TO '{path}' (FORMAT parquet)")
        session.read.parquet(str(path)).createOrReplaceTempView(table)
    return ibis.pyspark.connect(session)


def _select_for_spark(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Spark has no TIME type: TIME columns go out as text; BLOBs (the encrypted raw bytes)
    stay home."""
    cols = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
        [table],
    ).fetchall()
    out = []
    for name, kind in cols:
        if kind == "TIME":
            out.append(f"CAST({name} AS VARCHAR) AS {name}")
        elif kind != "BLOB":
            out.append(name)
    return f"SELECT {', '.join(out)} FROM {table}"  # noqa: S608 - names from the schema


# the Spark export's limit when the setting is unset: it only streams tables out, and the
# driver's JVM needs the machine's memory
SPARK_EXPORT_MEMORY = 4096 * 2**20


def _memory(engine: str) -> int:
    """DuckDB's memory limit for the computation: the setting, else half of the machine's
    memory on DuckDB (a national rebuild spilled at 4 GiB: 75.2 s, and took 63.3 s at 12 GiB,
    peak RSS 8.8 GB) or at most :data:`SPARK_EXPORT_MEMORY` for the export to Spark."""
    limit = settings_mod.load().indicators_db_memory
    if limit is not None:
        return limit
    half = machine_memory() // 2
    return min(half, SPARK_EXPORT_MEMORY) if engine == "spark" else half


def _with_dependencies(chosen: list[Indicator]) -> list[Indicator]:
    """Disclosure control needs the cells a share hides behind and the partitions' totals."""
    names = {i.name for i in chosen}
    for total, parts in PARTITIONS:
        if names & {total, *parts}:
            names |= {total, *parts}
    names |= {i.denominator for i in CATALOGUE if i.name in names and i.denominator in BY_NAME}
    return [i for i in CATALOGUE if i.name in names]


def area_parents(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """Area code → the area it lies in (buurt → wijk, wijk → gemeente, gemeente → None)."""
    return dict(
        con.execute(
            "SELECT code, CASE soort WHEN 'buurt' THEN wijk_code WHEN 'wijk' THEN gemeente_code "
            "END FROM areas"
        ).fetchall()
    )


def indicator_rows(con: duckdb.DuckDBPyConnection, request: Request) -> list[dict]:
    """The rows of ``request``: exact when ``raw``, otherwise through disclosure control."""
    return indicator_table(con, request).to_pylist()


# the key columns dictionary-encoded, as the grid makes them (grid.KEY)
SCHEMA = pa.schema([*GRID_SCHEMA, ("suppressed", pa.bool_())])


def indicator_table(con: duckdb.DuckDBPyConnection, request: Request) -> pa.Table:
    """The rows of ``request`` as one Arrow table (:data:`SCHEMA`, in :data:`ORDER`): exact
    when ``raw``, otherwise through disclosure control (which sees every area and level, and
    puts the cells in ORDER)."""
    table, computed, wanted, parents, level_of = _computed(con, request)
    if table is None:
        return SCHEMA.empty_table()
    if request.raw:  # in ORDER already (engine.compute)
        table = table.append_column("suppressed", pa.repeat(False, table.num_rows))
    else:
        table = protect_table(table, parents=parents, in_order=True)
    keep = []  # none: every row (a full rebuild makes no pass over millions of cells)
    if not wanted >= computed:
        keep.append(positions(table["indicator"], sorted(wanted)) >= 0)
    if request.area is not None:
        keep.append(positions(table["area_code"], [request.area]) >= 0)
    if request.level is not None:
        codes = [c for c, level in level_of.items() if level == request.level]
        keep.append(positions(table["area_code"], codes) >= 0)
    if keep:
        table = table.filter(pa.array(functools.reduce(np.logical_and, keep)))
    return table.select(list(COLUMNS)).cast(SCHEMA)


def _computed(
    con: duckdb.DuckDBPyConnection, request: Request
) -> tuple[pa.Table | None, set[str], set[str], dict[str, str | None], dict[str, str]]:
    """The catalogue computed for ``request`` (unfiltered, raw), the indicators computed (the
    wanted ones and, for disclosure control, those they depend on), the wanted ones, each
    area's parent and each area's level."""
    wanted = {i.name for i in _indicators(request)}
    chosen = [i for i in CATALOGUE if i.name in wanted]
    if not request.raw:
        chosen = _with_dependencies(chosen)
    codes = _periods(con, request)
    # DuckDB's memory is capped while it computes or, for Spark, writes the Parquet export
    # (uncapped, reading a national store beside the Spark driver's JVM filled the machine)
    limit = _memory(request.engine)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="wijkzicht-spark-") as tmp,
            memory_limit(con, limit),
        ):
            backend = _backend(con, request.engine, Path(tmp))
            engine = Engine(backend, sources(backend, request), codes)
            # one plan whose size does not grow with the catalogue (engine.py), on either engine
            table = compute(engine, chosen) if chosen else None
    except duckdb.OutOfMemoryException as e:  # also a limit below what DuckDB holds already
        other = ", or use --engine spark" if request.engine == "duckdb" else ""
        raise MemoryLimitError(
            f"DuckDB needed more memory than its limit of {limit / 2**20:,.0f} MiB "
            f"(setting WIJKZICHT_INDICATORS_DB_MEMORY): raise the setting{other}"
        ) from e
    parents = area_parents(con)
    if request.area and request.area not in parents:
        raise IndicatorError(f"unknown area {request.area!r}; the store has {len(parents)} areas")
    level_of = dict(con.execute("SELECT code, soort FROM areas").fetchall())
    return table, {i.name for i in chosen}, wanted, parents, level_of
