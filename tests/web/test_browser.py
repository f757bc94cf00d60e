"""The pages in a real browser: Debian's Chromium, headless, driven by Playwright against
pytest-django's live server thread, its static files served by WhiteNoise as in production.
One browser and one server for the module; every page is checked for rendered charts, console
errors, failed requests and requests to other hosts.

Playwright never downloads a browser here: it launches the system's ``chromium``."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency")

CHROMIUM = shutil.which("chromium")
PASSWORD = "a-long-browser-password-1"  # noqa: S105 (a test user)
INDICATOR = "jeugdhulp_0_17"
RENDER_MS = 20_000  # charts render within this (the first page also compiles vega)


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop on this thread while it runs, so Django
    takes every ORM call made here (creating the test database and users, flushing it after
    each test) for one from async code and refuses it. No async code touches the ORM in this
    module: allow it for the module only."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(django_db_setup) -> Iterator:
    if CHROMIUM is None:
        pytest.fail("the browser tests need Debian's chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        yield b
        b.close()


class Watch:
    """What went wrong on a page: console errors, uncaught exceptions, requests elsewhere."""

    def __init__(self, page, origin: str) -> None:
        self.origin, self.errors, self.foreign = origin, [], []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))

    def _console(self, message) -> None:
        where = message.location.get("url", "")
        if message.type == "error":
            self.errors.append(f"{message.text} ({where})")

    def _request(self, request) -> None:
        url = request.url
        if not (url == self.origin or url.startswith(self.origin + "/") or url.startswith("data:")):
            self.foreign.append(url)

    def check(self, tolerate: re.Pattern | None = None) -> None:
        errors = [e for e in self.errors if not (tolerate and tolerate.search(e))]
        assert not errors, errors
        assert not self.foreign, f"requests to other hosts: {self.foreign}"


@pytest.fixture
def analist() -> str:
    """An analyst in the web database (the live server thread reads the same database)."""
    from wijkzicht.web.accounts.users import create_user

    create_user("ana", "analist", "Gemeente Testdorp", PASSWORD, staff=True)
    return "ana"


@pytest.fixture(scope="module")
def live_server(django_db_setup) -> Iterator:
    """pytest-django's live server, but without its static files handler: that one serves
    only what the finders find, and the app's own files are served by WhiteNoise (the
    middleware, from STATIC_ROOT) — as ``wijkzicht serve`` does."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost:0", start=False)
    server.thread.static_handler = lambda app: app
    server.start()
    yield server
    server.stop()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    p = context.new_page()
    p.set_default_timeout(RENDER_MS)
    p.watch = Watch(p, live_server.url)
    yield p
    context.close()


def charts_rendered(page, *, sized: bool = True) -> int:
    """Wait until every chart on the page has rendered (or failed); the number rendered.
    ``sized``: each rendered chart also has a finite size."""
    page.wait_for_function(
        "[...document.querySelectorAll('figure[data-chart]')]"
        ".every(f => f.dataset.rendered === 'true' || f.dataset.rendered === 'error')",
        timeout=RENDER_MS,
    )
    errors = page.locator('figure[data-chart][data-rendered="error"]')
    assert errors.count() == 0, errors.first.inner_text()
    broken = page.eval_on_selector_all(
        'figure[data-chart][data-rendered="true"]',
        """figures => figures.filter(f => {
            const box = (f.querySelector('.chart svg')?.getAttribute('viewBox') || '').split(' ');
            return box.length !== 4 || box.some(x => !(Math.abs(Number(x)) < 1e6));
        }).map(f => f.querySelector('figcaption').textContent.trim())""",
    )
    assert not (sized and broken), (
        f"charts drawn without a finite size (no data to draw?): {broken}"
    )
    rendered = page.locator('figure[data-chart][data-rendered="true"]')
    for k in range(rendered.count()):
        assert rendered.nth(k).locator(".chart svg").count() >= 1
    return rendered.count()


def test_analyst_logs_in_and_walks_overview_wijk_and_indicator(page, live_server, analist) -> None:
    page.goto(f"{live_server.url}/inloggen")
    page.fill("#id_username", analist)
    page.fill("#id_password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "ana · analist" in page.locator(".who").inner_text()

    # the overview: conclusions first, charts rendered
    assert page.locator("ul.conclusions li").count() > 0
    assert charts_rendered(page) > 0

    # a wijk page, reached by its link
    wijk = page.locator("#wijken ~ ul a, section[aria-labelledby=wijken] a").first
    name = wijk.inner_text()
    wijk.click()
    page.wait_for_url(re.compile(r"/gebieden/WK\d+$"))
    assert name in page.locator("h1").inner_text()
    assert charts_rendered(page) > 0
    assert page.locator("td[data-indicator]").count() > 0

    # an indicator page with its map
    page.goto(f"{live_server.url}/indicatoren/{INDICATOR}")
    assert charts_rendered(page) > 0
    assert page.locator("figure[data-chart] svg path").count() > 0  # the areas of the map
    page.watch.check()


def test_english_on_request(page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("a.skip").inner_text() == "Naar de inhoud"
    page.click("[data-testid=lang-switch]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator("a.skip").inner_text() == "Skip to content"
    assert page.get_by_role("heading", name="What stands out").count() == 1
    assert charts_rendered(page) > 0
    page.watch.check()


def test_the_first_tab_reaches_the_skip_link(page, live_server) -> None:
    page.goto(f"{live_server.url}/indicatoren/{INDICATOR}")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.hash]")
    assert focused == ["skip", "#main"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.watch.check()


def test_wijk_pages_draw_no_chart_without_a_size(page, live_server) -> None:
    from wijkzicht.web.data import figures

    for wijk in figures().level("wijk"):
        page.goto(f"{live_server.url}/gebieden/{wijk.code}")
        charts_rendered(page)
    page.watch.check()
