"""Care trajectories rebuilt from the store, by the rules of ``docs/counting-rules.md`` §1.

Everything here is an Ibis expression over the store's tables: DuckDB runs it by default, and
the same expressions run on any Ibis backend that holds tables of the same names and columns
(Spark over Parquet exports). Nothing is computed in Python. See ``docs/care.md``.

The segments of every source (:mod:`wijkzicht.care.segments`) are merged per youth, hulpvorm
and provider when they overlap or touch, with attributes from the preferred source
(:func:`merge`); then herhaald beroep, soort and aanbieder_soort are added (:func:`build`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import ibis

from wijkzicht.care import providers as prov
from wijkzicht.care.codes import MET_VERBLIJF, REDEN_CBS, REDEN_JZ588, VERWIJZER_ONBEKEND
from wijkzicht.care.inputs import Source, backend, keep, unfused
from wijkzicht.care.segments import FAR, SEGMENT, bij_records, map_codes, rank, segments

COLUMNS = (
    "traject_id",  # 1, 2, … in the order below: stable for one store, not across rebuilds
    "pseudonym",
    "gemeente",
    "hulpvorm",
    "categorie",
    "soort",
    "aanbieder",
    "aanbieder_soort",
    "verwijzer",
    "begindatum",
    "einddatum",
    "reden_jz588",
    "reden_cbs",
    "crisis",
    "herhaald_beroep",
    "bronnen",
)
MERGE_KEY = ("client", "hulpvorm", "aanbieder")

Providers = Mapping[str, str] | str | Path | None


def merge(seg: ibis.Table) -> ibis.Table:
    """One row per trajectory: segments of one youth, hulpvorm and provider that overlap or
    touch (begin ≤ previous end + 1 day) are one. Dates and reden come from the iJw segments
    when there are any (timely and the legal record), else from BIJ; verwijzer from the JW315,
    else BIJ, else 'onbekend'; crisis from BIJ."""
    seg = seg.distinct()
    key = list(MERGE_KEY)

    def total(t: ibis.Table) -> list[Any]:
        """A total order within a key (the rows are distinct): every window below sees rows
        alike. The key's own columns are left out: they are the same throughout a partition
        (sorting on them too took the first window 0.59 s instead of 0.33 at the national
        tenth)."""
        rest = (c for c in SEGMENT if c not in (*key, "begin"))
        return [t.begin, t.end.fill_null(FAR), *(t[c] for c in rest)]

    # the position (_id) and the furthest end reached by the segments before this one, in
    # one sort (the same partition and order)
    seg = seg.mutate(
        _id=ibis.row_number().over(ibis.window(group_by=key, order_by=total(seg))),
        _prev=seg.end.fill_null(FAR)
        .max()
        .over(ibis.window(group_by=key, order_by=total(seg), rows=(None, -1))),
    )
    new = seg._prev.isnull() | ((seg.begin - ibis.interval(days=1)) > seg._prev)
    seg = seg.mutate(_new=new.cast("int64"))
    seg = seg.mutate(
        island=seg._new.sum().over(ibis.cumulative_window(group_by=key, order_by=seg._id))
    )
    end_far, is_ijw, is_bij = seg.end.fill_null(FAR), seg.src == "ijw", seg.src == "bij"

    def final(reden: ibis.Value) -> ibis.Value:
        """The greatest reden of the segments that end last (a present one beats NULL)."""
        return rank(end_far, reden)

    # the segment with the latest begin, the first of them in _id order
    latest = rank(seg.begin, -seg._id)
    # "the first segment with …" by _id, unique within the key: argmin, no window needed
    t = seg.group_by([*key, "island"]).agg(
        has_ijw=is_ijw.any(),
        has_bij=is_bij.any(),
        begin_ijw=seg.begin.min(where=is_ijw),
        begin_bij=seg.begin.min(where=is_bij),
        end_ijw=end_far.max(where=is_ijw),
        end_bij=end_far.max(where=is_bij),
        reden_ijw=seg.reden_ijw.argmax(final(seg.reden_ijw), where=is_ijw),
        reden_bij=seg.reden_bij.argmax(final(seg.reden_bij), where=is_bij),
        v315=seg.v315.argmin(seg._id, where=seg.v315.notnull()),  # the first JW315 verwijzer
        v_bij=seg.v_bij.argmin(seg._id, where=is_bij),  # the first BIJ record's
        crisis=seg.crisis.argmin(seg._id, where=is_bij),
        cat_ijw=seg.categorie.argmin(seg._id, where=is_ijw),  # the first iJw segment's
        cat_any=seg.categorie.argmin(seg._id),
        gemeente=seg.gemeente.argmax(latest),
    )
    t = t.mutate(categorie=t.has_ijw.ifelse(t.cat_ijw, t.cat_any))
    end_far = t.has_ijw.ifelse(t.end_ijw, t.end_bij)
    end = (end_far == ibis.literal(FAR)).ifelse(ibis.null("date"), end_far)
    open_ = end.isnull()
    reden_jz588 = open_.ifelse(
        ibis.null("string"), t.reden_ijw.coalesce(map_codes(t.reden_bij, REDEN_JZ588))
    )
    reden_cbs = open_.ifelse(
        ibis.null("string"),
        t.reden_ijw.isnull().ifelse(t.reden_bij, map_codes(t.reden_ijw, REDEN_CBS)),
    )
    bronnen = (t.has_ijw & t.has_bij).ifelse("bij+ijw", t.has_ijw.ifelse("ijw", "bij"))
    return t.select(
        pseudonym=t.client,
        gemeente=t.gemeente,
        hulpvorm=t.hulpvorm,
        categorie=t.categorie,
        aanbieder=t.aanbieder,
        verwijzer=t.v315.coalesce(t.v_bij, ibis.literal(VERWIJZER_ONBEKEND)),
        begindatum=t.has_ijw.ifelse(t.begin_ijw, t.begin_bij),
        einddatum=end,
        reden_jz588=reden_jz588,
        reden_cbs=reden_cbs,
        crisis=t.crisis,
        bronnen=bronnen,
    )


def _soort(hulpvorm: ibis.Value) -> ibis.Value:
    return ibis.cases(
        (hulpvorm == "JB", "jeugdbescherming"),
        (hulpvorm == "JR", "jeugdreclassering"),
        (hulpvorm.isin(sorted(MET_VERBLIJF)), "met_verblijf"),
        (hulpvorm.notnull(), "zonder_verblijf"),
        else_=None,
    )


def build(
    source: Source,
    *,
    horizon: date | None = None,
    providers: Providers = None,
    staged: bool = False,
    scratch: list[ibis.Table] | None = None,
) -> ibis.Table:
    """The trajectories (:data:`COLUMNS`), one row per trajectory, as an Ibis expression.

    ``horizon``: the last day the data cover (default :func:`default_horizon`); care that ends
    after it is still running, and a GI toewijzing ends only when its Einddatum lies on or
    before it. ``providers``: {AGB: soort}, or a CSV path (``wijkzicht.care.providers``).
    ``staged``: materialise the BIJ records and the segments on the way (:func:`keep`): the
    same rows, computed and compiled in smaller pieces — faster when the result is used
    right away; without it, one expression that runs anywhere later (``materialise``).
    ``scratch``: the staged tables are added to it, for the caller to release
    (:func:`wijkzicht.care.inputs.release`) once the result is materialised.
    """
    b = backend(source)

    def stage(t: ibis.Table) -> ibis.Table:
        if not staged:
            return t
        kept = keep(b, t)
        if scratch is not None:
            scratch.append(kept)
        return kept

    bij = stage(bij_records(b))
    t = merge(stage(segments(b, horizon=horizon, bij=bij)))
    first_end = t.einddatum.min().over(ibis.window(group_by=t.pseudonym))
    t = t.mutate(
        herhaald_beroep=(first_end < t.begindatum).fill_null(False),
        soort=_soort(t.hulpvorm),
    )
    derived = prov.derived_kinds(b, bij).rename(soort_data="soort")
    t = t.left_join(derived, "aanbieder").drop("aanbieder_right")
    kinds = prov.kinds_table(prov.as_mapping(providers)).rename(soort_table="soort")
    t = t.left_join(kinds, "aanbieder").drop("aanbieder_right")
    t = t.mutate(aanbieder_soort=t.soort_table.coalesce(t.soort_data))
    order = [t.pseudonym, t.begindatum, t.hulpvorm, t.aanbieder]
    t = t.mutate(traject_id=ibis.row_number().over(ibis.window(order_by=order)) + 1)
    return t.select(*COLUMNS).order_by("traject_id")


def materialise(
    con: duckdb.DuckDBPyConnection,
    *,
    name: str = "trajectories",
    horizon: date | None = None,
    providers: Providers = None,
) -> int:
    """Write the trajectories into the store as table ``name`` (replaced); return the rows.

    A derived table, not part of the schema migrations: rebuild it after every ingest."""
    b = backend(con)
    expr = build(b, horizon=horizon, providers=providers)
    b._run_pre_execute_hooks(expr)  # registers the providers table (in memory) on ``con``
    with unfused():
        sql = b.compile(expr)
    con.execute(f'CREATE OR REPLACE TABLE "{name}" AS {sql}')  # one statement: atomic
    row = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()  # noqa: S608 - own name
    return int(row[0]) if row else 0
