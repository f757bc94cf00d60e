"""Conclusions first: the few comparisons worth a sentence, tested, in plain Dutch or English.

For one area and period, :func:`conclusions` compares each rate or share indicator

- ``city``: the area with its gemeente in the same period (the test sets the area against the
  rest of the gemeente, so the two groups are independent; the sentence shows the gemeente),
- ``previous``: this period with the previous one of the same kind (2024 with 2023, 2024-H1
  with 2023-H2, 2024-Q1 with 2023-Q4, 2024-01 with 2023-12),
- ``similar``: the area with its similar areas together (their counts pooled, so the figure
  shown is their population-weighted mean), when ``similar`` is given.

Without an area: the gemeente with its previous period, and every wijk with the gemeente.

Only indicators per 1,000 or per 100 whose denominator counts people (a population, or youth
with jeugdhulp) are compared: ``x`` of ``n`` people against ``y`` of ``m``, two-sided, with the
two-proportion z-test, or Fisher's exact test when an expected cell count is below 5
(:mod:`wijkzicht.insight.stats`). Many comparisons are made at once, so the p-values are
corrected with **Benjamini–Hochberg** across every comparison tested in the call; a conclusion
is *significant* when its corrected p-value is below :data:`ALPHA`, and the test's name and
sentence say that the correction was applied. Caveats: public rows carry counts rounded to 5
(the tests use them as they are); two periods share many of the same youth, which makes the
period test conservative.

Suppressed rows, rows without numerator or denominator, and rows whose numerator exceeds the
denominator are never used. Per indicator family, area and comparison only the strongest
conclusion is kept (jeugdhulp 0–17 and 0–22 say the same thing twice).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from wijkzicht.indicators.catalogue import (
    BY_NAME,
    CATALOGUE,
    POPULATIONS,
    YOUTH_MEASURES,
    Indicator,
)
from wijkzicht.indicators.periods import parse, period_of
from wijkzicht.insight import wording
from wijkzicht.insight.profiles import level_of
from wijkzicht.insight.similar import Similar
from wijkzicht.insight.stats import benjamini_hochberg, compare

ALPHA = 0.05
COMPARISONS = ("city", "previous", "similar")
TEST_NAMES = {
    ("z", "nl"): "twee-proporties z-toets, Benjamini–Hochberg-gecorrigeerd",
    ("z", "en"): "two-proportion z-test, Benjamini–Hochberg corrected",
    ("fisher", "nl"): "exacte toets van Fisher, Benjamini–Hochberg-gecorrigeerd",
    ("fisher", "en"): "Fisher's exact test, Benjamini–Hochberg corrected",
}
_SHORT_TEST = {
    ("z", "nl"): "z-toets met BH-correctie",
    ("z", "en"): "z-test with BH correction",
    ("fisher", "nl"): "toets van Fisher met BH-correctie",
    ("fisher", "en"): "Fisher's test with BH correction",
}
_LEVEL_WORDS = {  # one, more
    "nl": {"gemeente": ("gemeente", "gemeenten"), "wijk": ("wijk", "wijken"),
           "buurt": ("buurt", "buurten")},
    "en": {"gemeente": ("municipality", "municipalities"), "wijk": ("district", "districts"),
           "buurt": ("neighbourhood", "neighbourhoods")},
}  # fmt: skip


class Named(Protocol):
    """An area as the caller knows it (:class:`~wijkzicht.insight.profiles.Profile`, the
    dashboard's ``Area``): only the name is needed."""

    name: str


@dataclass(frozen=True)
class Conclusion:
    indicator: str
    area_code: str
    period: str
    comparison: str  # city | previous | similar
    value: float
    other_value: float
    other_label: str  # "heel Demostad", "2023", "de vergelijkbare wijken A, B en C"
    difference: float  # value - other_value, in the indicator's unit
    p_value: float  # of the test itself
    p_adjusted: float  # Benjamini–Hochberg over every comparison of the call
    test: str
    significant: bool  # p_adjusted < ALPHA
    score: float  # significant (1) + a 0..1 size: sort descending
    sentence: str


@dataclass(frozen=True)
class _Cell:
    x: float  # numerator (people)
    n: float  # denominator (people)
    value: float


_Cells = dict[tuple[str, str, str], _Cell]  # (indicator, area, period) → usable cell
_Areas = Mapping[str, Named]


@dataclass(frozen=True)
class _Candidate:
    indicator: Indicator
    area: str
    comparison: str
    own: _Cell
    other: _Cell  # what is shown
    tested: tuple[float, float]  # the other group (x, n) the test uses
    label: dict[str, str]  # other_label per language


def comparable(indicator: Indicator) -> bool:
    """A rate per 1,000 or a percentage of a number of people."""
    if indicator.per not in (100, 1000) or indicator.denominator is None:
        return False
    if indicator.denominator in POPULATIONS:
        return True
    base = BY_NAME.get(indicator.denominator)
    return base is not None and base.measure in YOUTH_MEASURES


def previous_period(code: str) -> str:
    """The period of the same kind just before ``code`` (``2024-H1`` → ``2023-H2``)."""
    p = parse(code)
    return period_of(p.start - timedelta(days=1), p.kind).code


def gemeente_of(code: str) -> str:
    """``GM0344`` for ``GM0344``, ``WK034401`` or ``BU03440101``."""
    level_of(code)
    return f"GM{code[2:6]}"


def conclusions(
    rows: Iterable[Mapping[str, Any]],
    areas: Mapping[str, Named],
    period: str,
    *,
    area: str | None = None,
    similar: Sequence[Similar | str] | None = None,
    lang: str = "nl",
    limit: int = 6,
) -> list[Conclusion]:
    """The ``limit`` strongest conclusions for ``area`` (or the gemeente and its wijken) in
    ``period``: significant ones first (Benjamini–Hochberg-corrected p < :data:`ALPHA`), then
    by |relative difference| × log(1 + numerator)."""
    wording.check_lang(lang)
    cells = _cells(rows)
    period = parse(period).code
    candidates: list[_Candidate] = []
    if area is None:
        here = sorted({a for (_, a, p) in cells if p == period})
        for gm in (a for a in here if a.startswith("GM")):
            candidates += _over_time(cells, gm, period)
            for wk in (a for a in here if a.startswith("WK") and gemeente_of(a) == gm):
                candidates += _against_city(cells, areas, wk, period)
    else:
        if level_of(area) != "gemeente":
            candidates += _against_city(cells, areas, area, period)
        candidates += _over_time(cells, area, period)
        if similar:
            codes = [s.code if isinstance(s, Similar) else s for s in similar]
            candidates += _against_similar(cells, areas, area, period, codes)
    tested = []
    for c in candidates:
        try:
            tested.append((c, compare(c.own.x, c.own.n, *c.tested)))
        except ValueError:  # not a proportion after all: leave it out
            continue
    adjusted = benjamini_hochberg([t.p_value for _, t in tested])
    best: dict[tuple[str, str, str], Conclusion] = {}
    for (c, t), q in zip(tested, adjusted, strict=True):
        made = _conclusion(c, t.p_value, q, t.test, areas, period, lang)
        key = (c.indicator.family, c.area, c.comparison)
        if key not in best or made.score > best[key].score:
            best[key] = made
    order = {ind.name: i for i, ind in enumerate(CATALOGUE)}
    ranked = sorted(best.values(), key=lambda c: (-c.score, order[c.indicator], c.area_code))
    return ranked[:limit]


# --- candidates -------------------------------------------------------------------------------
def _cells(rows: Iterable[Mapping[str, Any]]) -> _Cells:
    out = {}
    for r in rows:
        ind = BY_NAME.get(r["indicator"])
        if ind is None or not comparable(ind) or r.get("suppressed"):
            continue
        x, n = r.get("numerator"), r.get("denominator")
        if x is None or n is None or n <= 0 or x < 0 or x > n:
            continue
        value = r.get("value")
        value = x / n * ind.per if value is None else value
        out[(ind.name, r["area_code"], r["period"])] = _Cell(float(x), float(n), float(value))
    return out


def _name(areas: _Areas, code: str) -> str:
    a = areas.get(code)
    return a.name if a is not None and a.name else code


def _against_city(cells: _Cells, areas: _Areas, code: str, period: str) -> list[_Candidate]:
    gm = gemeente_of(code)
    city = _name(areas, gm)
    label = {"nl": f"heel {city}", "en": f"{city} as a whole"}
    out = []
    for ind in CATALOGUE:
        own, whole = cells.get((ind.name, code, period)), cells.get((ind.name, gm, period))
        if own is None or whole is None or whole.n - own.n <= 0:
            continue
        rest_n = whole.n - own.n
        rest_x = min(max(whole.x - own.x, 0.0), rest_n)
        out.append(_Candidate(ind, code, "city", own, whole, (rest_x, rest_n), label))
    return out


def _over_time(cells: _Cells, code: str, period: str) -> list[_Candidate]:
    prev = previous_period(period)
    label = {lang: wording.period_phrase(prev, lang) for lang in wording.LANGS}
    out = []
    for ind in CATALOGUE:
        own, before = cells.get((ind.name, code, period)), cells.get((ind.name, code, prev))
        if own is not None and before is not None:
            out.append(_Candidate(ind, code, "previous", own, before, (before.x, before.n), label))
    return out


def _against_similar(
    cells: _Cells, areas: _Areas, code: str, period: str, similar: list[str]
) -> list[_Candidate]:
    level = level_of(code)
    out = []
    for ind in CATALOGUE:
        own = cells.get((ind.name, code, period))
        peers = [(s, cells.get((ind.name, s, period))) for s in similar if s != code]
        peers = [(s, c) for s, c in peers if c is not None]
        if own is None or not peers:
            continue
        x, n = sum(c.x for _, c in peers), sum(c.n for _, c in peers)
        names = [_name(areas, s) for s, _ in peers]
        many = len(names) > 1
        label = {
            "nl": f"de vergelijkbare {_LEVEL_WORDS['nl'][level][many]} {wording.join(names)}",
            "en": f"the similar {_LEVEL_WORDS['en'][level][many]} {wording.join(names, 'en')}",
        }
        pooled = _Cell(x, n, x / n * (ind.per or 1))
        out.append(_Candidate(ind, code, "similar", own, pooled, (x, n), label))
    return out


# --- wording ----------------------------------------------------------------------------------
def _conclusion(
    c: _Candidate, p: float, q: float, test: str, areas: _Areas, period: str, lang: str
) -> Conclusion:
    significant = q < ALPHA
    difference = c.own.value - c.other.value
    # against 0, any difference counts as 100 %
    relative = abs(difference / c.other.value) if c.other.value else float(difference != 0)
    size = relative * math.log1p(c.own.x)
    return Conclusion(
        indicator=c.indicator.name,
        area_code=c.area,
        period=period,
        comparison=c.comparison,
        value=c.own.value,
        other_value=c.other.value,
        other_label=c.label[lang],
        difference=difference,
        p_value=p,
        p_adjusted=q,
        test=TEST_NAMES[(test, lang)],
        significant=significant,
        score=float(significant) + size / (1 + size),
        sentence=_sentence(c, significant, q, test, _name(areas, c.area), period, lang),
    )


_YOUTH_NL = re.compile(r"Jongeren met (?P<what>.+) \((?P<ages>\d+–\d+) jaar\), per 1\.000")
_YOUTH_EN = re.compile(r"Youth (?P<prep>with|under) (?P<what>.+) \((?P<ages>\d+–\d+)\), per 1,000")
_UNIT = re.compile(r"(, per 1[.,]000| \(%\))$")


def _sentence(c: _Candidate, significant: bool, q: float, test: str, name: str, period: str,
              lang: str) -> str:  # fmt: skip
    """One sentence: the figure, how it compares, the other figure and the test."""
    ind = c.indicator
    d = wording.decimals_for(c.own.value, c.other.value)
    show = wording.per_thousand if ind.per == 1000 else wording.percent
    value, other = show(c.own.value, d, lang), show(c.other.value, d, lang)
    when = wording.period_phrase(period, lang)
    stat = f"{_SHORT_TEST[(test, lang)]}, {wording.p_text(q, lang)}"
    if not significant:
        stat = (
            f"verschil niet statistisch betekenisvol; {stat}"
            if lang == "nl"
            else f"difference not statistically significant; {stat}"
        )
    tail = f"in {c.label[lang]} ({other}; {stat})."
    label = ind.label_nl if lang == "nl" else ind.label_en
    youth = (_YOUTH_NL if lang == "nl" else _YOUTH_EN).fullmatch(label)
    how = _direction(c.own.value, c.other.value, d, significant, lang, people=bool(youth))
    if youth:
        what = re.sub(r": (.+)$", r" (\1)", youth["what"])
        if lang == "nl":
            verb = "hadden" if "peildatum" in what else "kregen"
            return (
                f"In {name} {verb} {value} jongeren ({youth['ages']} jaar) "
                f"{what} in {when}, {how} {tail}"
            )
        verb = "had" if youth["prep"] == "with" else "were under"
        return (
            f"In {name}, {value} young people (aged {youth['ages']}) {verb} "
            f"{what} in {when}, {how} {tail}"
        )
    subject = _UNIT.sub("", label)
    return f"{subject} in {name} in {when}: {value}, {how} {tail}"


def _direction(a: float, b: float, d: int, significant: bool, lang: str, *, people: bool) -> str:
    if round(a, d) == round(b, d):
        if lang == "nl":
            return "evenveel als" if people else "even hoog als"
        return "as many as" if people else "the same as"
    up = a > b
    if lang == "nl":
        word = ("meer" if up else "minder") if people else ("hoger" if up else "lager")
        return f"{'duidelijk' if significant else 'iets'} {word} dan"
    word = ("more" if up else "fewer") if people else ("higher" if up else "lower")
    return f"{'clearly' if significant else 'slightly'} {word} than"
