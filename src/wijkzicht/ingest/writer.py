"""The single writer: stores processed items in one transaction per batch.

Every item is keyed by the sha256 of its bytes; an item whose key is already stored is a
duplicate and changes nothing. Keys are compared by their first 124 bits (``raw_items.k``,
:func:`wijkzicht.store.schema.item_number`). The store keeps no index on them: the items of
this run are looked up with a scan of ``k`` that the seq column's zone maps limit to the run;
those of earlier runs in :class:`StoredKeys`, a sorted array of their numbers (16 bytes per
item) loaded once, the first time a run looks anything up. A scan of a national store's 13
million numbers per 2,000-item batch made a resumed national run spend ~15 min on its
duplicates alone.

Batches are written in input order and each commits as a whole, so a run killed at any moment
leaves a prefix of the input stored; running again stores the rest with the same sequence
numbers — the store equals that of one clean run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb
import numpy as np

from wijkzicht.ingest.process import Outcome
from wijkzicht.store.schema import item_number

if TYPE_CHECKING:
    import pyarrow as pa

# Reference tables: rows are replaced by natural key instead of keyed by item (column positions).
UPSERT_KEYS = {
    "pc6_adressen": (0, 1, 2),
    "population": (0, 3, 4),
    "areas": (0,),
    "area_kenmerken": (0, 1),
}
_MESSAGE_COLUMNS = (
    "code",
    "afzender",
    "ontvanger",
    "identificatie",
    "dagtekening",
    "ref_identificatie",
    "ref_dagtekening",
    "client",
)


@dataclass(frozen=True)
class Duplicate:
    """An item whose key was found in the store before it was processed."""

    key: str


@dataclass
class Counts:
    received: int = 0
    accepted: int = 0
    quarantined: int = 0
    duplicates: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    # items of EARLIER runs whose level-3 status this run's crosscheck changed (ingest_log)
    reclassified: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "received": self.received,
            "accepted": self.accepted,
            "quarantined": self.quarantined,
            "duplicates": self.duplicates,
        }


class Writer:
    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        row = con.execute("SELECT coalesce(max(seq), 0) FROM raw_items").fetchone()
        self.next_seq = int(row[0]) + 1 if row else 1
        self.first_seq = self.next_seq  # this writer's items get seq >= first_seq
        self._appenders: dict[tuple[str, str], duckdb.Appender] = {}
        self._used: dict[tuple[str, str], duckdb.Appender] = {}  # appended to in this batch
        self._earlier: StoredKeys | None = None  # the items of earlier runs, once looked up

    def _appender(self, table: str, action: str = "insert") -> duckdb.Appender:
        key = (table, action)
        appender = self._used.get(key)
        if appender is None:
            appender = self._appenders.get(key)
            if appender is None:
                appender = self._appenders[key] = self.con.appender(table, action=action)
            self._used[key] = appender
        return appender

    def known(self, keys: list[str], since: int = 1) -> set[str]:
        """Which of ``keys`` are already stored (among the items with seq >= ``since``)."""
        if not keys:
            return set()
        if since > 1 or self.first_seq == 1:
            return self._scan(keys, since)
        if self._earlier is None:
            self._earlier = StoredKeys.load(self.con, self.first_seq)
        found = self._earlier.find(keys)
        return found | self._scan([k for k in keys if k not in found], self.first_seq)

    def _scan(self, keys: list[str], since: int) -> set[str]:
        """``keys`` found among the stored items with seq >= ``since`` (one scan of ``k``)."""
        if not keys or since >= self.next_seq:
            return set()
        by_number = {item_number(k): k for k in keys}
        rows = self.con.execute(
            "SELECT k FROM raw_items WHERE seq >= ? AND k IN (SELECT unnest(?::HUGEINT[]))",
            [since, list(by_number)],
        ).fetchall()
        return {by_number[r[0]] for r in rows}

    def write(
        self, batch: list[Outcome | Duplicate], counts: Counts, unchecked: int | None = None
    ) -> None:
        """Store one batch in one transaction and add to ``counts`` once it has committed.

        The caller looked the batch's keys up with :meth:`known` before processing, when the
        store held the items with seq < ``unchecked`` (default: this writer's first seq), and
        sends those it found as :class:`Duplicate`. The items stored since (the same file
        twice in one run's input, in batches still in flight then) are looked up here: the
        seq column's zone maps skip the older ones."""
        since = self.first_seq if unchecked is None else unchecked
        keys = [o.key for o in batch if isinstance(o, Outcome)]
        stored = self._scan(keys, since)
        local = self._write(batch, stored)
        counts.received += local.received
        counts.accepted += local.accepted
        counts.quarantined += local.quarantined
        counts.duplicates += local.duplicates
        for k, n in local.by_kind.items():
            counts.by_kind[k] = counts.by_kind.get(k, 0) + n

    def _write(self, batch: list[Outcome | Duplicate], stored: set[str]) -> Counts:
        """One transaction for ``batch``; the keys in ``stored`` are duplicates. Returns the
        batch's counts; on an error everything of the batch is undone (``next_seq`` too)."""
        local = Counts()
        first_seq = self.next_seq
        self.con.begin()
        try:
            rows: dict[str, list] = defaultdict(list)
            for o in batch:
                local.received += 1
                if isinstance(o, Duplicate) or o.key in stored:
                    local.duplicates += 1
                    continue
                stored.add(o.key)
                self._store(o, rows)
                local.by_kind[o.kind] = local.by_kind.get(o.kind, 0) + 1
                if o.status == "accepted":
                    local.accepted += 1
                else:
                    local.quarantined += 1
            for table, table_rows in rows.items():
                if table_rows:
                    self._appender(table).append_rows(table_rows)
            for appender in self._used.values():  # a flush costs even when empty
                appender.flush()
            self._used.clear()
            self.con.commit()
        except BaseException:
            for appender in self._appenders.values():
                appender.clear()
            self._used.clear()
            self.con.rollback()
            self.next_seq = first_seq
            raise
        return local

    def _store(self, o: Outcome, rows: dict[str, list]) -> None:
        """Add the rows of one item to ``rows`` (per table, appended once per batch)."""
        seq = self.next_seq
        self.next_seq += 1
        rows["raw_items"].append(
            (o.key, seq, o.kind, o.source, o.member, o.size, o.payload, item_number(o.key))
        )
        if o.message is not None:
            columns = map(o.message.get, _MESSAGE_COLUMNS)
            rows["messages"].append((o.key, seq, *columns, o.status))
        if o.status == "quarantined":
            rows["quarantine"].append(
                (o.key, seq, o.source, o.member, o.kind, o.code, o.identificatie, o.rule,
                 o.path, o.reason, o.reason_nl, o.rules)
            )  # fmt: skip
            return
        for table, table_rows in o.rows.items():
            rows[table].extend(table_rows)
        for table, tables in o.tables.items():
            self._insert_arrow(table, tables)

    def _insert_arrow(self, table: str, tables: list[pa.Table]) -> None:
        """Insert one item's Arrow chunks (columns by position). A reference table is upserted
        by its natural key, the item's last row of a key winning."""
        import pyarrow as pa  # only runs that bring CSV files pay for it

        upsert = UPSERT_KEYS.get(table)
        start = 0
        for n, chunk in enumerate(tables):
            if upsert is not None:  # the row's position in the item decides between equal keys
                chunk = chunk.append_column("_ord", pa.array(range(start, start + len(chunk))))
            start += len(chunk)
            self.con.register(f"_chunk{n}", chunk)
        rows = " UNION ALL ".join(f"SELECT * FROM _chunk{n}" for n in range(len(tables)))  # noqa: S608
        if upsert is None:
            self.con.execute(f"INSERT INTO {table} {rows}")
        else:
            key = ", ".join(f"c{i}" for i in upsert)
            self.con.execute(
                f"INSERT OR REPLACE INTO {table} SELECT * EXCLUDE (_ord) FROM ({rows}) "  # noqa: S608
                f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _ord DESC) = 1"
            )
        for n in range(len(tables)):
            self.con.unregister(f"_chunk{n}")


class StoredKeys:
    """The item numbers of the items stored before this run, sorted, as 16-byte big-endian
    strings (``numpy`` compares them as the numbers they encode)."""

    def __init__(self, numbers: np.ndarray):
        self.numbers = numbers

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, before: int) -> StoredKeys:
        cols = con.execute(
            """
            SELECT (k >> 60)::UBIGINT AS hi, (k & ((1::HUGEINT << 60) - 1))::UBIGINT AS lo
            FROM raw_items WHERE seq < ? ORDER BY k
            """,
            [before],
        ).fetchnumpy()
        pairs = np.empty((len(cols["hi"]), 2), dtype=">u8")
        pairs[:, 0], pairs[:, 1] = cols["hi"], cols["lo"]
        return cls(pairs.view("S16").ravel())

    def find(self, keys: list[str]) -> set[str]:
        """The ``keys`` whose number is among the stored ones."""
        if not len(self.numbers):
            return set()
        wanted = np.array([bytes.fromhex(_hex16(k)) for k in keys], dtype="S16")
        at = np.searchsorted(self.numbers, wanted).clip(max=len(self.numbers) - 1)
        hits = self.numbers[at] == wanted
        return {k for k, hit in zip(keys, hits, strict=True) if hit}


def _hex16(key: str) -> str:
    """The 124-bit item number of ``key`` as 32 hex digits: hi (64 bits), lo (60 bits),
    the layout of :meth:`StoredKeys.load`."""
    number = item_number(key)
    return f"{number >> 60:016x}{number & ((1 << 60) - 1):016x}"


_RESOLVE = """
CREATE OR REPLACE TEMP TABLE _resolved AS
WITH latest AS (
    SELECT p.* FROM pc6_adressen p WHERE p.jaar = (SELECT max(jaar) FROM pc6_adressen)
), counted AS (
    SELECT postcode, buurt_code, wijk_code, gemeente_code, count(*) AS n
    FROM latest GROUP BY postcode, buurt_code, wijk_code, gemeente_code
), per_pc6 AS (
    SELECT *, row_number() OVER (PARTITION BY postcode ORDER BY n DESC, buurt_code) AS rank
    FROM counted
)
SELECT a.tabel, a.key, a.pos,
       coalesce(e.buurt_code, m.buurt_code) AS buurt_code,
       coalesce(e.wijk_code, m.wijk_code) AS wijk_code,
       coalesce(e.gemeente_code, m.gemeente_code) AS gemeente_code
FROM address_pending a
LEFT JOIN latest e ON e.postcode = a.postcode AND e.huisnummer = a.huisnummer
LEFT JOIN per_pc6 m ON m.postcode = a.postcode AND m.rank = 1
"""


def resolve_addresses(con: duckdb.DuckDBPyConnection) -> None:
    """Turn pending postcode + huisnummer into wijk/buurt codes once a pc6 table is loaded,
    then forget the addresses (unresolvable ones keep buurt NULL and their gemeente)."""
    have_pc6 = con.execute("SELECT count(*) > 0 FROM pc6_adressen").fetchone()
    if not have_pc6 or not have_pc6[0]:
        return
    con.execute(_RESOLVE)
    con.execute(
        """
        UPDATE address_history h
        SET buurt_code = r.buurt_code, wijk_code = r.wijk_code,
            gemeente_code = coalesce(r.gemeente_code, h.gemeente_code)
        FROM _resolved r
        WHERE r.tabel = 'address_history' AND h.key = r.key AND h.pos = r.pos
        """
    )
    con.execute(
        """
        UPDATE bij_records h
        SET buurt_code = r.buurt_code, wijk_code = r.wijk_code,
            gemeente_code = coalesce(h.gemeente_code, r.gemeente_code)
        FROM _resolved r
        WHERE r.tabel = 'bij_records' AND h.key = r.key AND h.pos = r.pos
        """
    )
    con.execute("DELETE FROM address_pending")
    con.execute("DROP TABLE _resolved")
