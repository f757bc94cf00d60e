"""Indicator results kept in the store: every indicator for every area and period, exact and
through disclosure control, computed once per state of the store.

The dashboard, the API and the report read these rows instead of rebuilding trajectories on
every request. :func:`refresh` recomputes them when the store has changed since (a new ingest
run, another providers file); :func:`is_current` tells whether that is needed.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from wijkzicht.indicators.disclosure import protect_table
from wijkzicht.indicators.run import Request, area_parents, indicator_table

RAW = ("numerator", "denominator", "value")
PUBLIC = ("pub_numerator", "pub_denominator", "pub_value")


def store_state(con: duckdb.DuckDBPyConnection, providers: str | Path | None = None) -> str:
    """A fingerprint of what the indicators depend on: the received items, the quarantine
    (level-3 rules may move messages in or out of it) and the providers file."""
    items, last = con.execute("SELECT count(*), coalesce(max(seq), 0) FROM raw_items").fetchall()[0]
    quarantined = con.execute(
        "SELECT count(*) FROM messages WHERE status = 'quarantined'"
    ).fetchall()[0][0]
    parts = [str(items), str(last), str(quarantined)]
    if providers:
        parts.append(hashlib.sha256(Path(providers).read_bytes()).hexdigest())
    return ":".join(parts)


def current_version_ok(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store already has the results tables (a read-only connection cannot
    migrate an older store)."""
    from wijkzicht.store.schema import MIGRATIONS, current_version

    return current_version(con) >= MIGRATIONS[-1][0]


def recorded_providers(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The providers table the stored results were computed with, if it still exists."""
    row = con.execute("SELECT max(providers) FROM indicator_results_state").fetchall()[0]
    return Path(row[0]) if row[0] and Path(row[0]).is_file() else None


def is_current(con: duckdb.DuckDBPyConnection, providers: str | Path | None = None) -> bool:
    """Whether the stored results fit the store (and ``providers``, default: the recorded one)."""
    row = con.execute("SELECT max(state) FROM indicator_results_state").fetchall()[0]
    return row[0] == store_state(con, providers or recorded_providers(con))


def refresh(
    con: duckdb.DuckDBPyConnection, providers: str | Path | None = None, *, force: bool = False
) -> int:
    """Recompute all indicators (writable ``con``) unless they are current; return the number
    of result rows in the store. Without ``providers``, the recorded providers table is used."""
    providers = providers or recorded_providers(con)
    if not force and is_current(con, providers):
        return con.execute("SELECT count(*) FROM indicator_results").fetchall()[0][0]
    started = time.perf_counter()
    state = store_state(con, providers)
    raw = indicator_table(con, Request(raw=True, providers=providers))
    public = protect_table(raw.drop_columns(["suppressed"]), parents=area_parents(con))
    table = pa.table(
        {
            **{c: raw[c] for c in ("indicator", "area_code", "period", *RAW)},
            **{p: public[c] for p, c in zip(PUBLIC, RAW, strict=True)},
            "suppressed": public["suppressed"],
        }
    )
    con.begin()
    try:
        con.execute("DELETE FROM indicator_results")
        con.execute("DELETE FROM indicator_results_state")
        con.register("_results", table)
        con.execute("INSERT INTO indicator_results SELECT * FROM _results")
        con.unregister("_results")
        con.execute(
            "INSERT INTO indicator_results_state VALUES (?, ?, ?, ?, ?)",
            [state, datetime.now(UTC).replace(tzinfo=None), time.perf_counter() - started,
             raw.num_rows, str(Path(providers).resolve()) if providers else None],
        )  # fmt: skip
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return raw.num_rows


def load(con: duckdb.DuckDBPyConnection, *, public: bool) -> pa.Table:
    """All stored rows as ``indicator, area_code, period, numerator, denominator, value,
    suppressed``: the public (disclosure-controlled) figures, or the exact ones."""
    cols = PUBLIC if public else RAW
    suppressed = "suppressed" if public else "false"
    return con.sql(
        f"SELECT indicator, area_code, period, {cols[0]} AS numerator, "  # noqa: S608
        f"{cols[1]} AS denominator, {cols[2]} AS value, {suppressed} AS suppressed "
        "FROM indicator_results ORDER BY indicator, area_code, period"
    ).to_arrow_table()
