"""Data quality of the message traffic, per provider (afzender) and month: what arrived, what
was quarantined and why, what arrived late and who fell silent — so an analyst knows whom to
call. Pure queries on a (read-only) store connection; the data quality page shows them.

Rules (simple on purpose; ``docs/web.md`` repeats them):

- **arrived**: every iJw message in ``messages`` counts in the month of its ``dagtekening``,
  per message code, split into accepted and quarantined.
- **late**: the iJw standard asks for a start (JW305) within 5 working days after the
  Begindatum and a stop (JW307) within 5 working days after the Einddatum. A message is late
  when the working days (Monday–Friday; public holidays are not taken into account) after that
  date up to and including its ``dagtekening`` exceed :data:`LATE_WORKING_DAYS` for any of its
  products. Accepted messages only.
- **missing**: a month in which an afzender sent nothing although it sent messages in an
  earlier month, from its first month up to the newest month in the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

LATE_WORKING_DAYS = 5


@dataclass(frozen=True)
class Arrival:
    afzender: str
    month: str  # YYYY-MM
    code: str  # JW301 …
    accepted: int
    quarantined: int


@dataclass(frozen=True)
class QuarantineRule:
    rule: str
    count: int
    reason_nl: str  # of one example
    reason_en: str
    afzenders: int  # distinct afzenders among the readable messages


@dataclass(frozen=True)
class Late:
    afzender: str
    month: str  # of the dagtekening
    code: str  # JW305 | JW307
    late: int  # messages later than LATE_WORKING_DAYS
    total: int  # accepted messages of the code
    max_days: int  # the latest one, in working days


def months(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every month from the first to the newest ``dagtekening`` in the store."""
    first, last = con.execute("SELECT min(dagtekening), max(dagtekening) FROM messages").fetchone()
    if first is None:
        return []
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def arrivals(con: duckdb.DuckDBPyConnection, since: str | None = None) -> list[Arrival]:
    """Messages per afzender, month and code (from month ``since``, YYYY-MM, when given)."""
    rows = con.execute(
        """
        SELECT afzender, strftime(dagtekening, '%Y-%m') AS month, code,
               count(*) FILTER (WHERE status = 'accepted'),
               count(*) FILTER (WHERE status <> 'accepted')
        FROM messages
        WHERE afzender IS NOT NULL AND dagtekening IS NOT NULL
          AND (? IS NULL OR strftime(dagtekening, '%Y-%m') >= ?)
        GROUP BY ALL ORDER BY afzender, month, code
        """,
        [since, since],
    ).fetchall()
    return [Arrival(a, m, c, int(n), int(q)) for a, m, c, n, q in rows]


def quarantine_by_rule(con: duckdb.DuckDBPyConnection) -> list[QuarantineRule]:
    """Every quarantined item counted by its (first broken) rule, most frequent first, with
    the reason of one example (the earliest received)."""
    rows = con.execute(
        """
        SELECT q.rule, count(*),
               arg_min(q.reason_nl, q.seq), arg_min(q.reason, q.seq),
               count(DISTINCT m.afzender)
        FROM quarantine q LEFT JOIN messages m USING (key)
        GROUP BY q.rule ORDER BY 2 DESC, 1
        """
    ).fetchall()
    return [QuarantineRule(r, int(n), nl or "", en or "", int(a)) for r, n, nl, en, a in rows]


def quarantine_by_afzender(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    """(afzender, rule) → quarantined messages; items that are no readable message have no
    afzender and are left out."""
    rows = con.execute(
        """
        SELECT m.afzender, q.rule, count(*)
        FROM quarantine q JOIN messages m USING (key)
        WHERE m.afzender IS NOT NULL GROUP BY ALL
        """
    ).fetchall()
    return {(a, r): int(n) for a, r, n in rows}


_LATE_SQL = """
WITH bounds AS (
    SELECT least(min(d), min(m.dagtekening)) AS lo, max(m.dagtekening) AS hi
    FROM (SELECT {date} AS d, key FROM accepted_{table}) x JOIN messages m USING (key)
),
days AS (
    SELECT CAST(d AS DATE) AS d,
           sum(CASE WHEN isodow(d) <= 5 THEN 1 ELSE 0 END) OVER (ORDER BY d) AS wd
    FROM bounds, range(bounds.lo, bounds.hi + INTERVAL 1 DAY, INTERVAL 1 DAY) t(d)
),
per_message AS (
    SELECT m.key, m.afzender, strftime(m.dagtekening, '%Y-%m') AS month,
           max(dt.wd - dd.wd) AS working_days
    FROM accepted_{table} s
    JOIN messages m USING (key)
    JOIN days dd ON dd.d = s.{date}
    JOIN days dt ON dt.d = m.dagtekening
    WHERE m.status = 'accepted'
    GROUP BY ALL
)
SELECT afzender, month, count(*) FILTER (WHERE working_days > ?), count(*),
       greatest(max(working_days), 0)
FROM per_message GROUP BY ALL ORDER BY afzender, month
"""


def late(con: duckdb.DuckDBPyConnection, days: int = LATE_WORKING_DAYS) -> list[Late]:
    """Starts and stops per afzender and month, and how many of them were late."""
    out = []
    for code, table, column in (("JW305", "starts", "begindatum"), ("JW307", "stops", "einddatum")):
        sql = _LATE_SQL.format(table=table, date=column)
        for a, m, n_late, total, worst in con.execute(sql, [days]).fetchall():
            out.append(Late(a, m, code, int(n_late), int(total), int(worst or 0)))
    out.sort(key=lambda r: (r.afzender, r.month, r.code))
    return out


def working_days_after(start: date, end: date) -> int:
    """Monday–Friday days in (start, end]: the rule :func:`late` applies, for one pair."""
    n, d = 0, start
    while d < end:
        d += timedelta(days=1)
        n += d.isoweekday() <= 5
    return n if end >= start else -working_days_after(end, start)


def missing(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(afzender, month) pairs with no message at all although the afzender sent messages in
    an earlier month; up to the newest month in the store."""
    every = months(con)
    sent: dict[str, set[str]] = {}
    for a, m in con.execute(
        """
        SELECT DISTINCT afzender, strftime(dagtekening, '%Y-%m') FROM messages
        WHERE afzender IS NOT NULL AND dagtekening IS NOT NULL
        """
    ).fetchall():
        sent.setdefault(a, set()).add(m)
    out = []
    for a in sorted(sent):
        first = min(sent[a])
        out += [(a, m) for m in every if m > first and m not in sent[a]]
    return out
