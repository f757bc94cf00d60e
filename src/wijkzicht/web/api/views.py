"""Gebieden, indicatoren, perioden and the waarden of an indicator — all read from the one
in-memory :class:`~wijkzicht.insight.figures.Figures` of this process (no DuckDB per request)."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from wijkzicht.indicators.catalogue import BY_NAME, CATALOGUE
from wijkzicht.insight.figures import Figures, FiguresError
from wijkzicht.web.api import params
from wijkzicht.web.api import representations as rep
from wijkzicht.web.api.base import ApiView, ExactView, errors, require_analist
from wijkzicht.web.api.pagination import paginate
from wijkzicht.web.data import figures


def _area(f: Figures, code: str):
    try:
        return f.area(code)
    except FiguresError:
        raise NotFound(f"unknown area {code!r}") from None


def _indicator(name: str):
    if name not in BY_NAME:
        raise NotFound(f"unknown indicator {name!r}")
    return BY_NAME[name]


class RootView(ApiView):
    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "_links": {
                    "self": {"href": reverse("api-root")},
                    "gebieden": {"href": reverse("api-gebieden")},
                    "indicatoren": {"href": reverse("api-indicatoren")},
                    "perioden": {"href": reverse("api-perioden")},
                    "exportWaarden": {"href": reverse("api-export-waarden")},
                    "openapi": {"href": reverse("api-openapi")},
                }
            }
        )


class GebiedenView(ApiView):
    @extend_schema(
        operation_id="gebieden_list",
        summary="Areas: the gemeente, its wijken and buurten",
        parameters=[params.GebiedenQuery],
        responses={200: rep.GebiedenPagina, **errors(400)},
        tags=["gebieden"],
    )
    def get(self, request: Request) -> Response:
        q = params.parse(params.GebiedenQuery, request)
        f = figures()
        areas = list(f.areas.values())
        if "niveau" in q:
            areas = [a for a in areas if a.level == q["niveau"]]
        if "binnen" in q:
            areas = [a for a in areas if a.parent == q["binnen"]]
        body, headers = paginate(request, areas, "gebieden", q["pagina"], q["paginaGrootte"],
                                 lambda a: rep.gebied(f, a))  # fmt: skip
        return Response(body, headers=headers)


class GebiedView(ApiView):
    @extend_schema(
        operation_id="gebieden_retrieve",
        summary="One area, with its parent and children",
        responses={200: rep.GebiedDetail, **errors(404)},
        tags=["gebieden"],
    )
    def get(self, request: Request, code: str) -> Response:
        f = figures()
        return Response(rep.gebied_detail(f, _area(f, code)))


class GrensView(ApiView):
    @extend_schema(
        operation_id="gebieden_grens",
        summary="An area's boundary: a GeoJSON Feature in RD New (EPSG:28992)",
        description="The coordinates are RD New (Amersfoort / RD New), named in the "
        "`Content-Crs` header as the NL API geo rules ask.",
        responses={
            (200, "application/geo+json"): OpenApiResponse(OpenApiTypes.OBJECT),
            **errors(404),
        },
        tags=["gebieden"],
    )
    def get(self, request: Request, code: str):
        f = figures()
        _area(f, code)
        feature = rep.boundaries(f).get(code)
        if feature is None:
            raise NotFound(f"area {code!r} has no boundary in this store")
        response = JsonResponse(feature, content_type="application/geo+json")
        response["Content-Crs"] = rep.RD_NEW
        return response


class IndicatorenView(ApiView):
    @extend_schema(
        operation_id="indicatoren_list",
        summary="The indicator catalogue",
        parameters=[params.Pagination],
        responses={200: rep.IndicatorenPagina, **errors(400)},
        tags=["indicatoren"],
    )
    def get(self, request: Request) -> Response:
        q = params.parse(params.Pagination, request)
        body, headers = paginate(request, CATALOGUE, "indicatoren", q["pagina"],
                                 q["paginaGrootte"], rep.indicator)  # fmt: skip
        return Response(body, headers=headers)


class IndicatorView(ApiView):
    @extend_schema(
        operation_id="indicatoren_retrieve",
        summary="One indicator's definition",
        responses={200: rep.IndicatorSerializer, **errors(404)},
        tags=["indicatoren"],
    )
    def get(self, request: Request, naam: str) -> Response:
        return Response(rep.indicator(_indicator(naam)))


class PeriodenView(ApiView):
    @extend_schema(
        operation_id="perioden_list",
        summary="The periods with figures (year, half year, quarter, month)",
        parameters=[params.Pagination],
        responses={200: rep.PeriodenPagina, **errors(400)},
        tags=["perioden"],
    )
    def get(self, request: Request) -> Response:
        q = params.parse(params.Pagination, request)
        f = figures()
        body, headers = paginate(request, f.periods, "perioden", q["pagina"], q["paginaGrootte"],
                                 lambda p: rep.periode(f, p))  # fmt: skip
        return Response(body, headers=headers)


class WaardenView(ExactView):
    @extend_schema(
        operation_id="indicatoren_waarden",
        summary="An indicator's values per area and period",
        description="Public, disclosure-controlled figures by default: a suppressed cell has "
        "`waarde: null` and `geheim: true` (never 0). `exact=true` gives the exact figures to "
        "analysts (token or session); every such read, and every refusal, is logged.",
        parameters=[params.WaardenQuery],
        responses={200: rep.WaardenPagina, **errors(400, 401, 403, 404)},
        tags=["indicatoren"],
    )
    def get(self, request: Request, naam: str) -> Response:
        _indicator(naam)
        q = params.parse(params.WaardenQuery, request)
        if q["exact"]:
            require_analist(request, "read", "indicator", naam)
        f = figures()
        rows = f.values(naam, area=q.get("gebied"), period=q.get("periode"),
                        level=q.get("niveau"), raw=q["exact"])  # fmt: skip
        body, headers = paginate(request, rows, "waarden", q["pagina"], q["paginaGrootte"],
                                 rep.waarde)  # fmt: skip
        extra = {"indicator": naam, "exact": q["exact"], "berekendOp": rep.computed(f)}
        body = {**{k: body[k] for k in body if k != "_embedded"}, **extra,
                "_embedded": body["_embedded"]}  # fmt: skip
        return Response(body, headers=headers)
