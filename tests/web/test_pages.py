"""The dashboard pages: public figures for everybody, exact figures for analysts (logged),
suppressed cells as •, notes with history, the data quality page for analysts only."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from wijkzicht.web.accounts.users import create_user
from wijkzicht.web.audit.models import AccessEvent
from wijkzicht.web.dashboard.models import Note
from wijkzicht.web.data import figures

pytestmark = pytest.mark.django_db

ATTRS = ("indicator", "area", "period", "numerator", "denominator", "value")


class _Cells(HTMLParser):
    """Every element with data-indicator and data-value: its data attributes and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict] = []
        self._open: list[tuple[str, dict | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-value" in a and "data-indicator" in a:
            cell = {k: a[f"data-{k}"] for k in ATTRS} | {"text": ""}
            self.cells.append(cell)
            self._open.append((tag, cell))
        elif self._open and tag not in ("br",):
            self._open.append((tag, None))

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for _, cell in self._open:
            if cell is not None:
                cell["text"] += data


def cells(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    p = _Cells()
    p.feed(response.content.decode())
    return p.cells


def _num(text: str) -> float | None:
    return None if text == "" else float(text)


def check_against(shown: list[dict], raw: bool) -> int:
    """Every shown cell equals Figures.values(raw=...) for its indicator, area and period."""
    f = figures()
    checked = 0
    for c in shown:
        rows = f.values(c["indicator"], area=c["area"], period=c["period"], raw=raw)
        if not rows:
            assert c["value"] == "" and c["numerator"] == ""
            continue
        (row,) = rows
        if row["suppressed"]:
            assert (c["numerator"], c["denominator"], c["value"]) == ("", "", "")
            assert c["text"].strip() == "•"
        else:
            assert _num(c["numerator"]) == row["numerator"], c
            assert _num(c["denominator"]) == row["denominator"], c
            if row["value"] is None:
                assert c["value"] == ""
            else:
                assert _num(c["value"]) == pytest.approx(row["value"], rel=1e-12), c
        checked += 1
    return checked


@pytest.fixture
def analist(client):
    user = create_user("ana", "analist", "Gemeente", "a-long-password-1")
    client.force_login(user)
    return client


@pytest.fixture
def partner(client):
    user = create_user("piet", "partner", "JGZ", "a-long-password-2")
    client.force_login(user)
    return client


def _wijk() -> str:
    return figures().level("wijk")[0].code


def _buurt() -> str:
    return figures().level("buurt")[0].code


# --- public pages -----------------------------------------------------------------------------
def test_overview_shows_public_figures_conclusions_and_map(client) -> None:
    response = client.get("/")
    shown = cells(response)
    assert check_against(shown, raw=False) >= 20
    html = response.content.decode()
    f = figures()
    assert f.gemeente.name in html
    assert 'class="conclusions"' in html
    assert html.count("<figure data-chart") >= 1
    assert html.count('<details class="table-alt">') == html.count("<figure data-chart")
    for w in f.level("wijk"):
        assert f'href="/gebieden/{w.code}"' in html
    latest = f.latest("year")
    assert {c["period"] for c in shown} >= {latest}
    assert not AccessEvent.objects.exists()  # public figures are not logged


def test_overview_indicator_and_period_are_selectable(client) -> None:
    f = figures()
    period = f.periods_of("year")[0]
    shown = cells(client.get("/", {"indicator": "jeugdbescherming", "periode": period}))
    map_cells = [
        c for c in shown if c["indicator"] == "jeugdbescherming" and c["area"] != f.gemeente.code
    ]
    assert {c["area"] for c in map_cells} == {w.code for w in f.level("wijk")}
    assert {c["period"] for c in map_cells} == {period}
    check_against(shown, raw=False)


@pytest.mark.parametrize("which", ["wijk", "buurt", "gemeente"])
def test_area_page_shows_public_figures(client, which) -> None:
    f = figures()
    code = {"wijk": _wijk(), "buurt": _buurt(), "gemeente": f.gemeente.code}[which]
    response = client.get(f"/gebieden/{code}")
    assert check_against(cells(response), raw=False) >= 10
    html = response.content.decode()
    assert f.area(code).name in html
    if which == "wijk":
        for b in f.children(code):
            assert f'href="/gebieden/{b.code}"' in html
        assert "Route" in html or "verwijz" in html.lower()
    assert html.count('<details class="table-alt">') == html.count("<figure data-chart") >= 1


def test_area_page_names_similar_areas_with_a_reason(client) -> None:
    html = client.get(f"/gebieden/{_wijk()}").content.decode()
    assert "Vergelijkbaar" in html  # the reason sentence of similar_areas (Dutch by default)


def test_trend_marks_the_first_year_as_a_trend_break_and_provisional_years(client) -> None:
    f = figures()
    html = client.get(f"/gebieden/{_wijk()}").content.decode()
    assert "trendbreuk" in html
    provisional = [p for p in f.periods_of("year") if f.provisional(p)]
    if provisional:  # the store's newest year is still open
        assert f"{provisional[-1]} (voorlopig)" in html


def test_a_secret_cell_shows_a_dot_never_zero(client) -> None:
    f = figures()
    period = f.latest("year")
    secret = next(
        r for r in f.values("jeugdhulp_0_17", period=period, level="buurt") if r["suppressed"]
    )
    shown = cells(client.get(f"/gebieden/{secret['area_code']}", {"periode": period}))
    (cell,) = [
        c
        for c in shown
        if (c["indicator"], c["area"], c["period"])
        == ("jeugdhulp_0_17", secret["area_code"], period)
    ][:1]
    assert cell["text"].strip() == "•"
    assert cell["value"] == cell["numerator"] == cell["denominator"] == ""


@pytest.mark.parametrize("level", ["wijk", "buurt"])
def test_indicator_page_shows_definition_map_ranking_and_trends(client, level) -> None:
    response = client.get("/indicatoren/jeugdhulp_0_17", {"niveau": level})
    shown = cells(response)
    assert check_against(shown, raw=False) >= 10
    f = figures()
    assert {c["area"] for c in shown} >= {a.code for a in f.level(level)}
    html = response.content.decode()
    assert f.indicator("jeugdhulp_0_17").label_nl in html
    assert html.count("<figure data-chart") == 3


@pytest.mark.parametrize("url", ["/gebieden/WK999999", "/gebieden/onzin", "/indicatoren/onzin"])
def test_unknown_area_or_indicator_is_404(client, url) -> None:
    assert client.get(url).status_code == 404


# --- exact figures ----------------------------------------------------------------------------
def test_analyst_sees_exact_figures_with_a_banner_and_the_view_is_logged(analist) -> None:
    code = _wijk()
    response = analist.get(f"/gebieden/{code}", {"cijfers": "exact"})
    shown = cells(response)
    assert check_against(shown, raw=True) >= 10
    html = response.content.decode()
    assert "Exacte cijfers — niet voor publicatie" in html
    # rounding applies: some exact numerator is not what the public page shows
    public = {
        (c["indicator"], c["area"], c["period"]): c for c in cells(analist.get(f"/gebieden/{code}"))
    }
    differs = [
        c
        for c in shown
        if (key := (c["indicator"], c["area"], c["period"])) in public
        and c["numerator"] != public[key]["numerator"]
    ]
    assert differs
    assert any(int(float(c["numerator"])) % 5 for c in differs if c["numerator"])
    event = AccessEvent.objects.get(event="read", object_type="area", object_id=code)
    assert (event.user, event.role, event.result) == ("ana", "analist", "success")
    assert event.purpose  # the session's purpose (the default when none was chosen)


def test_analyst_exact_overview_and_indicator_pages_are_logged(analist) -> None:
    cells(analist.get("/", {"cijfers": "exact"}))
    cells(analist.get("/indicatoren/jeugdbescherming", {"cijfers": "exact", "niveau": "buurt"}))
    events = {(e.object_type, e.object_id, e.result) for e in AccessEvent.objects.all()}
    assert ("area", figures().gemeente.code, "success") in events
    assert ("indicator", "jeugdbescherming", "success") in events


def test_analyst_without_asking_sees_public_figures_and_nothing_is_logged(analist) -> None:
    response = analist.get(f"/gebieden/{_wijk()}")
    check_against(cells(response), raw=False)
    assert "Exacte cijfers — niet voor publicatie" not in response.content.decode()
    assert 'data-testid="exact-link"' in response.content.decode()
    assert not AccessEvent.objects.exists()


def test_partner_asking_for_exact_figures_gets_public_ones_and_a_denied_event(partner) -> None:
    code = _wijk()
    response = partner.get(f"/gebieden/{code}", {"cijfers": "exact"})
    assert check_against(cells(response), raw=False) >= 10
    html = response.content.decode()
    assert "Exacte cijfers — niet voor publicatie" not in html
    assert 'data-testid="exact-refused"' in html
    event = AccessEvent.objects.get(object_id=code)
    assert (event.user, event.role, event.event, event.result) == (
        "piet",
        "partner",
        "read",
        "denied",
    )


def test_anonymous_asking_for_exact_figures_is_refused_and_logged(client) -> None:
    check_against(cells(client.get("/indicatoren/jeugdhulp_0_17", {"cijfers": "exact"})), raw=False)
    event = AccessEvent.objects.get()
    assert (event.user, event.result, event.object_id) == ("(anoniem)", "denied", "jeugdhulp_0_17")


# --- notes ------------------------------------------------------------------------------------
def test_notes_keep_their_history_and_the_latest_is_shown(analist) -> None:
    code = _wijk()
    url = f"/gebieden/{code}/toelichting"
    first = analist.post(url, {"indicator": "jeugdhulp_0_17", "text": "Eerste uitleg."})
    assert first.status_code == 302 and first["Location"].endswith("#toelichting-jeugdhulp_0_17")
    analist.post(url, {"indicator": "jeugdhulp_0_17", "text": "Nieuwe uitleg: een nieuwe school."})
    assert Note.objects.filter(area_code=code, indicator="jeugdhulp_0_17").count() == 2
    assert AccessEvent.objects.filter(event="change", object_type="note").count() == 2
    analist.logout()
    html = analist.get(f"/gebieden/{code}").content.decode()  # now anonymous
    row = html.split('id="toelichting-jeugdhulp_0_17"')[1].split("</tr>")[0]
    latest, history = row.split("<details>")
    assert "Nieuwe uitleg: een nieuwe school." in latest and "Eerste uitleg." not in latest
    assert "Eerdere versies" in history and "Eerste uitleg." in history
    assert "Toelichting toevoegen" not in html  # the form is for analysts


def test_a_note_needs_an_analyst_and_a_known_indicator(client, partner) -> None:
    url = f"/gebieden/{_wijk()}/toelichting"
    assert partner.post(url, {"indicator": "jeugdhulp_0_17", "text": "x"}).status_code == 403
    partner.logout()
    response = client.post(url, {"indicator": "jeugdhulp_0_17", "text": "x"})
    assert response.status_code == 302 and "/inloggen" in response["Location"]
    assert not Note.objects.exists()
    user = create_user("ana2", "analist", "Gemeente", "a-long-password-3")
    client.force_login(user)
    assert client.post(url, {"indicator": "onzin", "text": "x"}).status_code == 400
    assert client.post(url, {"indicator": "jeugdhulp_0_17", "text": "  "}).status_code == 400
    assert client.get(url).status_code == 405
    assert not Note.objects.exists()


# --- data quality -----------------------------------------------------------------------------
def test_data_quality_refuses_anonymous_and_non_analysts(client, partner) -> None:
    assert partner.get("/datakwaliteit").status_code == 403
    assert AccessEvent.objects.get().result == "denied"
    partner.logout()
    response = client.get("/datakwaliteit")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen")


def test_data_quality_shows_the_quarantine_of_the_store_and_is_logged(analist, web_store) -> None:
    import duckdb

    response = analist.get("/datakwaliteit", {"maanden": "36"})
    assert response.status_code == 200
    html = response.content.decode()
    con = duckdb.connect(str(web_store), read_only=True)
    try:
        expected = dict(con.execute("SELECT rule, count(*) FROM quarantine GROUP BY 1").fetchall())
    finally:
        con.close()
    assert expected
    for rule, n in expected.items():
        assert f'data-rule="{rule}" data-count="{n}"' in html
    assert "Te late berichten" in html and "Ontbrekende berichten" in html
    event = AccessEvent.objects.get(object_type="datakwaliteit")
    assert (event.event, event.result, event.user) == ("read", "success", "ana")


# --- roles ------------------------------------------------------------------------------------
def test_every_dashboard_view_is_public_or_requires_a_role() -> None:
    from wijkzicht.web.dashboard import urls

    for pattern in urls.urlpatterns:
        view = pattern.callback
        assert getattr(view, "public", False) or getattr(view, "required_roles", None), pattern
    public = {p.name for p in urls.urlpatterns if getattr(p.callback, "public", False)}
    assert public == {"overview", "area", "indicator", "indicators"}


def test_indicator_list_links_every_indicator_with_the_city_figure(client) -> None:
    from wijkzicht.indicators.catalogue import CATALOGUE

    response = client.get("/indicatoren")
    assert check_against(cells(response), raw=False) == len(CATALOGUE)
    html = response.content.decode()
    assert all(f'href="/indicatoren/{i.name}"' in html for i in CATALOGUE)


def test_overview_conclusions_compare_districts_with_the_city_and_the_city_over_time(
    client,
) -> None:
    html = client.get("/").content.decode()
    listed = html.split('class="conclusions"')[1].split("</ul>")[0]
    assert 'data-comparison="city"' in listed and 'data-comparison="previous"' in listed
    assert listed.count("<li") <= 6
    assert "toets" in listed  # each sentence names its test
