"""The catalogue is consistent, the periods parse, and docs/indicators.md is generated from it."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from wijkzicht.indicators import catalogue, docs, periods
from wijkzicht.indicators.catalogue import BY_NAME, CATALOGUE, COLUMNS, MEASURES, POPULATIONS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "indicators.md"


def test_docs_match_the_catalogue():
    assert DOCS.read_text(encoding="utf-8") == docs.render(), (
        "docs/indicators.md is out of date: "
        "python -m wijkzicht.indicators.docs > docs/indicators.md"
    )


def test_every_indicator_is_well_formed():
    assert len(BY_NAME) == len(CATALOGUE)
    for ind in CATALOGUE:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", ind.name), ind.name
        assert ind.measure in MEASURES
        assert set(ind.filter) <= set(COLUMNS), ind.name
        assert ind.levels and set(ind.levels) <= set(catalogue.LEVELS)
        assert 0 <= ind.ages[0] <= ind.ages[1] <= 22
        assert ind.label_nl and ind.label_en and ind.description_nl and ind.description_en
        assert ind.disclosure in catalogue.RULES
        if ind.denominator is None:
            assert ind.per is None and ind.disclosure == "count"
        elif ind.denominator in POPULATIONS:
            assert ind.per == 1000
            assert POPULATIONS[ind.denominator] == ind.ages, ind.name
        else:  # another indicator: the same trajectories or youth, every level of ours
            other = BY_NAME[ind.denominator]
            assert set(ind.levels) <= set(other.levels), ind.name
            assert (other.ages == ind.ages and other.denominator is None) or other.per == 1000
            assert ind.per in (1, 100)


def test_the_issue_asks_for_these_indicators():
    wanted = [
        "jeugdhulp_0_17",
        "jeugdhulp_0_22",
        *(
            f"jeugdhulp_{s}_{a}"
            for s in ("zonder_verblijf", "met_verblijf")
            for a in ("0_17", "0_22")
        ),
        *(
            f"jeugdhulp_hulpvorm_{h}_{a}"
            for h in ("01", "02", "03", "04", "11", "12", "13", "14")
            for a in ("0_17", "0_22")
        ),
        "jeugdbescherming",
        "jeugdreclassering",
        "jeugdhulp_peildatum_0_17",
        "jeugdbescherming_peildatum",
        "trajecten_begonnen_nieuw",
        "trajecten_begonnen_herhaald_beroep",
        "trajecten_begonnen_crisis",
        *(f"trajecten_beeindigd_reden_{r}" for r in ("01", "02", "03", "04", "05")),
        "trajecten_beeindigd_voortijdig",
        "trajecten_duur_gemiddeld",
        "trajecten_duur_mediaan",
        "verwijzer_gemeente",
        "verwijzer_huisarts",
        "verwijzer_jeugdarts",
        "verwijzer_medisch_specialist",
        "verwijzer_gecertificeerde_instelling",
        "instroom_specialistische_ggz",
        "zorg_dichtbij_wijkpartner",
        "zorg_regionaal",
        "zorg_landelijk",
        "herinstroom_12m",
    ]
    assert [w for w in wanted if w not in BY_NAME] == []
    assert BY_NAME["jeugdreclassering"].ages == (12, 22)
    assert BY_NAME["jeugdbescherming"].ages == (0, 17)
    assert BY_NAME["instroom_specialistische_ggz"].filter["categorie"] == {"52", "54"}


def test_partitions_are_catalogue_indicators_with_the_total_s_trajectories():
    for total, parts in catalogue.PARTITIONS:
        for part in parts:
            p, t = BY_NAME[part], BY_NAME[total]
            assert p.measure == t.measure and p.ages == t.ages
            assert all(p.filter[c] == v for c, v in t.filter.items())


def test_filters_match_rows():
    ind = BY_NAME["trajecten_begonnen_herhaald_beroep"]
    row = {"soort": "zonder_verblijf", "herhaald_beroep": True}
    assert ind.matches(row)
    assert not ind.matches(row | {"herhaald_beroep": False})
    assert not ind.matches(row | {"soort": "jeugdbescherming"})
    onbekend = BY_NAME["trajecten_beeindigd_reden_onbekend"]
    assert onbekend.matches({"soort": "met_verblijf", "reden_cbs": None})
    assert onbekend.matches({"soort": "met_verblijf", "reden_cbs": ""})
    assert not onbekend.matches({"soort": "met_verblijf", "reden_cbs": "01"})


@pytest.mark.parametrize(
    ("code", "start", "end", "kind"),
    [
        ("2023", date(2023, 1, 1), date(2023, 12, 31), "year"),
        ("2023-H1", date(2023, 1, 1), date(2023, 6, 30), "half"),
        ("2023-H2", date(2023, 7, 1), date(2023, 12, 31), "half"),
        ("2023-Q2", date(2023, 4, 1), date(2023, 6, 30), "quarter"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2023-12", date(2023, 12, 1), date(2023, 12, 31), "month"),
    ],
)
def test_periods_parse(code, start, end, kind):
    assert periods.bounds(code) == (start, end, kind)
    p = periods.parse(code)
    assert p.code == code and p.peildatum == end
    assert periods.period_of(start, kind) == p == periods.period_of(end, kind)


@pytest.mark.parametrize("bad", ["23", "2023-H3", "2023-Q0", "2023-13", "2023-5", "2023-h1", ""])
def test_bad_periods_are_refused(bad):
    with pytest.raises(ValueError, match="not a period"):
        periods.parse(bad)


def test_periods_of_years_cover_each_day_once_per_kind():
    ps = periods.periods_of_years(2019, 2024)
    assert len(ps) == 6 * 19 == 114
    assert [p.code for p in ps[:4]] == ["2019", "2019-H1", "2019-H2", "2019-Q1"]
    for kind in periods.KINDS:
        of_kind = [p for p in ps if p.kind == kind]
        days = sum((p.end - p.start).days + 1 for p in of_kind)
        assert days == (date(2024, 12, 31) - date(2019, 1, 1)).days + 1
        assert all(a.end.toordinal() + 1 == b.start.toordinal() for a, b in pairwise(of_kind))
