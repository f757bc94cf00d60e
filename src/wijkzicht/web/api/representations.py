"""What the API returns: a render function per resource (plain dicts, fast) and a serializer
per resource that documents the same shape in the OpenAPI document. The tests check every
response against those documented schemas, so the two cannot drift apart."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from django.urls import reverse
from rest_framework import serializers

from wijkzicht.indicators.catalogue import RULES, Indicator
from wijkzicht.indicators.periods import parse
from wijkzicht.insight.figures import Area, Figures

KIND_NL = {"year": "jaar", "half": "halfjaar", "quarter": "kwartaal", "month": "maand"}
RD_NEW = "http://www.opengis.net/def/crs/EPSG/0/28992"  # the boundaries' CRS (Content-Crs)


# --- render ---------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def boundaries(f: Figures) -> dict[str, dict]:
    """Each area's boundary as a GeoJSON Feature (RD New), by code; built once per Figures."""
    return {
        feature["id"]: feature
        for level in ("gemeente", "wijk", "buurt")
        for feature in f.geojson(level)["features"]
    }


def gebied(f: Figures, a: Area) -> dict:
    links = {"self": {"href": reverse("api-gebied", args=[a.code])}}
    if a.parent:
        links["ouder"] = {"href": reverse("api-gebied", args=[a.parent])}
    if a.level != "buurt":
        links["kinderen"] = {"href": f"{reverse('api-gebieden')}?binnen={a.code}"}
    if a.code in boundaries(f):
        links["grens"] = {"href": reverse("api-gebied-grens", args=[a.code])}
    return {"code": a.code, "naam": a.name, "niveau": a.level, "ouder": a.parent, "_links": links}


def gebied_detail(f: Figures, a: Area) -> dict:
    out = gebied(f, a)
    out["_embedded"] = {
        "ouder": gebied(f, f.area(a.parent)) if a.parent else None,
        "kinderen": [gebied(f, c) for c in f.children(a.code)],
    }
    return out


def indicator(i: Indicator) -> dict:
    return {
        "naam": i.name,
        "label": {"nl": i.label_nl, "en": i.label_en},
        "beschrijving": {"nl": i.description_nl, "en": i.description_en},
        "familie": i.family,
        "leeftijd": {"van": i.ages[0], "tot": i.ages[1]},
        "per": i.per,
        "noemer": i.denominator,
        "niveaus": list(i.levels),
        "geheimhouding": {"regel": i.disclosure, "uitleg": RULES[i.disclosure]},
        "documentatie": f"docs/indicators.md#{i.name}",
        "_links": {
            "self": {"href": reverse("api-indicator", args=[i.name])},
            "waarden": {"href": reverse("api-waarden", args=[i.name])},
        },
    }


def periode(f: Figures, code: str) -> dict:
    p = parse(code)
    return {
        "code": p.code,
        "soort": KIND_NL[p.kind],
        "begindatum": p.start.isoformat(),
        "einddatum": p.end.isoformat(),
        "voorlopig": f.provisional(p.code),
    }


def waarde(row: dict) -> dict:
    """One row of :meth:`Figures.values`: a suppressed cell is ``null`` and ``geheim``, never 0."""
    secret = bool(row["suppressed"])
    return {
        "indicator": row["indicator"],
        "gebied": row["area_code"],
        "periode": row["period"],
        "teller": None if secret else row["numerator"],
        "noemer": row["denominator"] if not secret else None,
        "waarde": None if secret else row["value"],
        "geheim": secret,
    }


def computed(f: Figures) -> str:
    """When the figures were computed, ISO 8601 in UTC (the store keeps naive UTC)."""
    when: datetime = f.computed
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- documentation (OpenAPI) ----------------------------------------------------------------
class Link(serializers.Serializer):
    href = serializers.CharField(help_text="Path-absolute URL.")


class NlEn(serializers.Serializer):
    nl = serializers.CharField()
    en = serializers.CharField()


class GebiedLinks(serializers.Serializer):
    self = Link()
    ouder = Link(required=False, help_text="The wijk of a buurt, the gemeente of a wijk.")
    kinderen = Link(required=False, help_text="The areas directly within this one.")
    grens = Link(required=False, help_text="The boundary as GeoJSON.")


class Gebied(serializers.Serializer):
    code = serializers.CharField(help_text="CBS area code (GM…, WK…, BU…).")
    naam = serializers.CharField()
    niveau = serializers.ChoiceField(["gemeente", "wijk", "buurt"])
    ouder = serializers.CharField(allow_null=True, help_text="Code of the enclosing area.")
    _links = GebiedLinks()


class GebiedEmbedded(serializers.Serializer):
    ouder = Gebied(allow_null=True)
    kinderen = Gebied(many=True)


class GebiedDetail(Gebied):
    _embedded = GebiedEmbedded()


class Leeftijd(serializers.Serializer):
    van = serializers.IntegerField()
    tot = serializers.IntegerField(help_text="Highest completed age, inclusive.")


class Geheimhouding(serializers.Serializer):
    regel = serializers.ChoiceField(list(RULES))
    uitleg = serializers.CharField()


class IndicatorLinks(serializers.Serializer):
    self = Link()
    waarden = Link()


class IndicatorSerializer(serializers.Serializer):
    naam = serializers.CharField()
    label = NlEn()
    beschrijving = NlEn()
    familie = serializers.CharField()
    leeftijd = Leeftijd()
    per = serializers.IntegerField(allow_null=True, help_text="1000, 100, 1, or null (count).")
    noemer = serializers.CharField(
        allow_null=True, help_text="A population or another indicator; null for counts."
    )
    niveaus = serializers.ListField(child=serializers.CharField())
    geheimhouding = Geheimhouding(help_text="How disclosure control protects public figures.")
    documentatie = serializers.CharField(help_text="Section of docs/indicators.md.")
    _links = IndicatorLinks()

    class Meta:
        ref_name = "Indicator"


class Periode(serializers.Serializer):
    code = serializers.CharField(help_text="2024, 2024-H1, 2024-Q2 or 2024-05.")
    soort = serializers.ChoiceField(list(KIND_NL.values()))
    begindatum = serializers.DateField()
    einddatum = serializers.DateField(help_text="Last day, inclusive (the peildatum).")
    voorlopig = serializers.BooleanField(help_text="Late messages may still change it.")


class Waarde(serializers.Serializer):
    indicator = serializers.CharField()
    gebied = serializers.CharField()
    periode = serializers.CharField()
    teller = serializers.FloatField(allow_null=True)
    noemer = serializers.FloatField(allow_null=True)
    waarde = serializers.FloatField(allow_null=True, help_text="null when secret or undefined.")
    geheim = serializers.BooleanField(help_text="Suppressed by disclosure control.")


class PaginaLinks(serializers.Serializer):
    self = Link()
    first = Link()
    prev = Link(required=False)
    next = Link(required=False)
    last = Link()


def collection(name: str, key: str, item: type[serializers.Serializer],
               **extra: serializers.Field) -> type[serializers.Serializer]:  # fmt: skip
    """The documented shape of a page of ``item`` (see :mod:`.pagination`)."""
    embedded = type(f"{name}Embedded", (serializers.Serializer,), {key: item(many=True)})
    fields = {
        "_links": PaginaLinks(),
        "totaal": serializers.IntegerField(help_text="Items in the whole collection."),
        "pagina": serializers.IntegerField(),
        "paginaGrootte": serializers.IntegerField(),
        "paginas": serializers.IntegerField(help_text="Number of pages."),
        **extra,
        "_embedded": embedded(),
    }
    return type(name, (serializers.Serializer,), fields)


GebiedenPagina = collection("GebiedenPagina", "gebieden", Gebied)
IndicatorenPagina = collection("IndicatorenPagina", "indicatoren", IndicatorSerializer)
PeriodenPagina = collection("PeriodenPagina", "perioden", Periode)
WaardenPagina = collection(
    "WaardenPagina",
    "waarden",
    Waarde,
    indicator=serializers.CharField(),
    exact=serializers.BooleanField(help_text="Exact figures (analysts) or public ones."),
    berekendOp=serializers.DateTimeField(help_text="When the figures were computed (UTC)."),
)


class InvalidParam(serializers.Serializer):
    name = serializers.CharField(help_text="The query parameter.")
    reason = serializers.CharField()


Problem = type(
    "Problem",
    (serializers.Serializer,),
    {
        "__doc__": "An error as RFC 9457 application/problem+json.",
        "type": serializers.CharField(help_text="about:blank: the title is the status phrase."),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "instance": serializers.CharField(help_text="The request path."),
        "invalid-params": InvalidParam(
            many=True, required=False, help_text="Validation errors (400) per parameter."
        ),
    },
)
