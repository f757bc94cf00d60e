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

AREA_COLUMNS = ("pseudonym", "gemeente_code", "wijk_code", "buurt_code")


def brp_addresses(source: Source) -> ibis.Table:
    """The ``address_history`` rows (with ``seq``; ``client`` never NULL) that hold each
    person's address history: those of the last BRP file received that lists the person, of
    files not in quarantine."""
    b = backend(source)
    h = accepted(b, "address_history")
    h = h.filter((h.bron == "brp") & h.client.notnull())
    last = h.group_by("client").aggregate(last=h.seq.max())
    return h.semi_join(last, [h.client == last.client, h.seq == last["last"]])


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
