"""The generator's truth as the three input tables of the indicator engine (plain columns).

With these, the Ibis indicators can be checked against the plain-Python reference on exactly
the same trajectories, independently of ingest and of rebuilding trajectories from messages.
The BSN stands in for the pseudonym.
"""

from __future__ import annotations

from collections.abc import Iterable

from wijkzicht.synth.care import REDEN_CBS, Trajectory
from wijkzicht.synth.population import City
from wijkzicht.synth.providers import soort

Columns = dict[str, list]


def trajectory_columns(trajectories: Iterable[Trajectory]) -> Columns:
    names = [
        "traject_id",
        "pseudonym",
        "begindatum",
        "einddatum",
        "hulpvorm",
        "categorie",
        "soort",
        "aanbieder",
        "aanbieder_soort",
        "verwijzer",
        "reden_cbs",
        "crisis",
        "herhaald_beroep",
    ]
    out: Columns = {n: [] for n in names}
    for t in trajectories:
        values = [
            t.tid,
            t.person.bsn,
            t.begin,
            t.end,
            t.hulpvorm,
            t.categorie,
            soort(t.hulpvorm),
            t.provider.agb,
            t.provider.kind,
            t.verwijzer,
            REDEN_CBS.get(t.reden or "", ""),
            t.crisis,
            t.herhaald,
        ]
        for n, v in zip(names, values, strict=True):
            out[n].append(v)
    return out


def person_columns(city: City) -> Columns:
    return {
        "pseudonym": [p.bsn for p in city.youth],
        "geboortemaand": [p.birth_date.replace(day=1) for p in city.youth],
    }


def address_columns(city: City) -> Columns:
    out: Columns = {
        n: []
        for n in ("pseudonym", "valid_from", "valid_to", "gemeente_code", "wijk_code", "buurt_code")
    }
    wijk_of = {b.code: b.wijk_code for b in city.buurten}
    for p in city.youth:
        for r in p.residences:
            buurt = r.address.buurt_code
            if buurt is None:
                continue
            for n, v in zip(
                out,
                (p.bsn, r.valid_from, r.valid_to, f"GM{city.gemeente_code}", wijk_of[buurt], buurt),
                strict=True,
            ):
                out[n].append(v)
    return out


def area_columns(city: City) -> Columns:
    codes = [
        f"GM{city.gemeente_code}",
        *(w.code for w in city.wijken),
        *(b.code for b in city.buurten),
    ]
    levels = ["gemeente"] + ["wijk"] * len(city.wijken) + ["buurt"] * len(city.buurten)
    return {"area_code": codes, "level": levels}
