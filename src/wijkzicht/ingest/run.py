"""One ingest run: items in → processed (inline, or by worker processes when there are many)
→ written in order by the single writer → counted, logged in ``ingest_log``."""

from __future__ import annotations

import json
import multiprocessing
import sys
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from wijkzicht.ingest.crosscheck import crosscheck
from wijkzicht.ingest.process import Outcome, Processor, init_worker, process_chunk
from wijkzicht.ingest.sources import Item, Limits, iter_items
from wijkzicht.ingest.writer import Counts, Duplicate, Writer, resolve_addresses
from wijkzicht.settings import Settings
from wijkzicht.store.keys import Keys
from wijkzicht.store.memory import memory_limit

Progress = Callable[[Counts], None]


def _chunks(items: Iterable[Item], size: int, max_bytes: int) -> Iterator[list[Item]]:
    """Batches in input order of at most ``size`` items and about ``max_bytes`` bytes."""
    chunk: list[Item] = []
    total = 0
    for item in items:
        if chunk and total + item.size > max_bytes:
            yield chunk
            chunk, total = [], 0
        chunk.append(item)
        total += item.size
        if len(chunk) >= size:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ingest(
    paths: list[str | Path],
    con: duckdb.DuckDBPyConnection,
    keys: Keys,
    settings: Settings,
    *,
    kind: str | None = None,
    progress: Progress | None = None,
) -> tuple[str, Counts]:
    """Ingest every item below ``paths`` into the (migrated) store ``con``.

    Returns the run id and the counts; received = accepted + quarantined + duplicates.
    DuckDB's memory limit is ``settings.ingest_db_memory`` for the whole run (the previous
    limit is restored after): what DuckDB cannot evict (a checkpoint's working memory, the
    tables' metadata) grows with the store. A fixed 256 MiB while batches were written
    (sessions 8-10) stopped the full national profile twice: a checkpoint at a ~14.6 GB store,
    then a batch at ~15 GB.
    """
    with memory_limit(con, settings.ingest_db_memory):
        return _ingest(paths, con, keys, settings, kind=kind, progress=progress)


def _ingest(
    paths: list[str | Path],
    con: duckdb.DuckDBPyConnection,
    keys: Keys,
    settings: Settings,
    *,
    kind: str | None,
    progress: Progress | None,
) -> tuple[str, Counts]:
    run_id = str(uuid.uuid4())
    args = json.dumps(
        {"paths": [str(p) for p in paths], "kind": kind, "xsd_dir": str(settings.ijw_xsd_dir)}
    )
    con.execute(
        "INSERT INTO ingest_log (run_id, started, status, arguments) VALUES (?, ?, 'running', ?)",
        [run_id, _now(), args],
    )
    counts = Counts()
    writer = Writer(con)
    since = writer.first_seq  # this run's items get seq >= since

    def store(batch: list[Outcome | Duplicate], unchecked: int) -> None:
        writer.write(batch, counts, unchecked)
        if progress:
            progress(counts)

    xsd_dir = str(settings.ijw_xsd_dir) if settings.ijw_xsd_dir else None
    chunks = _chunks(
        iter_items(paths, Limits.from_settings(settings)),
        settings.ingest_batch,
        settings.ingest_batch_bytes,
    )
    try:
        first = next(chunks, None)
        if first is not None:
            second = next(chunks, None)  # more than one batch: worth starting workers
            many = second is not None and settings.ingest_workers > 1
            if second is not None:
                chunks = _prepend(second, chunks)
            if many:
                _parallel(first, chunks, writer, store, keys, xsd_dir, kind, settings)
            else:
                processor = Processor(keys, xsd_dir, kind)
                for chunk in _prepend(first, chunks):
                    known = writer.known([i.key for i in chunk])  # the whole store, as it is
                    batch = [
                        Duplicate(i.key) if i.key in known else processor.process(i) for i in chunk
                    ]
                    store(batch, writer.next_seq)
        con.begin()
        try:
            resolve_addresses(con)
            # Level-3 rules over the whole store, in the run's last transaction.
            checked = crosscheck(con, since)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        counts.accepted += checked.to_accepted - checked.to_quarantine
        counts.quarantined += checked.to_quarantine - checked.to_accepted
        counts.reclassified = checked.reclassified
        con.execute("CHECKPOINT")
    except BaseException:
        _finish(con, run_id, counts, "failed")
        raise
    _finish(con, run_id, counts, "completed")
    return run_id, counts


def _prepend(first: list[Item], rest: Iterator[list[Item]]) -> Iterator[list[Item]]:
    yield first
    yield from rest


def _parallel(first, chunks, writer, store, keys, xsd_dir, kind, settings) -> None:
    """Workers parse and validate; the main process is the only writer, in input order."""
    context = multiprocessing.get_context("spawn")
    in_flight: deque[tuple[list[Item], set[str], int, Future[list[Outcome]]]] = deque()
    limit = settings.ingest_workers + 1
    with (
        ProcessPoolExecutor(
            settings.ingest_workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(keys, xsd_dir, kind),
        ) as pool,
        _main_not_rerun(),
    ):
        # A store empty at the start has nothing to look up before processing: duplicates
        # within the run are found by the writer.
        empty = writer.next_seq == 1

        def drain_one() -> None:
            chunk, known, unchecked, future = in_flight.popleft()
            done = iter(future.result())
            batch = [Duplicate(i.key) if i.key in known else next(done) for i in chunk]
            store(batch, unchecked)

        for chunk in _prepend(first, chunks):
            if empty:  # nothing looked up: the writer checks this run's items
                known, unchecked = set(), writer.first_seq
            else:  # looked up in the store as it is now: the writer checks what comes after
                known, unchecked = writer.known([i.key for i in chunk]), writer.next_seq
            todo = [i for i in chunk if i.key not in known]
            in_flight.append((chunk, known, unchecked, pool.submit(process_chunk, todo)))
            if len(in_flight) >= limit:
                drain_one()
        while in_flight:
            drain_one()


@contextmanager
def _main_not_rerun() -> Iterator[None]:
    """Spawned workers need nothing from ``__main__``, yet by default each one runs the main
    script again; for the ``wijkzicht`` command that imports every subcommand (web, reports,
    pandas): ~0.5 s CPU and ~100 MB per worker. Without ``__file__`` the script is not rerun.
    The pool starts its workers on the first submits (all within this block)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


def _finish(con: duckdb.DuckDBPyConnection, run_id: str, counts: Counts, status: str) -> None:
    try:
        con.execute(
            """
            UPDATE ingest_log SET finished = ?, status = ?, received = ?, accepted = ?,
                quarantined = ?, duplicates = ?, reclassified = ?
            WHERE run_id = ?
            """,
            [
                _now(),
                status,
                counts.received,
                counts.accepted,
                counts.quarantined,
                counts.duplicates,
                counts.reclassified,
                run_id,
            ],
        )
    except duckdb.Error:
        if status == "completed":
            raise
