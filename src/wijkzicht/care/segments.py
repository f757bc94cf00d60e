"""The segments of care that each source records, before they are merged into trajectories
(``docs/counting-rules.md`` §1; :mod:`wijkzicht.care.trajectories` merges them).

1. accepted items only (:func:`wijkzicht.care.inputs.accepted`);
2. iJw segments — starts and stops with corrections applied, temporary stops chained
   (:func:`regie_segments`), GI toewijzingen (:func:`gi_segments`);
3. BIJ records, the latest delivery of each (:func:`bij_records`, :func:`bij_segments`);
4. all of them clipped at the horizon (:func:`segments`).

Ibis expressions over the store's tables, like the rest of :mod:`wijkzicht.care`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import ibis
from ibis import _
from ibis.backends import BaseBackend

from wijkzicht.care.codes import (
    CATEGORIE,
    GI_CATEGORIES,
    HULPVORM,
    TEMPORARY_STOP,
    WITHDRAWN,
)
from wijkzicht.care.inputs import Source, accepted, backend, table

FAR = date(9999, 12, 31)  # stands for "no end" where an order or a maximum needs a date

# A start: (gemeente, aanbieder, youth, toewijzing (-1: taakgericht), product, begindatum).
CHAIN_KEY = ("gemeente", "aanbieder", "client", "tw", "cat", "prod")
START_KEY = (*CHAIN_KEY, "begindatum")
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


def map_codes(value: ibis.Value, mapping: Mapping[str, str]) -> ibis.Value:
    """``mapping[value]``, NULL for values not in it (a CASE expression on every engine)."""
    return value.cases(*mapping.items(), else_=None)


def rank(*values: ibis.Value) -> ibis.Value:
    """An ``argmax`` key that compares ``values`` in turn, NULL lowest (as ``DESC NULLS LAST``
    sorts): each value is preceded by whether it is present, so it ranks alike on every engine."""
    fields: dict[str, ibis.Value] = {}
    for i, value in enumerate(values):
        fields[f"h{i}"] = value.notnull()  # a present value beats NULL …
        fields[f"v{i}"] = value  # … and when both are present, the greater one wins
    return ibis.struct(fields)


def _latest(t: ibis.Table, keys: Sequence[str], greatest: Sequence[ibis.Value]) -> ibis.Table:
    """One row per ``keys``: the one with the greatest ``greatest`` tuple, NULL lowest (an
    ``argmax`` per group: several times faster than a window over many small partitions)."""
    row = ibis.struct({c: t[c] for c in t.columns if c not in keys})
    best = t.group_by(list(keys)).agg(_row=row.argmax(rank(*greatest)))
    return best.unpack("_row").select(*t.columns)


def _typed(t: ibis.Table, **values: Any) -> ibis.Table:
    """``t`` reduced to the :data:`SEGMENT` columns: ``values`` by name, NULL for the rest."""
    return t.select(
        **{
            c: (values[c] if c in values else ibis.null()).cast(dtype)
            for c, dtype in SEGMENT.items()
        }
    )


def _ijw_segment(t: ibis.Table, begin: ibis.Value, end: ibis.Value, **values: Any) -> ibis.Table:
    """iJw segments of ``t`` (client, aanbieder, gemeente, categorie and the hulpvorm it
    gives) from ``begin`` to ``end``, with further ``values``."""
    return _typed(
        t,
        client=t.client,
        hulpvorm=map_codes(t.categorie, HULPVORM),
        aanbieder=t.aanbieder,
        gemeente=t.gemeente,
        categorie=t.categorie,
        begin=begin,
        end=end,
        src=ibis.literal("ijw"),
        **values,
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
    # the current version of each toewijzing that was ever withdrawn (few): is it withdrawn?
    ever = tw.filter(tw.reden_wijziging == WITHDRAWN).select(*TOEWIJZING_KEY).distinct()
    ever = tw.semi_join(ever, list(TOEWIJZING_KEY))
    withdrawn = _current_toewijzingen(ever).filter(_.reden_wijziging == WITHDRAWN)
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
    # (reden and categorie break ties, so that the choice is the same everywhere)
    last = ibis.struct({"end": seg.end, "reden": seg.reden, "categorie": seg.categorie})
    order = rank(seg.begin, seg.end.fill_null(FAR), seg.reden, seg.categorie)
    chains = seg.group_by(*CHAIN_KEY, "chain").agg(begin=seg.begin.min(), _last=last.argmax(order))
    chains = chains.unpack("_last")
    chains = chains.left_join(verwijzers(b), ["gemeente", "aanbieder", "client", "tw"])
    return _ijw_segment(chains, chains.begin, chains.end, reden_ijw=chains.reden, v315=chains.v315)


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
    return _ijw_segment(cur, cur.ingangsdatum, cur.einddatum)


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
        categorie=map_codes(bij.hulpvorm, CATEGORIE),
        begin=bij.datum_aanvang,
        end=bij.datum_einde,
        reden_bij=bij.reden_beeindiging,
        v_bij=bij.verwijzer,
        crisis=map_codes(bij.gestart_met_crisis, {"01": True, "02": False}),
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
