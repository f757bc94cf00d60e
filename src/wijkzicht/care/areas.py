"""Where a youth lives: the area of a youth on a date or in a period (counting-rules.md §2).

Area of a youth in a period = the buurt (and its wijk) of the most recent address **in the
city** within the period, from the BRP address history (the gezagsdrager's address). A youth
with no address in the city during the period is in no area and not in the city. An address in
the city whose buurt is unknown places the youth in the city but in no wijk or buurt.

The address history of a person is that of the last BRP extract received that lists them
(:func:`brp_addresses`): a newer extract replaces an older one, so a re-delivered or
corrected extract does not add residences.

"In the city" = in one of ``gemeenten`` (CBS codes ``GM…``); by default every gemeente in the
store's ``areas`` table, and any address resolved to a buurt. Ibis expressions, like
:mod:`wijkzicht.care.trajectories`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import ibis
from ibis import _

from wijkzicht.care.inputs import Source, accepted, backend, table
from wijkzicht.care.segments import FAR

_MONTHS = 1 << 17  # room for year * 12 + month up to the year 9999

AREA_COLUMNS = ("pseudonym", "gemeente_code", "wijk_code", "buurt_code")


def brp_addresses(source: Source) -> ibis.Table:
    """The ``address_history`` rows (with ``seq``; ``client`` never NULL) that hold each
    person's address history: those of the last BRP file received that lists the person, of
    files not in quarantine."""
    h = _brp_rows(backend(source))
    last = h.group_by("client").aggregate(last=h.seq.max())
    return h.semi_join(last, [h.client == last.client, h.seq == last["last"]])


def brp_people(source: Source) -> ibis.Table:
    """One row per person in the BRP history: ``client``; ``seq``, the last file that lists
    them (whose rows are their address history, :func:`brp_addresses`); ``birth``, the birth
    month (the latest that file gives; NULL when it gives none); and ``person``, a number
    (distinct but arbitrary, fixed only once the result is materialised), so that tables of
    many rows per person can key on it instead of the 64-character pseudonym
    (:func:`brp_history`)."""
    h = _brp_rows(backend(source))
    # the last file and, of its rows, the latest birth month as one number: a max of integers
    # (with an argmax by a struct this query took 1.46 s CPU at the national profile's tenth,
    # 1.29 s this way; single runs)
    gm = h.geboortemaand
    month = (gm.year().cast("int64") * 12 + gm.month().cast("int64")).fill_null(0)  # 0: NULL
    last = h.group_by("client").aggregate(packed=(h.seq.cast("int64") * _MONTHS + month).max())
    m = last.packed % _MONTHS  # year * 12 + month
    birth = ibis.date((m - 1) // 12, (m - 1) % 12 + 1, 1)
    last = last.select(
        "client",
        seq=last.packed // _MONTHS,
        birth=(m == 0).ifelse(ibis.null("date"), birth),
    )
    return last.mutate(person=ibis.row_number().over(order_by=last.birth))


def brp_history(source: Source, people: ibis.Table) -> ibis.Table:
    """The rows of :func:`brp_addresses` with the ``person`` number and ``birth`` of
    ``people`` (:func:`brp_people`, materialised) instead of the pseudonym."""
    h = _brp_rows(backend(source))
    return h.join(people, ["client", "seq"]).drop("client")


def _brp_rows(b: ibis.BaseBackend) -> ibis.Table:
    h = accepted(b, "address_history")
    return h.filter((h.bron == "brp") & h.client.notnull())


def residences(source: Source, *, gemeenten: Sequence[str] | None = None) -> ibis.Table:
    """BRP residences in the city: pseudonym, valid_from, valid_to (exclusive; NULL = open),
    gemeente_code, wijk_code, buurt_code."""
    b = backend(source)
    h = brp_addresses(b)
    h = h.filter(h.valid_from.notnull())
    h = h.filter(h.valid_to.isnull() | (h.valid_to > h.valid_from))
    if gemeenten is None:
        a = table(b, "areas")
        city = h.gemeente_code.isin(a.filter(a.soort == "gemeente").code)
    else:
        city = h.gemeente_code.isin(list(gemeenten))
    h = h.filter(city | h.buurt_code.notnull())
    return h.select(
        pseudonym=h.client,
        valid_from=h.valid_from,
        valid_to=h.valid_to,
        gemeente_code=h.gemeente_code,
        wijk_code=h.wijk_code,
        buurt_code=h.buurt_code,
    )


def periods_table(periods: Sequence[tuple[str, date, date]]) -> ibis.Table:
    """(period, start, end) rows as an Ibis memtable; start and end inclusive."""
    return ibis.memtable(
        {
            "period": [p[0] for p in periods],
            "start": [p[1] for p in periods],
            "end": [p[2] for p in periods],
        },
        schema=ibis.schema({"period": "string", "start": "date", "end": "date"}),
    )


def areas_in_periods(
    source: Source,
    periods: ibis.Table | Sequence[tuple[str, date, date]],
    *,
    gemeenten: Sequence[str] | None = None,
) -> ibis.Table:
    """(period, pseudonym, gemeente_code, wijk_code, buurt_code): for every period (a table
    with ``period``, ``start``, ``end``, both inclusive) each youth with an address in the city
    in it, placed by the most recent such address."""
    if not isinstance(periods, ibis.Table):
        periods = periods_table(periods)
    r = residences(source, gemeenten=gemeenten)
    j = r.inner_join(
        periods,
        [r.valid_from <= periods.end, r.valid_to.isnull() | (r.valid_to > periods.start)],
    )
    w = ibis.window(
        group_by=[j.period, j.pseudonym],
        # the same choice as the indicators make (docs/counting-rules.md §2)
        order_by=[j.valid_from.desc(), j.valid_to.fill_null(FAR).desc(), j.buurt_code.desc()],
    )
    j = j.mutate(_n=ibis.row_number().over(w)).filter(_._n == 0)
    return j.select("period", *AREA_COLUMNS)


def area_in_period(
    source: Source, start: date, end: date, *, gemeenten: Sequence[str] | None = None
) -> ibis.Table:
    """(pseudonym, gemeente_code, wijk_code, buurt_code) of every youth in the city in
    ``start``–``end`` (inclusive)."""
    out = areas_in_periods(source, [("p", start, end)], gemeenten=gemeenten)
    return out.select(*AREA_COLUMNS)


def area_on(source: Source, day: date, *, gemeenten: Sequence[str] | None = None) -> ibis.Table:
    """(pseudonym, gemeente_code, wijk_code, buurt_code) of every youth in the city on ``day``."""
    return area_in_period(source, day, day, gemeenten=gemeenten)
