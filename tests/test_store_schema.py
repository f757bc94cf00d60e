"""Migrations: ordered, recorded, applied once."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from wijkzicht.store import DATA_TABLES, MIGRATIONS, connect, migrate
from wijkzicht.store.schema import StoreVersionError, current_version, item_number


def test_migrations_are_ordered_and_unique():
    versions = [v for v, _, _ in MIGRATIONS]
    assert versions == sorted(set(versions)) and versions[0] == 1


def test_migrate_applies_once(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    assert current_version(con) == MIGRATIONS[-1][0]
    assert migrate(con) == []
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert set(DATA_TABLES) | {"schema_version", "ingest_log"} <= tables
    con.close()
    assert migrate(duckdb.connect(str(tmp_path / "s.duckdb"))) == []


def test_in_memory_store_works():
    con = duckdb.connect()
    assert migrate(con) == [v for v, _, _ in MIGRATIONS]
    assert con.execute("SELECT count(*) FROM raw_items").fetchone() == (0,)


def test_a_newer_store_is_refused(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    con.execute("INSERT INTO schema_version VALUES (999, 'from the future')")
    con.close()
    with pytest.raises(StoreVersionError, match="999"):
        connect(tmp_path / "s.duckdb")


def test_a_store_connection_prints_no_progress_bar(tmp_path):
    """DuckDB writes a progress bar to standard output during a long query, even into a pipe:
    a store connection has it off, so ``--json`` and CSV on standard output stay clean. (The
    same query on a plain connection does print one: the check can fail.)"""
    import subprocess
    import sys

    query = "SELECT count(*) FROM range(60000000) t(i) WHERE i % 7 = 3"
    opening = {
        "store": f"from wijkzicht.store import connect; con = connect({str(tmp_path / 's')!r})",
        "plain": "import duckdb; con = duckdb.connect()",
    }
    out = {}
    for name, open_ in opening.items():
        code = f"{open_}; con.execute('SET progress_bar_time = 0'); con.sql({query!r}).fetchall()"
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        out[name] = run.stdout
    assert "%" in out["plain"]
    assert out["store"] == ""


def test_raw_items_lose_their_index_and_gain_their_number(tmp_path):
    """Migration 4 on a store of version 3: the rows and their order are kept, ``k`` is the
    first 124 bits of the key (as the writer computes it), and no primary key is left."""
    con = duckdb.connect(str(tmp_path / "v3.duckdb"))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR)")
    for version, name, fn in MIGRATIONS[:3]:
        fn(con)
        con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, name])
    keys = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(300)]
    keys += ["0" * 64, "f" * 64]  # the extremes
    con.executemany(
        "INSERT INTO raw_items VALUES (?, ?, 'ijw', 'a.xml', NULL, 3, ?)",
        [(key, seq, b"abc") for seq, key in enumerate(keys, 1)],
    )
    before = con.execute("SELECT * FROM raw_items ORDER BY seq").fetchall()
    assert migrate(con) == [v for v, _, _ in MIGRATIONS[3:]]
    after = con.execute("SELECT * EXCLUDE (k) FROM raw_items ORDER BY seq").fetchall()
    assert after == before
    numbers = con.execute("SELECT key, k FROM raw_items").fetchall()
    assert all(k == item_number(key) == int(key[:31], 16) for key, k in numbers)
    assert {0, 2**124 - 1} <= {k for _, k in numbers}
    kinds = con.execute(
        "SELECT DISTINCT constraint_type FROM duckdb_constraints() WHERE table_name = 'raw_items'"
    ).fetchall()
    assert kinds == [("NOT NULL",)]
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO raw_items (key, seq, kind, source) VALUES ('x', 1, 'ijw', 'a')")
