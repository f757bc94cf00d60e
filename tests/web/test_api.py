"""The REST API under /api/v1: resources, paging, public vs exact figures (with the access
log), exports, and the NL API Design Rules (API-Version, problem+json, no trailing slash).
Every JSON body is checked against the schema the OpenAPI document gives for it."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from jsonschema import Draft4Validator
from openpyxl import load_workbook

from wijkzicht.indicators.catalogue import BY_NAME, CATALOGUE
from wijkzicht.indicators.output import to_csv
from wijkzicht.web.accounts.users import create_user
from wijkzicht.web.api import VERSION
from wijkzicht.web.api.schema import document
from wijkzicht.web.api.tokens import token_for
from wijkzicht.web.audit.models import AccessEvent
from wijkzicht.web.data import figures
from wijkzicht.web.roles import ANALIST, PARTNER

pytestmark = pytest.mark.django_db
API = "/api/v1"
PROBLEM = "application/problem+json"
INDICATOR = "jeugdhulp_0_17"
KEYS = {"indicator": "indicator", "area_code": "gebied", "period": "periode",
        "numerator": "teller", "denominator": "noemer", "value": "waarde"}  # fmt: skip


# --- helpers ----------------------------------------------------------------------------------
def _openapi_nullable(node):
    """OpenAPI 3.0 ``nullable`` → JSON Schema (so jsonschema can check response bodies)."""
    if isinstance(node, list):
        return [_openapi_nullable(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _openapi_nullable(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


SPEC = _openapi_nullable(document())


def conforms(body, schema_name: str) -> None:
    """``body`` matches the OpenAPI component ``schema_name``."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": SPEC["components"]}
    Draft4Validator(schema).validate(body)


def get(client, url: str, status: int = 200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.content[:500])
    assert response["API-Version"] == VERSION
    if status >= 400:
        assert response["Content-Type"] == PROBLEM
        problem = json.loads(response.content)
        conforms(problem, "Problem")
        assert problem["status"] == status
    return response


def walk(client, url: str, key: str) -> list[dict]:
    """Every item of a paged collection, following the ``next`` links."""
    items = []
    while url:
        body = get(client, url).json()
        items += body["_embedded"][key]
        url = body["_links"].get("next", {}).get("href")
    return items


def public_rows(**kwargs) -> list[dict]:
    return [
        {KEYS[k]: v for k, v in r.items() if k in KEYS} | {"geheim": r["suppressed"]}
        for r in figures().values(INDICATOR, **kwargs)
    ]


@pytest.fixture
def analist(db):
    return create_user("ana", ANALIST, "Gemeente, team Beleidsinformatie", "pw-analist-123!")


@pytest.fixture
def partner(db):
    return create_user("piet", PARTNER, "JGZ", "pw-partner-123!")


def events(**kwargs) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(**kwargs))


# --- resources --------------------------------------------------------------------------------
def test_gebieden_collection_filters_and_links(client) -> None:
    f = figures()
    response = get(client, f"{API}/gebieden?paginaGrootte=1000")
    body = response.json()
    conforms(body, "GebiedenPagina")
    assert body["totaal"] == len(f.areas)
    assert [g["code"] for g in body["_embedded"]["gebieden"]] == list(f.areas)
    wijken = get(client, f"{API}/gebieden?niveau=wijk").json()["_embedded"]["gebieden"]
    assert {g["code"] for g in wijken} == {a.code for a in f.level("wijk")}
    within = get(client, f"{API}/gebieden?binnen={f.gemeente.code}").json()
    assert within["_embedded"]["gebieden"] == wijken
    wijk = wijken[0]
    assert wijk["_links"]["kinderen"]["href"] == f"{API}/gebieden?binnen={wijk['code']}"


def test_gebied_detail_has_parent_children_and_boundary(client) -> None:
    f = figures()
    wijk = f.level("wijk")[0]
    body = get(client, f"{API}/gebieden/{wijk.code}").json()
    conforms(body, "GebiedDetail")
    assert body["niveau"] == "wijk" and body["ouder"] == f.gemeente.code
    assert body["_embedded"]["ouder"]["code"] == f.gemeente.code
    assert [k["code"] for k in body["_embedded"]["kinderen"]] == [
        c.code for c in f.children(wijk.code)
    ]
    grens = get(client, body["_links"]["grens"]["href"])
    assert grens["Content-Type"] == "application/geo+json"
    assert "28992" in grens["Content-Crs"]
    feature = grens.json()
    assert feature["type"] == "Feature" and feature["id"] == wijk.code
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_paging_walks_the_whole_collection(client) -> None:
    f = figures()
    first = get(client, f"{API}/gebieden?paginaGrootte=7")
    body = first.json()
    assert body["paginas"] == -(-len(f.areas) // 7) and "prev" not in body["_links"]
    assert 'rel="next"' in first["Link"] and 'rel="last"' in first["Link"]
    codes = [g["code"] for g in walk(client, f"{API}/gebieden?paginaGrootte=7", "gebieden")]
    assert codes == list(f.areas)
    last = get(client, body["_links"]["last"]["href"]).json()
    assert "next" not in last["_links"] and "prev" in last["_links"]
    too_far = get(client, f"{API}/gebieden?pagina=999", 400).json()
    assert too_far["invalid-params"][0]["name"] == "pagina"
    assert (
        get(client, f"{API}/gebieden?paginaGrootte=0", 400).json()["invalid-params"][0]["name"]
        == "paginaGrootte"
    )


def test_indicatoren_are_the_catalogue(client) -> None:
    items = walk(client, f"{API}/indicatoren?paginaGrootte=10", "indicatoren")
    assert [i["naam"] for i in items] == [i.name for i in CATALOGUE]
    body = get(client, f"{API}/indicatoren/{INDICATOR}").json()
    conforms(body, "Indicator")
    ind = BY_NAME[INDICATOR]
    assert body["label"] == {"nl": ind.label_nl, "en": ind.label_en}
    assert (body["per"], body["noemer"], body["niveaus"]) == (
        ind.per,
        ind.denominator,
        list(ind.levels),
    )
    assert body["geheimhouding"]["regel"] == ind.disclosure
    assert body["_links"]["waarden"]["href"] == f"{API}/indicatoren/{INDICATOR}/waarden"


def test_perioden_have_iso_dates(client) -> None:
    body = get(client, f"{API}/perioden?paginaGrootte=1000").json()
    conforms(body, "PeriodenPagina")
    assert [p["code"] for p in body["_embedded"]["perioden"]] == figures().periods
    jaar = next(p for p in body["_embedded"]["perioden"] if p["soort"] == "jaar")
    assert jaar["begindatum"] == f"{jaar['code']}-01-01"
    assert jaar["einddatum"] == f"{jaar['code']}-12-31"


# --- values -----------------------------------------------------------------------------------
def test_public_values_equal_figures_row_for_row(client) -> None:
    url = f"{API}/indicatoren/{INDICATOR}/waarden?paginaGrootte=1000"
    assert walk(client, url, "waarden") == public_rows()
    year = figures().latest("year")
    body = get(client, f"{url}&periode={year}&niveau=buurt").json()
    conforms(body, "WaardenPagina")
    assert body["exact"] is False and body["berekendOp"].endswith("Z")
    assert body["_embedded"]["waarden"] == public_rows(period=year, level="buurt")
    wijk = figures().level("wijk")[0].code
    rows = get(client, f"{url}&gebied={wijk}").json()["_embedded"]["waarden"]
    assert rows == public_rows(area=wijk)


def test_suppressed_values_are_null_and_secret_never_zero(client) -> None:
    rows = walk(client, f"{API}/indicatoren/{INDICATOR}/waarden?niveau=buurt&paginaGrootte=1000",
                "waarden")  # fmt: skip
    secret = [r for r in rows if r["geheim"]]
    assert secret, "the small test city should have suppressed buurt cells"
    assert all(r["waarde"] is None and r["teller"] is None for r in secret)
    assert all(r["waarde"] is not None for r in rows if not r["geheim"] and r["noemer"])


def test_exact_values_refused_for_anonymous_and_partner_and_logged(client, partner) -> None:
    url = f"{API}/indicatoren/{INDICATOR}/waarden?exact=true"
    anonymous = get(client, url, 401)
    assert anonymous["WWW-Authenticate"] == "Token"
    assert events(user="(anoniem)", event="read", result="denied", object_id=INDICATOR)
    client.force_login(partner)
    problem = get(client, url, 403).json()
    assert "analyst" in problem["detail"]
    denied = events(user="piet", event="read", result="denied")
    assert len(denied) == 1 and denied[0].role == PARTNER and denied[0].on_behalf_of == "JGZ"
    # public figures stay open to the partner, and are not logged
    get(client, f"{API}/indicatoren/{INDICATOR}/waarden")
    assert len(events(user="piet")) == 1


def test_exact_values_for_analist_by_token_and_by_session_are_logged(client, analist) -> None:
    url = f"{API}/indicatoren/{INDICATOR}/waarden?exact=true&paginaGrootte=1000"
    exact = [
        {KEYS[k]: v for k, v in r.items() if k in KEYS} | {"geheim": False}
        for r in figures().values(INDICATOR, raw=True)
    ]
    token = token_for(analist)
    assert token == token_for(analist)
    body = get(client, url, HTTP_AUTHORIZATION=f"Token {token}").json()
    assert body["exact"] is True
    assert body["_embedded"]["waarden"] == exact[:1000]
    by_token = events(user="ana", event="read", result="success")
    assert len(by_token) == 1 and by_token[0].object_type == "indicator"
    client.force_login(analist)
    assert get(client, url + "&pagina=2").json()["_embedded"]["waarden"] == exact[1000:2000]
    assert len(events(user="ana", event="read", result="success")) == 2
    get(client, f"{API}/indicatoren/{INDICATOR}/waarden?exact=false")
    assert len(events(user="ana")) == 2  # public reads are not logged


def test_bad_token_is_401(client) -> None:
    url = f"{API}/indicatoren/{INDICATOR}/waarden"
    get(client, url, 401, HTTP_AUTHORIZATION="Token not-a-token")


def test_token_for_refuses_other_roles(partner) -> None:
    with pytest.raises(PermissionError, match="not an analyst"):
        token_for(partner)


# --- errors and the design rules --------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "status", "named"),
    [
        (f"{API}/indicatoren/geen_indicator", 404, "geen_indicator"),
        (f"{API}/indicatoren/geen_indicator/waarden", 404, "geen_indicator"),
        (f"{API}/gebieden/BU00000000", 404, "BU00000000"),
        (f"{API}/gebieden/BU00000000/grens", 404, "BU00000000"),
        (f"{API}/indicatoren/{INDICATOR}/waarden?gebied=XX1", 400, "XX1"),
        (f"{API}/indicatoren/{INDICATOR}/waarden?periode=1999", 400, "1999"),
        (f"{API}/indicatoren/{INDICATOR}/waarden?periode=gisteren", 400, "gisteren"),
        (f"{API}/indicatoren/{INDICATOR}/waarden?niveau=straat", 400, "straat"),
        (f"{API}/indicatoren/{INDICATOR}/waarden?exact=misschien", 400, "exact"),
        (f"{API}/indicatoren/{INDICATOR}/waarden?period=2024", 400, "period"),
        (f"{API}/gebieden?binnen=WK0", 400, "WK0"),
        (f"{API}/exports/waarden?formaat=pdf", 400, "pdf"),
        (f"{API}/exports/waarden?indicator=x_y", 400, "x_y"),
    ],
)
def test_unknown_values_are_problems_naming_them(client, url, status, named) -> None:
    problem = get(client, url, status).json()
    assert named in json.dumps(problem), problem
    if status == 400:
        assert problem["invalid-params"] and problem["detail"].startswith("invalid parameters")


@pytest.mark.parametrize(
    "url",
    [f"{API}/gebieden/", f"{API}/", f"{API}/indicatoren/{INDICATOR}/", f"{API}/bestaat-niet",
     "/api/v2/gebieden", "/api"],
)  # fmt: skip
def test_unknown_paths_and_trailing_slashes_are_404_problems(client, url) -> None:
    problem = get(client, url, 404).json()
    assert problem["instance"] == url
    if url.endswith("/"):
        assert "trailing slash" in problem["detail"]


def test_api_version_header_on_every_response(client) -> None:
    cases = [(API, 200), (f"{API}/gebieden", 200), (f"{API}/x", 404),
             (f"{API}/gebieden?niveau=x", 400), (f"{API}/openapi.json", 200)]  # fmt: skip
    for url, status in cases:
        response = client.get(url)
        assert (response.status_code, response["API-Version"]) == (status, VERSION), url
    assert client.post(f"{API}/gebieden")["API-Version"] == VERSION
    assert "API-Version" not in client.get("/")


def test_method_not_allowed_is_a_problem(client) -> None:
    response = client.delete(f"{API}/gebieden")
    assert response.status_code == 405 and response["Content-Type"] == PROBLEM
    assert "Allow" in response


def test_root_links_every_collection(client) -> None:
    links = get(client, API).json()["_links"]
    for name in ("gebieden", "indicatoren", "perioden", "openapi"):
        get(client, links[name]["href"])


def test_every_api_route_is_marked_public() -> None:
    """Anonymous users may read every API route (public figures); the exact ones are refused
    inside the views (tested above). The marker is what the URL enumeration test reads."""

    def callbacks(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from callbacks(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.callback

    api = [(route, cb) for route, cb in callbacks(get_resolver()) if route.startswith("api/")]
    assert len(api) >= 10
    for route, callback in api:
        assert getattr(callback, "public", False) is True, route
        assert callback.view_class.public is True, route


# --- exports ----------------------------------------------------------------------------------
def test_csv_export_is_byte_identical_to_the_shared_writer(client) -> None:
    f = figures()
    year = f.latest("year")
    response = get(client, f"{API}/exports/waarden?formaat=csv&periode={year}&niveau=wijk")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="wijkzicht-waarden-wijk-{year}.csv"'
    )
    rows = f.values(period=year, level="wijk")
    assert response.content == to_csv(rows).encode("utf-8")
    one = get(client, f"{API}/exports/waarden?indicator={INDICATOR}").content
    assert one == to_csv(f.values(INDICATOR)).encode("utf-8")
    parsed = list(csv.DictReader(io.StringIO(one.decode())))
    assert any(r["suppressed"] == "true" and r["value"] == "" for r in parsed)


@pytest.mark.parametrize("formaat", ["xlsx", "parquet"])
def test_xlsx_and_parquet_exports_have_the_same_numbers(client, formaat) -> None:
    f = figures()
    year = f.latest("year")
    response = get(client, f"{API}/exports/waarden?formaat={formaat}&periode={year}")
    assert response["Content-Disposition"].endswith(f'{year}.{formaat}"')
    rows = f.values(period=year)
    if formaat == "parquet":
        got = pq.read_table(io.BytesIO(response.content)).to_pylist()
    else:
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        header, *data = list(sheet.values)
        got = [dict(zip(header, r, strict=True)) for r in data]
        rows = [
            {k: pytest.approx(v, rel=1e-14) if isinstance(v, float) else v for k, v in r.items()}
            for r in rows
        ]  # Excel keeps 15 significant digits
    assert got == rows


def test_exact_export_is_for_analysts_and_logged_as_export(client, partner, analist) -> None:
    url = f"{API}/exports/waarden?formaat=csv&indicator={INDICATOR}&exact=true"
    get(client, url, 401)
    client.force_login(partner)
    get(client, url, 403)
    assert len(events(event="export", result="denied")) == 2
    client.force_login(analist)
    response = get(client, url)
    assert response.content == to_csv(figures().values(INDICATOR, raw=True)).encode("utf-8")
    assert "exact" in response["Content-Disposition"]
    (event,) = events(user="ana", event="export")
    assert event.result == "success" and event.object_type == "export"
    get(client, f"{API}/exports/waarden?indicator={INDICATOR}")
    assert len(events(user="ana")) == 1  # a public export is not logged


def test_values_answers_from_memory_within_its_budget(monkeypatch) -> None:
    from wijkzicht.insight import figures as figures_mod

    f = figures()
    f._answers.clear()
    monkeypatch.setattr(figures_mod, "VALUES_ROW_BUDGET", 400)
    year = f.latest("year")
    first = f.values(INDICATOR, period=year)
    again = f.values(INDICATOR, period=year)
    assert again == first and again is not first  # each caller gets its own list …
    assert all(a is b for a, b in zip(again, first, strict=True))  # … of the kept rows
    again += [{"indicator": "x"}]  # extending it changes no later answer
    assert f.values(INDICATOR, period=year) == first
    for level in ("gemeente", "wijk", "buurt"):
        f.values(INDICATOR, level=level)
    assert sum(len(r) for r in f._answers.values()) <= 400
