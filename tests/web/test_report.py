"""The public report (``wijkzicht report``, ``/rapport``): every printed figure is the public
one, suppressed cells show •, only public notes appear, the HTML is self-contained and the PDF
has pages."""

from __future__ import annotations

import re
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from wijkzicht.cli.report import command
from wijkzicht.indicators.disclosure import SUPPRESSED_MARK, violations
from wijkzicht.insight.figures import Figures
from wijkzicht.report import build, html, make, pdf
from wijkzicht.report.content import report_period
from wijkzicht.report.notes import public_notes


class _Cells(HTMLParser):
    """The ``td.figure`` cells of a report: their data attributes and their text."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "figure" in (a.get("class") or "").split():
            self._open = {**a, "text": ""}

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "td" and self._open is not None:
            self.cells.append(self._open)
            self._open = None


def cells_of(document: str) -> list[dict]:
    parser = _Cells()
    parser.feed(document)
    return parser.cells


def pdf_pages(data: bytes) -> int:
    """Page objects in a PDF, also inside compressed object streams."""
    page = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
    bodies = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            bodies.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return sum(len(page.findall(b)) for b in bodies)


@pytest.fixture(scope="module")
def figures(web_store: Path) -> Figures:
    return Figures(web_store)


@pytest.fixture(scope="module")
def document(figures: Figures) -> str:
    return html(build(figures))


def test_report_names_every_wijk_and_has_conclusions_and_disclosure(figures, document) -> None:
    report = build(figures)
    assert report.period == figures.latest("year")
    for wijk in figures.level("wijk"):
        assert wijk.name in document
        assert f'id="{wijk.code}"' in document
    sentences = [c["sentence"] for s in report.sections for c in s.conclusions]
    assert sentences, "the report has no conclusions"
    for sentence in sentences:
        assert sentence.replace("'", "&#x27;") in document
    assert 'id="geheimhouding"' in document
    assert "afgerond op een veelvoud van 5" in document
    assert "0 tot en met 7 zijn geheim" in document
    assert "secundaire geheimhouding" in document
    assert 'id="verantwoording"' in document and "Beleidsinformatie Jeugd" in document


def test_every_figure_is_the_public_one(figures, document) -> None:
    cells = cells_of(document)
    assert len(cells) > 100
    differs = 0
    rows = []
    for c in cells:
        ind, area, period = c["data-indicator"], c["data-area"], c["data-period"]
        public = figures.cell(ind, area, period)
        raw = figures.cell(ind, area, period, raw=True)
        assert public is not None, (ind, area, period)
        numerator, denominator, value, suppressed = public
        shown = float(c["data-value"]) if c["data-value"] else None
        assert shown == value, (ind, area, period, shown, value)
        assert (c["data-suppressed"] == "true") == suppressed
        for attr, public_count in (("numerator", numerator), ("denominator", denominator)):
            text = c[f"data-{attr}"]
            assert (float(text) if text else None) == public_count, (ind, area, period, attr)
        if raw is not None and raw[2] is not None and raw[2] != value:
            differs += 1
            assert shown != raw[2], f"raw value printed for {ind} {area} {period}"
        rows.append(
            {
                "indicator": ind,
                "area_code": area,
                "parent_area_code": figures.area(area).parent,
                "period": period,
                "numerator": c["data-numerator"],
                "denominator": c["data-denominator"],
                "value": c["data-value"],
                "suppressed": c["data-suppressed"],
            }
        )
    assert differs, "no printed figure differs from its raw one: the check proves nothing"
    assert violations(rows) == []


def test_a_suppressed_cell_shows_the_secret_mark_not_zero(document) -> None:
    cells = cells_of(document)
    secret = [c for c in cells if c["data-suppressed"] == "true"]
    assert secret, "the small city should have suppressed cells"
    assert all(c["text"].strip() == SUPPRESSED_MARK for c in secret)
    assert all(c["data-value"] == "" for c in secret)
    assert not [c for c in cells if c["text"].strip() == SUPPRESSED_MARK and c not in secret]


def test_the_html_is_self_contained(document) -> None:
    assert document.count("<svg") >= 3
    assert "<script" not in document and "<link" not in document and "<img" not in document
    assert not re.search(r"""(src|href)=["'](?!#)""", document)
    assert not re.search(r"url\((?!#)", document)
    assert "@page" in document and "break-before: page" in document


def test_english_report(figures) -> None:
    document = html(build(figures, lang="en"))
    assert '<html lang="en">' in document and "Disclosure control" in document
    assert "rounded to a multiple of 5" in document


@pytest.mark.django_db
def test_public_notes_appear_and_others_do_not(figures) -> None:
    from wijkzicht.web.dashboard.models import Note

    period = report_period(figures, None)
    wijk = sorted(figures.level("wijk"), key=lambda a: a.code)[0]
    gm = figures.gemeente.code
    Note.objects.create(indicator="jeugdhulp_0_17", area_code=wijk.code, period=period,
                        text="Nieuw buurtteam sinds maart.", author_name="gemeente")  # fmt: skip
    Note.objects.create(indicator="jeugdbescherming", area_code=gm, period="",
                        text="Interne werknotitie, niet openbaar.", author_name="analist",
                        public=False)  # fmt: skip
    Note.objects.create(indicator="zorg_dichtbij", area_code=gm, period="",
                        text="Eerste, openbare versie.", author_name="gemeente")  # fmt: skip
    Note.objects.create(indicator="zorg_dichtbij", area_code=gm, period="",
                        text="Tweede versie, ingetrokken.", author_name="gemeente",
                        public=False)  # fmt: skip
    Note.objects.create(indicator="jeugdhulp_0_17", area_code=gm, period="1999",
                        text="Over een ander jaar.", author_name="gemeente")  # fmt: skip
    document = html(build(figures, period=period, notes=public_notes(period)))
    assert "Nieuw buurtteam sinds maart." in document
    section = document.split(f'id="{wijk.code}"', 1)[1].split("<section", 1)[0]
    assert "Nieuw buurtteam sinds maart." in section and "Toelichting van de gemeente" in section
    assert "Interne werknotitie" not in document
    assert "Eerste, openbare versie." not in document  # its newest version is not public
    assert "Tweede versie" not in document
    assert "Over een ander jaar." not in document


@pytest.mark.slow
def test_pdf_has_pages(document) -> None:
    data = pdf(document)
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) > 1


@pytest.mark.slow
@pytest.mark.django_db
def test_cli_writes_html_and_pdf(web_store, tmp_path, monkeypatch) -> None:
    # notes_for() points Django at the store through the environment: restore it afterwards
    monkeypatch.setenv("WIJKZICHT_DB", str(web_store))
    monkeypatch.setenv("WIJKZICHT_DEMO", "0")
    runner = CliRunner()
    for name in ("staat.html", "staat.pdf"):
        out = tmp_path / name
        result = runner.invoke(command, ["--db", str(web_store), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 10_000
    assert (tmp_path / "staat.pdf").read_bytes().startswith(b"%PDF")
    assert "<!DOCTYPE html>" in (tmp_path / "staat.html").read_text(encoding="utf-8")


def test_cli_errors_clearly(web_store, tmp_path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        command, ["--db", str(web_store), "--out", str(tmp_path / "x.html"), "--period", "1990"]
    )
    assert result.exit_code == 2 and "no figures for 1990" in result.output
    result = runner.invoke(
        command, ["--db", str(web_store), "--out", str(tmp_path / "x.html"), "--period", "juni"]
    )
    assert result.exit_code == 2 and "not a period" in result.output
    result = runner.invoke(command, ["--db", str(web_store), "--out", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and ".html or .pdf" in result.output
    assert "Example" in runner.invoke(command, ["--help"]).output


def test_cli_on_a_store_without_results(tmp_path) -> None:
    from wijkzicht.store import connect

    db = tmp_path / "leeg.duckdb"
    connect(db).close()
    result = CliRunner().invoke(command, ["--db", str(db), "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert f"wijkzicht indicators --db {db} --refresh" in result.output


@pytest.mark.slow
@pytest.mark.django_db
def test_rapport_is_public(client, figures) -> None:
    response = client.get("/rapport")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert all(w.name in page for w in figures.level("wijk"))
    assert client.get("/rapport").content == response.content  # cached, the same document
    english = client.get("/rapport", {"taal": "en"}).content.decode()
    assert "Disclosure control" in english
    response = client.get("/rapport.pdf", {"periode": figures.periods_of("year")[0]})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert client.get("/rapport", {"periode": "1990"}).status_code == 404


def test_make_refuses_an_unknown_format(figures) -> None:
    from wijkzicht.report import ReportError

    with pytest.raises(ReportError, match="html or pdf"):
        make(figures, fmt="docx")


def test_report_urls_are_marked_public() -> None:
    from wijkzicht.web import urls

    names = ("report", "report-pdf")
    views = {p.name: p.callback for p in urls.urlpatterns if getattr(p, "name", None) in names}
    assert set(views) == {"report", "report-pdf"}
    assert all(getattr(v, "public", False) for v in views.values())
