"""Security of the web layer: every route is public or refuses anonymous users, CSRF on every
form, secure headers, no start without a proper secret, the audit log (NEN 7513) written for
every access to non-public data and read-only in the admin."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from wijkzicht.web.accounts.users import create_user
from wijkzicht.web.audit.models import AccessEvent
from wijkzicht.web.data import figures
from wijkzicht.web.roles import ANALIST, PARTNER

pytestmark = pytest.mark.django_db

INDICATOR = "jeugdhulp_0_17"
LOGIN_PATHS = ("/inloggen", "/beheer/login/")
# Open to anonymous users by their nature (the way in and out, the language), not data views.
ENTRY_POINTS = {
    "inloggen": "the login page",
    "uitloggen": "ends a session (POST)",
    "taal": "sets the language (POST)",
    "beheer/login/": "the admin's login page",
}
# Routes that break the rule today: each test below fails strictly until the view is fixed.
KNOWN_GAPS: dict[str, str] = {}


def routes(resolver=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    """Every URL pattern of the project as ``(route, pattern)``, includes flattened."""
    out = []
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            out += routes(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            out.append((prefix + str(p.pattern), p))
    return out


def is_public(callback) -> bool:
    """The ``@public`` marker, on a view function or a DRF / class-based view's class."""
    cls = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return bool(getattr(callback, "public", False) or getattr(cls, "public", False))


def samples() -> dict[str, str]:
    """A real value for each path parameter: area codes and indicator names from the store."""
    return {
        "code": figures().level("wijk")[0].code,
        "name": INDICATOR,
        "naam": INDICATOR,
        "object_id": "1",
        "id": "1",
        "content_type_id": "1",
        "app_label": "audit",
        "url": "onbekend/",
    }


def fill(route: str) -> str:
    """The path for ``route``, with every converter or regex group filled from :func:`samples`."""
    values = samples()

    def value(m: re.Match) -> str:
        name = m.group("name")
        assert name in values, f"no sample value for path parameter {name!r} in {route}"
        return values[name]

    path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)
    path = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", value, path)
    return "/" + path.replace("^", "").replace("$", "")


ALL = routes()


def _param(route: str):
    if route in KNOWN_GAPS:
        return pytest.param(route, marks=pytest.mark.xfail(reason=KNOWN_GAPS[route], strict=True))
    return route


def refused(client: Client, method: str, path: str) -> tuple[bool, str]:
    """Whether an anonymous request is refused: 401, 403, or redirects that end at a login."""
    response = getattr(client, method)(path, follow=True)
    chain = [urlparse(url).path for url, _ in response.redirect_chain]
    if chain:
        return chain[-1] in LOGIN_PATHS, f"{method} {path} → {chain}"
    return response.status_code in (401, 403), f"{method} {path} → {response.status_code}"


def test_the_enumeration_finds_every_part_of_the_site() -> None:
    names = {p.name for _, p in ALL}
    assert {"overview", "area", "indicator", "datakwaliteit", "note", "api-waarden",
            "api-export-waarden", "report", "report-pdf", "login"} <= names  # fmt: skip
    assert any(r.startswith("beheer/audit/accessevent/") for r, _ in ALL)
    for route, _ in ALL:
        fill(route)  # every parameter has a sample


@pytest.mark.parametrize(
    "route", [_param(r) for r, p in ALL if not is_public(p.callback) and r not in ENTRY_POINTS]
)
def test_non_public_routes_refuse_anonymous_users(client, route) -> None:
    assert not route.startswith("api/"), "the API's routes are all marked public"
    for method in ("get", "post"):
        ok, what = refused(client, method, fill(route))
        assert ok, what


@pytest.mark.parametrize("route", [r for r, p in ALL if is_public(p.callback)])
def test_public_routes_answer_anonymous_users(client, route) -> None:
    assert not route.startswith("beheer/")
    response = client.get(fill(route))
    assert response.status_code == 200, (route, response.status_code)


def test_entry_points_are_what_they_say(client) -> None:
    assert set(ENTRY_POINTS) <= {r for r, _ in ALL}
    assert client.get("/inloggen").status_code == 200
    assert client.get("/beheer/login/").status_code == 200
    assert client.post("/uitloggen").status_code == 302
    response = client.post("/taal", {"language": "en", "next": "/"})
    assert response.status_code == 302 and urlparse(response["Location"]).path == "/"


def test_exact_figures_refuse_anonymous_users_on_public_routes(client) -> None:
    wijk = samples()["code"]
    assert client.get(f"/api/v1/indicatoren/{INDICATOR}/waarden?exact=true").status_code == 401
    assert client.get("/api/v1/exports/waarden?exact=true").status_code == 401
    for path in ("/", f"/gebieden/{wijk}", f"/indicatoren/{INDICATOR}"):
        html = client.get(f"{path}?cijfers=exact").content.decode()
        assert 'data-testid="exact-refused"' in html and "exact-banner" not in html
    assert AccessEvent.objects.filter(user="(anoniem)", result="denied").count() == 5


# --- CSRF -------------------------------------------------------------------------------------
@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def _token(client: Client, path: str) -> str:
    client.get(path)
    return client.cookies["csrftoken"].value


def test_login_without_csrf_token_is_refused(csrf_client) -> None:
    create_user("ana", ANALIST, "Gemeente", "a-long-password-1")
    form = {"username": "ana", "password": "a-long-password-1"}
    assert csrf_client.post("/inloggen", form).status_code == 403
    token = _token(csrf_client, "/inloggen")
    assert csrf_client.post("/inloggen", form).status_code == 403  # cookie alone is not enough
    response = csrf_client.post("/inloggen", {**form, "csrfmiddlewaretoken": token})
    assert response.status_code == 302  # the control: with its token the same form works


def test_language_switch_without_csrf_token_is_refused(csrf_client) -> None:
    assert csrf_client.post("/taal", {"language": "en", "next": "/"}).status_code == 403
    token = _token(csrf_client, "/")
    ok = csrf_client.post("/taal", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert ok.status_code == 302


def test_note_and_purpose_without_csrf_token_are_refused(csrf_client) -> None:
    csrf_client.force_login(create_user("ana", ANALIST, "Gemeente", "a-long-password-1"))
    wijk = samples()["code"]
    note = {"indicator": INDICATOR, "text": "Een toelichting."}
    assert csrf_client.post(f"/gebieden/{wijk}/toelichting", note).status_code == 403
    assert csrf_client.post("/doel", {"purpose": "kwaliteit"}).status_code == 403
    assert not AccessEvent.objects.filter(event="change").exists()
    token = _token(csrf_client, f"/gebieden/{wijk}")
    ok = csrf_client.post(f"/gebieden/{wijk}/toelichting", {**note, "csrfmiddlewaretoken": token})
    assert ok.status_code == 302


# --- headers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/gebieden/{code}",
        "/indicatoren",
        "/inloggen",
        "/api/v1/indicatoren",
        "/api/v1/bestaat-niet",
        "/bestaat-niet",
        "/assets/vega-embed.js",
    ],
)
def test_secure_headers_on_every_kind_of_response(client, path) -> None:
    response = client.get(path.format(**samples()))
    csp = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'" and csp["base-uri"] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"] and "http" not in csp["script-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_http_only_and_same_site(client) -> None:
    create_user("ana", ANALIST, "Gemeente", "a-long-password-1")
    client.get("/inloggen")
    client.post("/inloggen", {"username": "ana", "password": "a-long-password-1"})
    session = client.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["samesite"] == "Lax"


# --- the secret -------------------------------------------------------------------------------
def _start(extra: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    """Import the settings in a clean environment: only PATH, a HOME and ``extra``."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
           "WIJKZICHT_DB": str(tmp_path / "s.duckdb"), **extra}  # fmt: skip
    code = "import wijkzicht.web.settings"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "WIJKZICHT_SECRET_KEY is not set"),
        ({"WIJKZICHT_SECRET_KEY": "too-short-0123456789"}, "at least 32 characters"),
        (
            {"WIJKZICHT_SECRET_KEY": "wijkzicht-demo-only-secret-never-use-this-in-production"},
            "demo secret key may only be used in demo mode",
        ),
    ],
    ids=["no-secret", "short-secret", "demo-secret"],
)
def test_the_server_refuses_to_start_without_a_proper_secret(tmp_path, extra, message) -> None:
    done = _start(extra, tmp_path)
    assert done.returncode != 0
    assert message in done.stderr


def test_the_demo_and_a_proper_secret_start(tmp_path) -> None:
    assert _start({"WIJKZICHT_DEMO": "1"}, tmp_path).returncode == 0
    proper = {"WIJKZICHT_SECRET_KEY": "a-proper-secret-of-more-than-32-characters"}
    assert _start(proper, tmp_path).returncode == 0


def test_serve_says_why_it_refuses_and_exits_non_zero(tmp_path) -> None:
    db = tmp_path / "s.duckdb"
    db.write_bytes(b"")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    serve = [
        str(Path(sys.executable).with_name("wijkzicht")),
        "serve",
        "--db",
        str(db),
        "--port",
        "8104",
    ]
    done = subprocess.run(serve, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "Error: WIJKZICHT_SECRET_KEY is not set" in done.stderr
    assert "Traceback" not in done.stderr


# --- the audit log ----------------------------------------------------------------------------
ORGANISATION = "Gemeente Testdorp, team Beleidsinformatie"


@pytest.fixture
def ana(client) -> Client:
    user = create_user("ana", ANALIST, ORGANISATION, "a-long-password-1", staff=True)
    client.force_login(user)
    assert client.post("/doel", {"purpose": "kwaliteit"}).status_code == 302
    return client


def _accesses() -> list[tuple[str, str, str]]:
    """Every access to non-public data an analyst can make: (method, path, event)."""
    wijk = samples()["code"]
    return [
        ("get", "/?cijfers=exact", "read"),
        ("get", f"/gebieden/{wijk}?cijfers=exact", "read"),
        ("get", f"/indicatoren/{INDICATOR}?cijfers=exact", "read"),
        ("get", "/datakwaliteit", "read"),
        ("get", f"/api/v1/indicatoren/{INDICATOR}/waarden?exact=true", "read"),
        ("get", f"/api/v1/exports/waarden?exact=true&indicator={INDICATOR}", "export"),
        ("post", f"/gebieden/{wijk}/toelichting", "change"),
    ]


def test_every_access_to_non_public_data_is_logged_with_who_what_and_why(ana) -> None:
    note = {"indicator": INDICATOR, "text": "Meer aanmeldingen door een nieuwe huisarts."}
    for method, path, event in _accesses():
        before = AccessEvent.objects.count()
        response = ana.post(path, note) if method == "post" else ana.get(path)
        assert response.status_code in (200, 302), (path, response.status_code)
        new = list(AccessEvent.objects.order_by("id")[before:])
        assert len(new) == 1, (path, new)
        e = new[0]
        assert (e.user, e.role, e.on_behalf_of) == ("ana", ANALIST, ORGANISATION), path
        assert (e.event, e.purpose, e.result) == (event, "kwaliteit", "success"), path
        assert e.object_type and e.object_id, path
        assert e.when is not None and e.path == path


def test_non_public_answers_are_never_cached(ana) -> None:
    for method, path, _ in _accesses():
        if method == "get":
            assert "no-store" in ana.get(path)["Cache-Control"], path


def test_public_pages_write_no_access_events(ana) -> None:
    before = AccessEvent.objects.count()
    for path in ("/", f"/gebieden/{samples()['code']}", f"/api/v1/indicatoren/{INDICATOR}/waarden"):
        assert ana.get(path).status_code == 200
    assert AccessEvent.objects.count() == before


def test_refusals_are_logged_for_the_user_who_was_refused(client) -> None:
    client.force_login(create_user("piet", PARTNER, "JGZ Testdorp", "a-long-password-2"))
    for method, path, event in _accesses():
        before = AccessEvent.objects.count()
        if method == "post":
            assert client.post(path, {"indicator": INDICATOR, "text": "x"}).status_code == 403
        else:
            client.get(path)
        (e,) = AccessEvent.objects.order_by("id")[before:]
        assert (e.user, e.role, e.on_behalf_of, e.result) == (
            "piet",
            PARTNER,
            "JGZ Testdorp",
            "denied",
        ), path
        assert e.event in (event, "read"), path


def test_login_is_logged(client) -> None:
    create_user("ana", ANALIST, ORGANISATION, "a-long-password-1")
    form = {"username": "ana", "password": "a-long-password-1", "purpose": "verantwoording"}
    assert client.post("/inloggen", form).status_code == 302
    e = AccessEvent.objects.get(event="login")
    assert (e.user, e.role, e.on_behalf_of, e.purpose) == ("ana", ANALIST, ORGANISATION,
                                                          "verantwoording")  # fmt: skip


# --- the audit log in the admin ---------------------------------------------------------------
LIST = "/beheer/audit/accessevent/"


def _event() -> AccessEvent:
    return AccessEvent.objects.create(
        user="x", role=ANALIST, event="read", object_type="area", object_id="WK000001",
        purpose="onderzoek", result="success",
    )  # fmt: skip


def _read_only(client: Client) -> None:
    e = _event()
    response = client.get(LIST)
    assert response.status_code == 200
    assert "WK000001" in response.content.decode()
    assert client.get(f"{LIST}?q=WK000001").status_code == 200  # searchable
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.post(f"{LIST}add/", {"user": "y", "role": ANALIST}).status_code == 403
    detail = client.get(f"{LIST}{e.pk}/change/")
    assert detail.status_code == 200  # view only: no form to change it
    assert b'name="_save"' not in detail.content
    assert client.post(f"{LIST}{e.pk}/change/", {"user": "y"}).status_code == 403
    assert client.post(f"{LIST}{e.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [e.pk], "post": "yes"}
    client.post(LIST, bulk)
    assert AccessEvent.objects.get(pk=e.pk).user == "x"


def test_the_audit_log_is_read_only_in_the_admin_even_for_a_superuser(client) -> None:
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", "", "a-long-password-9"))
    _read_only(client)


def test_a_staff_analyst_can_read_the_audit_log(client) -> None:
    client.force_login(create_user("ana", ANALIST, ORGANISATION, "a-long-password-1", staff=True))
    _read_only(client)


def test_the_admin_is_closed_to_users_who_are_not_staff(client) -> None:
    client.force_login(create_user("piet", PARTNER, "JGZ", "a-long-password-2"))
    response = client.get(LIST, follow=True)
    assert urlparse(response.redirect_chain[-1][0]).path == "/beheer/login/"
