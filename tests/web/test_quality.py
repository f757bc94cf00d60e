"""insight.quality: hand-made traffic with known answers, and the synthetic city's quarantine
against the errors the generator tagged (truth/fouten.csv)."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

import duckdb
import pytest

from wijkzicht.insight import quality
from wijkzicht.store import connect


@pytest.fixture
def con():
    c = connect(":memory:")
    yield c
    c.close()


def _message(con, key, code, afzender, dagtekening, status="accepted", seq=[0]):  # noqa: B006
    seq[0] += 1
    con.execute(
        "INSERT INTO messages (key, seq, code, afzender, dagtekening, status) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [key, seq[0], code, afzender, dagtekening, status],
    )


def _start(con, key, pos, begindatum):
    con.execute(
        "INSERT INTO starts (key, pos, begindatum) VALUES (?, ?, ?)", [key, pos, begindatum]
    )


def _stop(con, key, pos, einddatum):
    con.execute("INSERT INTO stops (key, pos, einddatum) VALUES (?, ?, ?)", [key, pos, einddatum])


def test_working_days_count_monday_to_friday_after_the_date() -> None:
    assert quality.working_days_after(date(2024, 3, 4), date(2024, 3, 11)) == 5  # Mon → Mon
    assert quality.working_days_after(date(2024, 3, 1), date(2024, 3, 11)) == 6  # Fri → Mon
    assert quality.working_days_after(date(2024, 3, 9), date(2024, 3, 10)) == 0  # Sat → Sun
    assert quality.working_days_after(date(2024, 3, 4), date(2024, 3, 4)) == 0


def test_late_starts_and_stops_by_hand(con) -> None:
    _message(con, "s1", "JW305", "A", date(2024, 3, 11))  # Mon 4 → Mon 11: 5 days, on time
    _start(con, "s1", 0, date(2024, 3, 4))
    _message(con, "s2", "JW305", "A", date(2024, 3, 11))  # Fri 1 → Mon 11: 6 days, late
    _start(con, "s2", 0, date(2024, 3, 1))
    _message(con, "s3", "JW305", "A", date(2024, 3, 15))  # two products, one late: late once
    _start(con, "s3", 0, date(2024, 3, 14))
    _start(con, "s3", 1, date(2024, 2, 1))
    _message(con, "s4", "JW305", "A", date(2024, 3, 29), status="quarantined")  # not counted
    _start(con, "s4", 0, date(2024, 1, 1))
    _message(con, "e1", "JW307", "B", date(2024, 3, 7))  # Wed 28 Feb → Thu 7: 6 days, late
    _stop(con, "e1", 0, date(2024, 2, 28))
    _message(con, "e2", "JW307", "B", date(2024, 2, 29))  # the next day: on time
    _stop(con, "e2", 0, date(2024, 2, 28))
    got = {(r.afzender, r.month, r.code): (r.late, r.total, r.max_days) for r in quality.late(con)}
    days = quality.working_days_after(date(2024, 2, 1), date(2024, 3, 15))
    assert got == {
        ("A", "2024-03", "JW305"): (2, 3, days),
        ("B", "2024-02", "JW307"): (0, 1, 1),
        ("B", "2024-03", "JW307"): (1, 1, 6),
    }
    assert quality.late(con, days=6)[0].late == 1  # A: only s3 is later than 6 days


def test_arrivals_and_missing_months_by_hand(con) -> None:
    _message(con, "a1", "JW305", "A", date(2024, 1, 5))
    _message(con, "a2", "JW305", "A", date(2024, 1, 6), status="quarantined")
    _message(con, "a3", "JW307", "A", date(2024, 3, 1))
    _message(con, "b1", "JW315", "B", date(2024, 2, 2))
    _message(con, "g1", "JW301", "0344", date(2024, 4, 30))
    assert quality.months(con) == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert quality.arrivals(con) == [
        quality.Arrival("0344", "2024-04", "JW301", 1, 0),
        quality.Arrival("A", "2024-01", "JW305", 1, 1),
        quality.Arrival("A", "2024-03", "JW307", 1, 0),
        quality.Arrival("B", "2024-02", "JW315", 1, 0),
    ]
    assert [a.afzender for a in quality.arrivals(con, since="2024-03")] == ["0344", "A"]
    assert quality.missing(con) == [
        ("A", "2024-02"),
        ("A", "2024-04"),
        ("B", "2024-03"),
        ("B", "2024-04"),
    ]


def test_empty_store_has_no_months_and_nothing_late(con) -> None:
    assert quality.months(con) == []
    assert quality.late(con) == [] and quality.missing(con) == []
    assert quality.quarantine_by_rule(con) == []


def test_quarantine_counts_equal_the_store_and_the_tagged_errors(web_store, web_city) -> None:
    with (web_city / "truth" / "fouten.csv").open(encoding="utf-8") as fh:
        tagged = list(csv.DictReader(fh, delimiter=";"))
    assert tagged
    con = duckdb.connect(str(web_store), read_only=True)
    try:
        rules = quality.quarantine_by_rule(con)
        total = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        by_afzender = quality.quarantine_by_afzender(con)
        readable = con.execute(
            "SELECT count(*) FROM quarantine JOIN messages USING (key) "
            "WHERE messages.afzender IS NOT NULL"
        ).fetchone()[0]
    finally:
        con.close()
    assert sum(r.count for r in rules) == total
    counts = {r.rule: r.count for r in rules}
    assert Counter(t["regel"] for t in tagged) == counts  # every deliberate error, nothing else
    assert all(r.reason_nl and r.reason_en for r in rules)
    assert sum(by_afzender.values()) == readable
    per_afzender = Counter((t["afzender"], t["regel"]) for t in tagged if t["regel"] != "XSD")
    for (afzender, rule), n in per_afzender.items():
        assert by_afzender.get((afzender, rule)) == n, (afzender, rule)
