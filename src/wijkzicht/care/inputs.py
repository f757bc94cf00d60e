"""The store's tables as the care model reads them: an Ibis backend for a connection, and the
rows that count (accepted items only)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import ibis
import pyarrow as pa
from ibis import _
from ibis.backends import BaseBackend

Source = duckdb.DuckDBPyConnection | BaseBackend


def backend(source: Source) -> BaseBackend:
    """An Ibis backend for a DuckDB connection (an Ibis backend is returned as it is)."""
    if isinstance(source, BaseBackend):
        return source
    return ibis.duckdb.from_connection(source)


def table(b: BaseBackend, name: str) -> ibis.Table:
    """``b.table(name)``, remembered per backend: each look-up asks the database for the
    schema, and one rebuild reads the same few store tables dozens of times."""
    tables = b.__dict__.setdefault("_wijkzicht_tables", {})
    if name not in tables:
        tables[name] = b.table(name)
    return tables[name]


@contextmanager
def unfused() -> Iterator[None]:
    """Compile without fusing consecutive SELECTs into one (Ibis's ``sql.fuse_selects``):
    DuckDB and Spark merge projections themselves, and the fusing took ~40 % of Ibis's
    compile time (the segments 122 → 75 ms on Demostad) for the same rows."""
    before = ibis.options.sql.fuse_selects
    ibis.options.sql.fuse_selects = False
    try:
        yield
    finally:
        ibis.options.sql.fuse_selects = before


def read(expr: ibis.Table) -> pa.Table:
    """``expr`` as an Arrow table (compiled :func:`unfused`)."""
    with unfused():
        return expr.to_pyarrow()


def keep(b: BaseBackend, expr: ibis.Table) -> ibis.Table:
    """Materialise an intermediate result on ``b``: a temporary table on DuckDB (what
    ``Table.cache`` does, but bound to ``b`` even for in-memory tables), a locally
    checkpointed DataFrame on Spark. Later expressions read it instead of recomputing it,
    and compile faster: their expression stops here."""
    if b.name != "pyspark":
        with unfused():
            return b._cached_table(expr)  # (registers in-memory inputs itself)
    b._run_pre_execute_hooks(expr)  # registers in-memory inputs
    # A cached DataFrame keeps its whole lineage, and Spark plans (and prints) it again in
    # every query that reads it: intermediates built on intermediates grow the plans
    # exponentially. A local checkpoint keeps the data and forgets how it was made.
    name = ibis.util.gen_name("wijkzicht_kept")
    with unfused():
        sql = b.compile(expr)
    frame = b._session.sql(sql).localCheckpoint()
    frame.createOrReplaceTempView(name)
    return b.table(name)


def release(b: BaseBackend, *tables: ibis.Table) -> None:
    """Drop tables made by :func:`keep` that nothing reads any more: DuckDB frees their memory
    (a national rebuild's intermediates outgrow its memory limit, and what does not fit is
    written to disk and read back). On Spark nothing is done: its checkpoints go when the
    session does."""
    if b.name == "pyspark":
        return
    for t in tables:
        b._finalize_cached_table(t.op().name)


# The message that carries the rows of each iJw table (joining on the code keeps joins small).
MESSAGE_CODE = {
    "toewijzingen": "JW301",
    "starts": "JW305",
    "stops": "JW307",
    "verzoeken": "JW315",
    "prestaties": "JW323",
}


def accepted(b: BaseBackend, name: str) -> ibis.Table:
    """The rows of store table ``name`` that count, with their item's ``seq`` and
    ``dagtekening``: rows of accepted iJw messages (a level-3 rule that quarantines a message
    later flips its status — the same rows as the ``accepted_*`` views), rows of data files
    not in quarantine."""
    q = table(b, "quarantine").select("key")
    if name in MESSAGE_CODE:
        m = table(b, "messages")
        keys = m.filter((m.status == "accepted") & (m.code == MESSAGE_CODE[name]))
        keys = keys.select("key", "seq", "dagtekening")
    else:
        keys = table(b, "raw_items").filter(_.kind != "ijw")
        keys = keys.select("key", "seq", dagtekening=ibis.null("date"))
    return table(b, name).inner_join(keys.anti_join(q, "key"), "key")
