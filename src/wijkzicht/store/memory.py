"""DuckDB's memory limit for one piece of work, restored afterwards.

DuckDB's buffer pool may otherwise grow to 80 % of the machine's memory before it evicts or
spills to its temporary folder; a large ingest or a national rebuild of the indicators then
holds most of the machine. The limit is a setting of the database instance, so it also holds
for other cursors of the same connection while the work runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

# where Linux gives a control group's memory limit (v2, then v1); "max" or a huge number: none
CGROUP_LIMITS = (
    Path("/sys/fs/cgroup/memory.max"),
    Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
)


def machine_memory(cgroup_files: tuple[Path, ...] = CGROUP_LIMITS) -> int:
    """The memory this process may use, in bytes: the machine's physical memory, or its
    control group's limit (a container's) when that is smaller."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in cgroup_files:
        try:
            text = path.read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return total


def _current(con: duckdb.DuckDBPyConnection) -> str:
    """The limit as DuckDB shows it (e.g. ``'18.8 GiB'``)."""
    row = con.execute("SELECT current_setting('memory_limit')").fetchone()
    return str(row[0]) if row else ""


@contextmanager
def memory_limit(con: duckdb.DuckDBPyConnection, size: int | None) -> Iterator[None]:
    """Run the block with DuckDB's memory limit at ``size`` bytes (None: as it is) and
    restore the limit the connection had before."""
    if size is None:
        yield
        return
    previous = _current(con)
    con.execute("RESET memory_limit")
    default = _current(con)
    try:  # DuckDB refuses a limit below what it cannot evict: the previous one comes back
        con.execute(f"SET memory_limit = '{int(size)}B'")
        yield
    finally:
        if previous == default:
            con.execute("RESET memory_limit")
        else:  # as DuckDB shows it (to 0.1 GiB)
            con.execute("SET memory_limit = ?", [previous])
