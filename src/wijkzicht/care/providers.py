"""The kind of each provider (buurtteam, wijkpartner, regionaal, landelijk, gi).

The kind is in no message, so it comes from a small reference table the municipality keeps:
a CSV ``aanbieder;soort[;naam]`` (AGB code; one of :data:`AANBIEDER_SOORTEN`). For the
synthetic city the table follows from ``wijkzicht.synth.providers.network`` (see
:func:`from_network`). A provider missing from the table gets the kind the data show:

* ``gi`` — it received toewijzingen in categories 47/48;
* ``wijkpartner`` — it sent a start without ToewijzingNummer (taakgericht);
* ``buurtteam`` — it delivered BIJ records of hulpvorm 01 and appears in no iJw message;
* otherwise unknown (NULL): regional and national providers look alike in the data.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import ibis
import pyarrow as pa
from ibis import _

from wijkzicht.care.codes import AANBIEDER_SOORTEN, GI_CATEGORIES, HULPVORM
from wijkzicht.care.inputs import accepted


class ProviderTableError(ValueError):
    """The providers table cannot be used; the message names the line."""


class _HasKind(Protocol):  # wijkzicht.synth.providers.Provider, without importing synth
    agb: str
    kind: str


def read_csv(path: str | Path) -> dict[str, str]:
    """``aanbieder;soort[;naam]`` (header row required) → {AGB: soort}."""
    out: dict[str, str] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        rows = csv.DictReader(fh, delimiter=";")
        if not rows.fieldnames or not {"aanbieder", "soort"} <= set(rows.fieldnames):
            raise ProviderTableError(f"{path}: the header must name the columns aanbieder;soort")
        for n, row in enumerate(rows, 2):
            agb, kind = (row["aanbieder"] or "").strip(), (row["soort"] or "").strip()
            if not agb or kind not in AANBIEDER_SOORTEN:
                raise ProviderTableError(
                    f"{path}, line {n}: aanbieder must be filled and soort one of "
                    f"{', '.join(AANBIEDER_SOORTEN)}"
                )
            out[agb] = kind
    return out


def write_csv(path: str | Path, kinds: Mapping[str, str]) -> None:
    """Write a providers table (sorted by AGB)."""
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\n")
        w.writerow(["aanbieder", "soort"])
        w.writerows(sorted(kinds.items()))


def from_network(providers: Iterable[_HasKind]) -> dict[str, str]:
    """{AGB: kind} of a synthetic network (``wijkzicht.synth.providers.network(...)``)."""
    return {p.agb: p.kind for p in providers}


def as_mapping(providers: Mapping[str, str] | str | Path | None) -> dict[str, str]:
    """{AGB: soort} from a mapping, a CSV path, or nothing."""
    if isinstance(providers, str | Path):
        return read_csv(providers)
    return dict(providers or {})


def kinds_table(providers: Mapping[str, str]) -> ibis.Table:
    """The table's kinds as an in-memory table ``aanbieder, soort`` (no rows when empty), to
    be left-joined on ``aanbieder`` (``docs/care.md``, Provider kind)."""
    agb, kind = sorted(providers), [providers[a] for a in sorted(providers)]
    return ibis.memtable(
        pa.table({"aanbieder": pa.array(agb, pa.string()), "soort": pa.array(kind, pa.string())})
    )


def derived_kinds(b: Any, bij: ibis.Table) -> ibis.Table:
    """(aanbieder, soort) for the providers whose kind the data show (see module doc)."""
    tw = accepted(b, "toewijzingen")
    gi = (
        tw.filter(tw.categorie.isin(GI_CATEGORIES))
        .select("aanbieder")
        .distinct()
        .mutate(soort=ibis.literal("gi"), rank=ibis.literal(1))
    )
    st = accepted(b, "starts")
    taak = (
        st.filter(st.toewijzing_nummer.isnull())
        .select("aanbieder")
        .distinct()
        .mutate(soort=ibis.literal("wijkpartner"), rank=ibis.literal(2))
    )
    ijw = ibis.union(
        *(
            accepted(b, t).select("aanbieder")
            for t in ("toewijzingen", "starts", "stops", "verzoeken", "prestaties")
        ),
        distinct=True,
    )
    bt = (
        bij.filter(bij.hulpvorm == HULPVORM["31"])
        .select("aanbieder")
        .distinct()
        .anti_join(ijw, "aanbieder")
        .mutate(soort=ibis.literal("buurtteam"), rank=ibis.literal(3))
    )
    kinds = ibis.union(gi, taak, bt)
    w = ibis.window(group_by=kinds.aanbieder, order_by=kinds.rank)
    return kinds.mutate(n=ibis.row_number().over(w)).filter(_.n == 0).select("aanbieder", "soort")
