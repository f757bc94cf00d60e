"""Similar areas: the nearest areas of the same level by youth, age make-up and deprivation.

Features (each z-scored across the areas of the level): log(1 + youth 0–17), the share of each
age band, and the three characteristics of :mod:`wijkzicht.insight.profiles`. The distance is
Euclidean over the features both areas have, scaled up to the number of features the area
itself has (so a candidate with fewer known figures is not nearer for that reason). A feature
with no spread across the level is left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from wijkzicht.insight import wording
from wijkzicht.insight.profiles import Profile


@dataclass(frozen=True)
class Similar:
    code: str
    name: str
    distance: float
    reason_nl: str
    reason_en: str


@dataclass(frozen=True)
class _Feature:
    key: str
    value: Callable[[Profile], float | None]  # what is z-scored
    shown: Callable[[Profile], float | None]  # what a reason shows
    kind: str  # count | share (0..1) | pct (0..100)
    nl: str
    en: str


def _features(profiles: list[Profile]) -> list[_Feature]:
    out = [
        _Feature(
            "youth",
            lambda p: math.log1p(p.youth),
            lambda p: p.youth,
            "count",
            "aantal jongeren",
            "number of young people",
        )
    ]
    bands = sorted({b for p in profiles for b in p.age_shares}, key=lambda b: int(b.split("-")[0]))
    for band in bands:
        lo, hi = band.split("-")
        out.append(
            _Feature(
                f"age_{band}",
                lambda p, b=band: p.age_shares.get(b),
                lambda p, b=band: p.age_shares.get(b),
                "share",
                f"aandeel jongeren van {lo}–{hi} jaar",
                f"share of young people aged {lo}–{hi}",
            )
        )
    for key, nl, en in (
        ("pct_laag_inkomen", "huishoudens met een laag inkomen", "low-income households"),
        ("pct_eenouder", "eenoudergezinnen", "one-parent households"),
        ("pct_uitkering", "inwoners met een uitkering", "residents on benefits"),
    ):
        get = lambda p, k=key: getattr(p, k)  # noqa: E731
        out.append(_Feature(key, get, get, "pct", f"aandeel {nl}", f"share of {en}"))
    return out


def similar_areas(profiles: Mapping[str, Profile], code: str, k: int = 3) -> list[Similar]:
    """The ``k`` areas of the same level nearest to ``code`` (never ``code`` itself), nearest
    first, each with a one-sentence reason naming the two features that are closest."""
    target = profiles[code]
    peers = [p for p in profiles.values() if p.level == target.level]
    scaled: dict[str, dict[str, float]] = {p.code: {} for p in peers}
    features = {}
    for f in _features(peers):
        values = {p.code: v for p in peers if (v := f.value(p)) is not None}
        if len(values) < 2:
            continue
        mean = sum(values.values()) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values.values()) / len(values))
        if sd == 0:
            continue
        features[f.key] = f
        for c, v in values.items():
            scaled[c][f.key] = (v - mean) / sd
    own = scaled[code]
    found = []
    for p in peers:
        if p.code == code:
            continue
        shared = [f for f in own if f in scaled[p.code]]
        if not shared:
            continue
        gaps = {f: abs(own[f] - scaled[p.code][f]) for f in shared}
        distance = math.sqrt(sum(g * g for g in gaps.values()) * len(own) / len(shared))
        closest = sorted(gaps, key=lambda f: (gaps[f], f))[:2]
        found.append(
            Similar(
                code=p.code,
                name=p.name,
                distance=distance,
                reason_nl=_reason([features[f] for f in closest], target, p, "nl"),
                reason_en=_reason([features[f] for f in closest], target, p, "en"),
            )
        )
    found.sort(key=lambda s: (s.distance, s.code))
    return found[:k]


def _reason(features: list[_Feature], a: Profile, b: Profile, lang: str) -> str:
    """ "Vergelijkbaar aantal jongeren (1.230 tegen 1.180) en vergelijkbaar aandeel …"."""
    word, versus = ("vergelijkbaar", "tegen") if lang == "nl" else ("similar", "vs")
    parts = []
    for f in features:
        x, y = f.shown(a), f.shown(b)
        assert x is not None and y is not None
        parts.append(f"{word} {f.nl if lang == 'nl' else f.en} ({_show(f, x, y, lang, versus)})")
    text = wording.join(parts, lang)
    return text[:1].upper() + text[1:] + "."


def _show(f: _Feature, x: float, y: float, lang: str, versus: str) -> str:
    if f.kind == "count":
        return f"{wording.number(x, 0, lang)} {versus} {wording.number(y, 0, lang)}"
    if f.kind == "share":
        x, y = 100 * x, 100 * y
    d = 0 if min(x, y) >= 10 else 1
    return f"{wording.percent(x, d, lang)} {versus} {wording.percent(y, d, lang)}"
