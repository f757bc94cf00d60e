"""The data quality page's content from :mod:`wijkzicht.insight.quality`, read once per store
state (one read-only connection) and kept per process."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from wijkzicht.insight import quality
from wijkzicht.store import connect as store_connect


@lru_cache(maxsize=4)
def _load(store: str, state: str) -> dict:
    con = store_connect(store, read_only=True)
    try:
        return {
            "months": quality.months(con),
            "arrivals": quality.arrivals(con),
            "rules": quality.quarantine_by_rule(con),
            "by_afzender": quality.quarantine_by_afzender(con),
            "late": quality.late(con),
            "missing": quality.missing(con),
        }
    finally:
        con.close()


@lru_cache(maxsize=16)
def context(store: str, state: str, last_months: int) -> dict:
    """Tables for the newest ``last_months`` months."""
    data = _load(store, state)
    months = data["months"][-last_months:]
    shown = set(months)
    arrivals = [a for a in data["arrivals"] if a.month in shown]
    codes = sorted({a.code for a in arrivals})
    grid: dict[tuple[str, str], dict[str, tuple[int, int]]] = defaultdict(dict)
    for a in arrivals:
        grid[(a.afzender, a.month)][a.code] = (a.accepted, a.quarantined)
    arrived = [
        {
            "afzender": afz,
            "month": month,
            "cells": [grid[(afz, month)].get(c, (0, 0)) for c in codes],
            "total": sum(n + q for n, q in grid[(afz, month)].values()),
        }
        for afz, month in sorted(grid)
    ]
    late = [r for r in data["late"] if r.month in shown and r.late]
    rules = sorted({r for _, r in data["by_afzender"]})
    afzenders = sorted({a for a, _ in data["by_afzender"]})
    per_afzender = [
        {
            "afzender": a,
            "counts": [data["by_afzender"].get((a, r), 0) for r in rules],
            "total": sum(data["by_afzender"].get((a, r), 0) for r in rules),
        }
        for a in afzenders
    ]
    return {
        "months": months,
        "codes": codes,
        "arrived": arrived,
        "rules": data["rules"],
        "quarantine_total": sum(r.count for r in data["rules"]),
        "afzender_rules": rules,
        "per_afzender": per_afzender,
        "late": late,
        "late_days": quality.LATE_WORKING_DAYS,
        "missing": [(a, m) for a, m in data["missing"] if m in shown],
    }
