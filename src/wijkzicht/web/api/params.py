"""Query parameters, declared once as serializers: they validate the request and document the
operation in the OpenAPI document. Unknown parameters are refused (a typo such as
``period=2024`` would otherwise silently return every period)."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from wijkzicht.indicators.catalogue import BY_NAME, LEVELS
from wijkzicht.insight.figures import FiguresError
from wijkzicht.web.data import figures

MAX_PAGE_SIZE = 1000
FORMATS = {  # formaat → (media type, suffix for the shared writer)
    "csv": ("text/csv; charset=utf-8", ".csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "parquet": ("application/vnd.apache.parquet", ".parquet"),
}


def _area(code: str) -> str:
    try:
        figures().area(code)
    except FiguresError:
        raise serializers.ValidationError(f"unknown area {code!r}") from None
    return code


def _period(code: str) -> str:
    try:
        return figures().check_period(code)
    except FiguresError as e:
        raise serializers.ValidationError(str(e)) from None


def _indicator(name: str) -> str:
    if name not in BY_NAME:
        raise serializers.ValidationError(f"unknown indicator {name!r}")
    return name


class Query(serializers.Serializer):
    """Base: refuses parameters it does not declare."""

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise ValidationError({k: ["unknown parameter"] for k in unknown})
        return attrs


def parse(query: type[Query], request: Request) -> dict:
    s = query(data=request.query_params)
    s.is_valid(raise_exception=True)
    return s.validated_data


class Pagination(Query):
    pagina = serializers.IntegerField(min_value=1, default=1, help_text="Page number (from 1).")
    paginaGrootte = serializers.IntegerField(  # noqa: N815 (the NL API parameter name)
        min_value=1, max_value=MAX_PAGE_SIZE, default=100, help_text="Items per page."
    )


class GebiedenQuery(Pagination):
    niveau = serializers.ChoiceField(LEVELS, required=False, help_text="Only areas of a level.")
    binnen = serializers.CharField(
        required=False, validators=[_area], help_text="Only the areas directly within this one."
    )


class WaardenFilter(Query):
    gebied = serializers.CharField(
        required=False, validators=[_area], help_text="Area code (gemeente, wijk or buurt)."
    )
    periode = serializers.CharField(
        required=False, help_text="Period: 2024, 2024-H1, 2024-Q2 or 2024-05."
    )
    niveau = serializers.ChoiceField(LEVELS, required=False, help_text="Only areas of a level.")
    exact = serializers.BooleanField(
        default=False,
        help_text="Exact figures instead of the public, disclosure-controlled ones: analysts "
        "only (401 without credentials, 403 for other roles); every exact read is logged.",
    )

    def validate_periode(self, value: str) -> str:
        return _period(value)


class WaardenQuery(WaardenFilter, Pagination):
    pass


class ExportQuery(WaardenFilter):
    formaat = serializers.ChoiceField(list(FORMATS), default="csv", help_text="File format.")
    indicator = serializers.CharField(
        required=False, validators=[_indicator], help_text="One indicator (default: all)."
    )
