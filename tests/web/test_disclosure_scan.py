"""The disclosure scan: everything an anonymous visitor can read — the overview, every wijk
page, a sample of buurt pages, every indicator page, the API's values of every indicator and
the report — is collected as cells and checked: each equals the public figure of
:meth:`Figures.values` (``raw=False``), :func:`disclosure.violations` finds nothing in them,
and every chart shows the figures of the table beside it."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings

from wijkzicht.indicators.disclosure import violations
from wijkzicht.web.data import figures

ATTRS = ("indicator", "area", "period", "numerator", "denominator", "value")
EMPTY = ("", "None")  # the report writes a missing number as None
BUURT_PAGES = 8  # buurt pages scanned (spread over the wijken)

pytestmark = pytest.mark.django_db  # (also makes pytest-django create the test database)


@dataclass
class Chart:
    spec: dict
    cells: list[dict] = field(default_factory=list)  # the table beside the chart


class _Page(HTMLParser):
    """Cells (elements with data-indicator and data-value) and charts (figure[data-chart]:
    its JSON spec and the cells of its alternative table)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict] = []
        self.charts: list[Chart] = []
        self._chart: Chart | None = None
        self._depth = 0  # <figure> nesting inside the open chart
        self._json = False
        self._buffer = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure" and "data-chart" in a:
            self._chart = Chart({})
            self.charts.append(self._chart)
            self._depth = 0
        elif tag == "figure" and self._chart is not None:
            self._depth += 1
        if tag == "script" and a.get("type") == "application/json" and self._chart is not None:
            self._json, self._buffer = True, ""
        if "data-indicator" in a and "data-value" in a:
            cell = {k: a.get(f"data-{k}") or "" for k in ATTRS}
            css = (a.get("class") or "").split()
            cell["suppressed"] = (
                a.get("data-suppressed") in ("True", "true")
                or "secret" in css
                or "suppressed" in css
            )
            self.cells.append(cell)
            if self._chart is not None:
                self._chart.cells.append(cell)

    def handle_endtag(self, tag):
        if tag == "script" and self._json:
            self._json = False
            self._chart.spec = json.loads(self._buffer)
        if tag == "figure" and self._chart is not None:
            if self._depth:
                self._depth -= 1
            else:
                self._chart = None

    def handle_data(self, data):
        if self._json:
            self._buffer += data


def _num(text: str) -> float | None:
    return None if text in EMPTY else float(text)


@dataclass
class Scan:
    pages: dict[str, _Page] = field(default_factory=dict)
    api: dict[str, list[dict]] = field(default_factory=dict)  # url → rows (API's Dutch names)

    def cells(self) -> list[tuple[str, dict]]:
        return [(url, c) for url, p in self.pages.items() for c in p.cells]


def _get(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _api_rows(client: Client, url: str) -> list[dict]:
    rows = []
    while url:
        body = _get(client, url).json()
        rows += body["_embedded"]["waarden"]
        url = body["_links"].get("next", {}).get("href")
    return rows


def public_urls() -> list[str]:
    f = figures()
    wijken = f.level("wijk")
    buurten = f.level("buurt")
    step = max(1, len(buurten) // BUURT_PAGES)
    urls = ["/", "/indicatoren", f"/gebieden/{f.gemeente.code}"]
    urls += [f"/gebieden/{w.code}" for w in wijken]
    urls += [f"/gebieden/{b.code}" for b in buurten[::step][:BUURT_PAGES]]
    for ind in f.indicators:
        urls.append(f"/indicatoren/{ind.name}")
        if "buurt" in ind.levels and "wijk" in ind.levels:
            urls.append(f"/indicatoren/{ind.name}?niveau=buurt")
    return [*urls, "/rapport"]


def api_urls() -> list[str]:
    """Every indicator's values: all areas in the newest final year, all periods of the city."""
    f = figures()
    year, gm = f.latest("year"), f.gemeente.code
    base = "/api/v1/indicatoren/{}/waarden?paginaGrootte=1000&"
    return [base.format(i.name) + q for i in f.indicators
            for q in (f"periode={year}", f"gebied={gm}")]  # fmt: skip


@pytest.fixture(scope="module")
def scan(web_store, django_db_setup, django_db_blocker) -> Scan:
    """Every public page and API answer, fetched once by an anonymous client."""
    out = Scan()
    with django_db_blocker.unblock(), override_settings(STORE=web_store):
        client = Client()
        for url in public_urls():
            page = _Page()
            page.feed(_get(client, url).content.decode())
            out.pages[url] = page
        for url in api_urls():
            out.api[url] = _api_rows(client, url)
    return out


def _public(indicator: str, area: str, period: str) -> dict | None:
    rows = figures().values(indicator, area=area, period=period, raw=False)
    assert len(rows) <= 1
    return rows[0] if rows else None


def test_every_public_page_carries_figures(scan) -> None:
    bare = [url for url, p in scan.pages.items() if not p.cells and url != "/"]
    assert not bare, f"pages without data-indicator/data-value cells: {bare}"
    assert scan.pages["/"].cells, "the overview shows no cells with data attributes"
    assert scan.pages["/rapport"].cells, "the report shows no cells with data attributes"
    assert sum(len(rows) for rows in scan.api.values()) > 0


def test_every_shown_figure_is_the_public_figure(scan) -> None:
    wrong = []
    for url, c in scan.cells():
        row = _public(c["indicator"], c["area"], c["period"])
        shown = tuple(_num(c[k]) for k in ("numerator", "denominator", "value"))
        if row is None or row["suppressed"]:
            if any(x is not None for x in shown) or c["suppressed"] != (row is not None):
                wrong.append((url, c, row))
            continue
        if c["suppressed"]:
            wrong.append((url, c, row))
            continue
        expected = (row["numerator"], row["denominator"], row["value"])
        if not all(_same(s, e) for s, e in zip(shown, expected, strict=True)):
            wrong.append((url, c, row))
    assert not wrong, f"{len(wrong)} cells differ from the public figures, e.g. {wrong[:3]}"


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def test_every_api_value_is_the_public_figure(scan) -> None:
    wrong = []
    for url, rows in scan.api.items():
        for r in rows:
            row = _public(r["indicator"], r["gebied"], r["periode"])
            if row is None:
                wrong.append((url, r, None))
            elif row["suppressed"]:
                if not r["geheim"] or any(r[k] is not None for k in ("teller", "noemer", "waarde")):
                    wrong.append((url, r, row))
            elif r["geheim"] or not all(
                _same(r[a], row[b])
                for a, b in (
                    ("teller", "numerator"),
                    ("noemer", "denominator"),
                    ("waarde", "value"),
                )
            ):
                wrong.append((url, r, row))
    assert not wrong, f"{len(wrong)} API values differ from the public figures: {wrong[:3]}"


def collected(scan: Scan) -> list[dict]:
    """Every figure published, pages and API together, once per (indicator, area, period)."""
    areas = figures().areas
    out: dict[tuple, dict] = {}
    for _, c in scan.cells():
        key = (c["indicator"], c["area"], c["period"])
        out[key] = {
            "indicator": key[0], "area_code": key[1], "period": key[2],
            "numerator": c["numerator"], "denominator": c["denominator"], "value": c["value"],
            "suppressed": c["suppressed"],
        }  # fmt: skip
    for rows in scan.api.values():
        for r in rows:
            key = (r["indicator"], r["gebied"], r["periode"])
            out[key] = {
                "indicator": key[0], "area_code": key[1], "period": key[2],
                "numerator": r["teller"], "denominator": r["noemer"], "value": r["waarde"],
                "suppressed": r["geheim"],
            }  # fmt: skip
    for cell in out.values():
        cell["parent_area_code"] = areas[cell["area_code"]].parent
        for k in ("numerator", "denominator", "value"):
            cell[k] = None if cell[k] in EMPTY else cell[k]
    return [c for k, c in out.items() if _public(*k) is not None]


def completed(cells: list[dict]) -> list[dict]:
    """``cells`` and, for each of their periods, every other public figure (the API serves
    them all): a hidden cell is derivable only from its complete group (a parent area and all
    its children, a total and all its parts), and a partial group would judge it wrongly."""
    f = figures()
    seen = {(c["indicator"], c["area_code"], c["period"]) for c in cells}
    out = list(cells)
    for period in sorted({c["period"] for c in cells}):
        for row in f.values(period=period, raw=False):
            if (row["indicator"], row["area_code"], row["period"]) not in seen:
                out.append({**row, "parent_area_code": f.areas[row["area_code"]].parent})
    return out


def test_nothing_published_breaks_disclosure_control(scan) -> None:
    cells = collected(scan)
    assert len(cells) > 100
    found = violations(completed(cells))
    assert not found, f"{len(found)} disclosure violations, e.g. {found[:5]}"


def _chart_points(spec: dict) -> list[dict]:
    """The data a chart draws: (area name or code, period or None, value)."""
    points = []
    datasets = spec.get("datasets", {})
    for p in datasets.get("points", []):
        points.append({"area": p["area"], "period": p["period"], "value": p["value"]})
    for feature in datasets.get("areas", []):
        props = feature["properties"]
        points.append({"area": props["code"], "period": None, "value": props["value"]})

    def inline(node):
        if isinstance(node, dict):
            values = (
                node.get("data", {}).get("values") if isinstance(node.get("data"), dict) else None
            )
            for v in values or []:
                if "area" in v and "value" in v:
                    points.append({"area": v["area"], "period": None, "value": v["value"]})
            for child in node.values():
                inline(child)
        elif isinstance(node, list):
            for child in node:
                inline(child)

    inline({k: v for k, v in spec.items() if k != "datasets"})
    return points


def test_every_chart_draws_the_figures_of_its_table(scan) -> None:
    names = {a.code: a.name for a in figures().areas.values()}
    wrong, checked = [], 0
    for url, page in scan.pages.items():
        for chart in page.charts:
            table: dict[tuple, list] = {}
            for c in chart.cells:
                for who in (c["area"], names[c["area"]]):
                    table.setdefault((who, c["period"]), []).append(_num(c["value"]))
                    table.setdefault((who, None), []).append(_num(c["value"]))
            for p in _chart_points(chart.spec):
                shown = table.get((p["area"], p["period"]))
                if shown is None:
                    wrong.append((url, p, "not in the table beside the chart"))
                elif not any(_same(p["value"], v) for v in shown):
                    wrong.append((url, p, shown))
                checked += 1
    assert checked > 0, "no chart data found"
    assert not wrong, f"{len(wrong)} chart values not in the chart's table: {wrong[:3]}"


def test_the_scan_would_catch_a_leaked_exact_figure(scan) -> None:
    """The control: one secret cell replaced by its exact figure is found."""
    cells = collected(scan)
    secret = next(c for c in cells if c["suppressed"])
    (exact,) = figures().values(secret["indicator"], area=secret["area_code"],
                                period=secret["period"], raw=True)  # fmt: skip
    leak = {**secret, **{k: exact[k] for k in ("numerator", "denominator", "value")},
            "suppressed": False}  # fmt: skip
    found = violations(completed([c for c in cells if c is not secret] + [leak]))
    where = f"{secret['indicator']} {secret['area_code']} {secret['period']}"
    assert any(v.startswith(where) for v in found), found[:5]
