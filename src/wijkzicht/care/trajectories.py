"""Care trajectories rebuilt from the store, by the rules of ``docs/counting-rules.md`` §1.

Everything here is an Ibis expression over the store's tables: DuckDB runs it by default, and
the same expressions run on any Ibis backend that holds tables of the same names and columns
(Spark over Parquet exports). Nothing is computed in Python. See ``docs/care.md``.

Pipeline (each step a function below):

1. accepted items only (:func:`accepted`);
2. iJw segments — starts and stops with corrections applied, temporary stops chained
   (:func:`regie_segments`), GI toewijzingen (:func:`gi_segments`);
3. BIJ records, the latest delivery of each (:func:`bij_segments`);
4. all segments clipped at the horizon and merged per youth, hulpvorm and provider when they
   overlap or touch (:func:`merge`); attributes from the preferred source;
5. herhaald beroep, soort and aanbieder_soort (:func:`build`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import ibis
from ibis import _
from ibis.backends import BaseBackend

from wijkzicht.care import providers as prov
from wijkzicht.care.codes import (
    CATEGORIE,
    GI_CATEGORIES,
    HULPVORM,
    MET_VERBLIJF,
    REDEN_CBS,
    REDEN_JZ588,
    TEMPORARY_STOP,
    VERWIJZER_ONBEKEND,
    WITHDRAWN,
)
from wijkzicht.care.inputs import Source, accepted, backend, keep, table

FAR = date(9999, 12, 31)  # stands for "no end" where an order or a maximum needs a date
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
# A start: (gemeente, aanbieder, youth, toewijzing (-1: taakgericht), product, begindatum).
CHAIN_KEY = ("gemeente", "aanbieder", "client", "tw", "cat", "prod")
START_KEY = (*CHAIN_KEY, "begindatum")
MERGE_KEY = ("client", "hulpvorm", "aanbieder")
# Columns of one segment, whatever its source.
SEGMENT = {
    "client": "string",
    "hulpvorm": "string",
    "aanbieder": "string",
    "gemeente": "string",
    "categorie": "string",
    "begin": "date",
    "end": "date",
    "reden_ijw": "string",  # JZ588 of the final stop
    "reden_bij": "string",  # CBS code from BIJ
    "v315": "string",  # verwijzer of the JW315 that led to the toewijzing
    "v_bij": "string",  # verwijzer from BIJ
    "crisis": "boolean",
    "src": "string",  # ijw / bij
}

# The columns that give the order of arrival of a row (see _newest).
ARRIVAL = ("dagtekening", "seq", "pos")
TOEWIJZING_KEY = ("gemeente", "aanbieder", "client", "toewijzing_nummer")
TOEWIJZING = ("toewijzingsdatum", "toewijzingstijd", "reden_wijziging", "categorie",
              "ingangsdatum", "einddatum")  # fmt: skip
# The BIJ columns the segments and the providers' kinds use.
BIJ_KEY = ("client", "aanbieder", "hulpvorm", "datum_aanvang")
BIJ = ("gemeente_code", "datum_einde", "reden_beeindiging", "verwijzer", "gestart_met_crisis")

Providers = Mapping[str, str] | str | Path | None


def _map(value: ibis.Value, mapping: Mapping[str, str]) -> ibis.Value:
    """``mapping[value]``, NULL for values not in it (a CASE expression on every engine)."""
    return value.cases(*mapping.items(), else_=None)


def _latest(t: ibis.Table, keys: Sequence[str], greatest: Sequence[ibis.Value]) -> ibis.Table:
    """One row per ``keys``: the one with the greatest ``greatest`` tuple, NULL lowest (an
    ``argmax`` per group: several times faster than a window over many small partitions)."""
    rank: dict[str, ibis.Value] = {}
    for i, value in enumerate(greatest):
        rank[f"h{i}"] = value.notnull()  # a present value beats NULL …
        rank[f"v{i}"] = value  # … and when both are present, the greater one wins
    rest = [c for c in t.columns if c not in keys]
    row = ibis.struct({c: t[c] for c in rest})
    best = t.group_by(list(keys)).agg(_row=row.argmax(ibis.struct(rank)))
    return best.unpack("_row").select(*t.columns)


def _typed(t: ibis.Table, **values: Any) -> ibis.Table:
    """``t`` reduced to the :data:`SEGMENT` columns: ``values`` by name, NULL for the rest."""
    return t.select(
        **{
            c: (values[c] if c in values else ibis.null()).cast(dtype)
            for c, dtype in SEGMENT.items()
        }
    )


def _regie_rows(b: BaseBackend, table: str, *columns: str) -> ibis.Table:
    """The rows of JW305/JW307 ``table`` keyed by :data:`START_KEY`, with ``columns``."""
    t = accepted(b, table)
    t = t.filter(t.client.notnull())
    return t.select(
        "aanbieder",
        "client",
        "begindatum",
        "categorie",
        "status_aanlevering",
        *columns,
        *ARRIVAL,
        gemeente=t.gemeente.fill_null(""),
        tw=t.toewijzing_nummer.fill_null(-1),
        cat=t.categorie.fill_null(""),
        prod=t.product_code.fill_null(""),
    )


def _newest(t: ibis.Table) -> list[ibis.Value]:
    """The order of arrival: the later Dagtekening, then the later item and row."""
    return [t[c] for c in ARRIVAL]


def verwijzers(b: BaseBackend) -> ibis.Table:
    """(gemeente, aanbieder, client, tw, v315): the verwijzer of the JW315 whose
    ReferentieAanbieder a version of the (not withdrawn) toewijzing carries."""
    tw = accepted(b, "toewijzingen")
    withdrawn = _current_toewijzingen(tw).filter(_.reden_wijziging == WITHDRAWN)
    refs = (
        tw.filter(tw.referentie_aanbieder.notnull() & tw.client.notnull())
        .select("gemeente", "aanbieder", "client", "toewijzing_nummer", "referentie_aanbieder")
        .distinct()
        .anti_join(withdrawn, ["gemeente", "aanbieder", "client", "toewijzing_nummer"])
    )
    vz = accepted(b, "verzoeken")
    vz = vz.filter(vz.verwijzer_type.notnull()).select(
        "gemeente", "aanbieder", "client", "referentie_aanbieder", "verwijzer_type"
    )
    return (
        refs.inner_join(vz, ["gemeente", "aanbieder", "client", "referentie_aanbieder"])
        .group_by("gemeente", "aanbieder", "client", tw=_.toewijzing_nummer)
        .agg(v315=_.verwijzer_type.max())
    )


def regie_segments(b: BaseBackend) -> ibis.Table:
    """Segments from JW305/JW307: the current start of each key (a later StatusAanlevering 3
    deletes it) up to its stop; a temporary stop (20) and the next start of the same toewijzing
    (taakgericht: the same product) are one segment. Taakgericht starts have tw = -1."""
    starts = _regie_rows(b, "starts")
    starts = _latest(starts, START_KEY, _newest(starts))
    starts = starts.filter(starts.status_aanlevering == "1")
    stops = _regie_rows(b, "stops", "einddatum", "reden_beeindiging")
    stops = _latest(stops, (*START_KEY, "reden_beeindiging", "einddatum"), _newest(stops))
    stops = stops.filter(stops.status_aanlevering == "1")
    # One stop per start: a definitive stop before a temporary one with the same start key.
    definitive = (stops.reden_beeindiging != TEMPORARY_STOP).fill_null(True)
    stops = _latest(stops, START_KEY, [definitive, stops.einddatum, *_newest(stops)]).select(
        *START_KEY, "einddatum", "reden_beeindiging"
    )
    seg = starts.left_join(stops, list(START_KEY))
    seg = seg.select(
        *CHAIN_KEY,
        "categorie",
        begin=seg.begindatum,
        end=seg.einddatum,
        reden=seg.reden_beeindiging,
    )
    # Chain: a new chain begins unless the previous segment ended with a temporary stop, so a
    # segment's chain is the number of segments before it that did not.
    end_far = seg.end.fill_null(FAR)
    before = ibis.window(group_by=list(CHAIN_KEY), order_by=[seg.begin, end_far], rows=(None, -1))
    not_temporary = (seg.reden.fill_null("") != TEMPORARY_STOP).cast("int64")
    seg = seg.mutate(chain=not_temporary.sum().over(before).fill_null(0))
    # the chain's last segment (latest begin, then latest end) gives its end, reden, categorie
    last = ibis.struct({"end": seg.end, "reden": seg.reden, "categorie": seg.categorie})
    rank = {"b": seg.begin.notnull(), "begin": seg.begin, "end": seg.end.fill_null(FAR)}
    for c in ("reden", "categorie"):  # tie-breakers, so that the choice is the same everywhere
        rank |= {f"{c}_known": seg[c].notnull(), c: seg[c]}
    chains = seg.group_by(*CHAIN_KEY, "chain").agg(
        begin=seg.begin.min(), _last=last.argmax(ibis.struct(rank))
    )
    chains = chains.unpack("_last")
    chains = chains.left_join(verwijzers(b), ["gemeente", "aanbieder", "client", "tw"])
    return _typed(
        chains,
        client=chains.client,
        hulpvorm=_map(chains.categorie, HULPVORM),
        aanbieder=chains.aanbieder,
        gemeente=chains.gemeente,
        categorie=chains.categorie,
        begin=chains.begin,
        end=chains.end,
        reden_ijw=chains.reden,
        v315=chains.v315,
        src=ibis.literal("ijw"),
    )


def _current_toewijzingen(tw: ibis.Table) -> ibis.Table:
    """The current version of each toewijzing: latest Toewijzingsdatum + Toewijzingstijd
    (with the columns the segments use)."""
    tw = tw.select(*TOEWIJZING_KEY, *TOEWIJZING, *ARRIVAL)
    order = [tw.toewijzingsdatum, tw.toewijzingstijd, *_newest(tw)]
    return _latest(tw, TOEWIJZING_KEY, order)


def gi_segments(b: BaseBackend) -> ibis.Table:
    """Segments of a gecertificeerde instelling (categories 47, 48; no start or stop): the
    current version of each toewijzing, Ingangsdatum to Einddatum; withdrawn ones never existed."""
    tw = accepted(b, "toewijzingen")
    tw = tw.filter(tw.client.notnull() & tw.categorie.isin(GI_CATEGORIES))
    cur = _current_toewijzingen(tw)
    cur = cur.filter(cur.reden_wijziging.fill_null("") != WITHDRAWN)
    return _typed(
        cur,
        client=cur.client,
        hulpvorm=_map(cur.categorie, HULPVORM),
        aanbieder=cur.aanbieder,
        gemeente=cur.gemeente,
        categorie=cur.categorie,
        begin=cur.ingangsdatum,
        end=cur.einddatum,
        src=ibis.literal("ijw"),
    )


def bij_records(b: BaseBackend) -> ibis.Table:
    """The latest delivery of each BIJ record (youth, provider, hulpvorm, datum aanvang)."""
    bij = accepted(b, "bij_records")
    bij = bij.filter(bij.client.notnull()).select(*BIJ_KEY, *BIJ, "seq", "pos")
    return _latest(bij, BIJ_KEY, [bij.seq, bij.pos])


def bij_segments(bij: ibis.Table) -> ibis.Table:
    gemeente = bij.gemeente_code
    return _typed(
        bij,
        client=bij.client,
        hulpvorm=bij.hulpvorm,
        aanbieder=bij.aanbieder,
        gemeente=(gemeente.startswith("GM")).ifelse(gemeente.substr(2), gemeente),
        categorie=_map(bij.hulpvorm, CATEGORIE),
        begin=bij.datum_aanvang,
        end=bij.datum_einde,
        reden_bij=bij.reden_beeindiging,
        v_bij=bij.verwijzer,
        crisis=_map(bij.gestart_met_crisis, {"01": True, "02": False}),
        src=ibis.literal("bij"),
    )


def clip(seg: ibis.Table, horizon: date | None) -> ibis.Table:
    """Drop segments that begin after the horizon; an end after it means still running."""
    if horizon is None:
        return seg
    h = ibis.literal(horizon)
    seg = seg.filter(seg.begin <= h)
    after = seg.end.notnull() & (seg.end > h)
    return seg.mutate(
        end=after.ifelse(ibis.null("date"), seg.end),
        reden_ijw=after.ifelse(ibis.null("string"), seg.reden_ijw),
        reden_bij=after.ifelse(ibis.null("string"), seg.reden_bij),
    )


def merge(seg: ibis.Table) -> ibis.Table:
    """One row per trajectory: segments of one youth, hulpvorm and provider that overlap or
    touch (begin ≤ previous end + 1 day) are one. Dates and reden come from the iJw segments
    when there are any (timely and the legal record), else from BIJ; verwijzer from the JW315,
    else BIJ, else 'onbekend'; crisis from BIJ."""
    seg = seg.distinct()
    key = list(MERGE_KEY)

    # A total order: every window below must see tied rows in the same order.
    total = [seg.begin, seg.end.fill_null(FAR), *(seg[c] for c in SEGMENT)]
    seg = seg.mutate(_id=ibis.row_number().over(ibis.window(group_by=key, order_by=total)))

    def order(t: ibis.Table) -> list[Any]:
        return [t._id]

    # the furthest end reached by the segments before this one
    before = ibis.window(group_by=key, order_by=order(seg), rows=(None, -1))
    seg = seg.mutate(_prev=seg.end.fill_null(FAR).max().over(before))
    new = seg._prev.isnull() | ((seg.begin - ibis.interval(days=1)) > seg._prev)
    seg = seg.mutate(_new=new.cast("int64"))
    seg = seg.mutate(
        island=seg._new.sum().over(ibis.cumulative_window(group_by=key, order_by=order(seg)))
    )
    end_far, is_ijw, is_bij = seg.end.fill_null(FAR), seg.src == "ijw", seg.src == "bij"

    def final(reden: ibis.Value) -> ibis.Value:
        """The greatest reden of the segments that end last (a present one beats NULL)."""
        return ibis.struct({"end": end_far, "known": reden.notnull(), "reden": reden})

    # the segment with the latest begin, the first of them in _id order
    latest = ibis.struct({"known": seg.begin.notnull(), "begin": seg.begin, "first": -seg._id})
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
        ibis.null("string"), t.reden_ijw.coalesce(_map(t.reden_bij, REDEN_JZ588))
    )
    reden_cbs = open_.ifelse(
        ibis.null("string"),
        t.reden_ijw.isnull().ifelse(t.reden_bij, _map(t.reden_ijw, REDEN_CBS)),
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


def segments(
    source: Source, *, horizon: date | None = None, bij: ibis.Table | None = None
) -> ibis.Table:
    """Every segment of every source (before merging), clipped at the horizon."""
    b = backend(source)
    bij = bij_records(b) if bij is None else bij
    seg = ibis.union(regie_segments(b), gi_segments(b), bij_segments(bij), distinct=False)
    return clip(seg, horizon if horizon is not None else default_horizon(b))


def default_horizon(b: BaseBackend) -> date:
    """The day the data run up to when no horizon is given: the latest Dagtekening of an
    accepted iJw message, else the latest BIJ date, else today."""
    m = table(b, "messages")
    bij = table(b, "bij_records")
    for expr in (
        m.filter(m.status == "accepted").dagtekening.max(),
        ibis.greatest(bij.datum_aanvang.max(), bij.datum_einde.max()),
    ):
        day = expr.to_pyarrow().as_py()  # (pyarrow: .execute() goes through pandas)
        if day is not None:
            return day
    return date.today()


def build(
    source: Source,
    *,
    horizon: date | None = None,
    providers: Providers = None,
    staged: bool = False,
) -> ibis.Table:
    """The trajectories (:data:`COLUMNS`), one row per trajectory, as an Ibis expression.

    ``horizon``: the last day the data cover (default :func:`default_horizon`); care that ends
    after it is still running, and a GI toewijzing ends only when its Einddatum lies on or
    before it. ``providers``: {AGB: soort}, or a CSV path (``wijkzicht.care.providers``).
    ``staged``: materialise the BIJ records and the segments on the way (:func:`keep`): the
    same rows, computed and compiled in smaller pieces — faster when the result is used
    right away; without it, one expression that runs anywhere later (``materialise``).
    """
    b = backend(source)
    stage = (lambda t: keep(b, t)) if staged else (lambda t: t)
    bij = stage(bij_records(b))
    t = merge(stage(segments(b, horizon=horizon, bij=bij)))
    first_end = t.einddatum.min().over(ibis.window(group_by=t.pseudonym))
    t = t.mutate(
        herhaald_beroep=(first_end < t.begindatum).fill_null(False),
        soort=_soort(t.hulpvorm),
    )
    derived = prov.derived_kinds(b, bij).rename(soort_data="soort")
    t = t.left_join(derived, "aanbieder").drop("aanbieder_right")
    kinds = prov.as_mapping(providers)
    t = t.mutate(aanbieder_soort=prov.kind_of(t.aanbieder, kinds).coalesce(t.soort_data))
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
    sql = b.compile(build(b, horizon=horizon, providers=providers))
    con.execute(f'CREATE OR REPLACE TABLE "{name}" AS {sql}')  # one statement: atomic
    row = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()  # noqa: S608 - own name
    return int(row[0]) if row else 0
