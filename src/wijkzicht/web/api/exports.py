"""Exports of waarden as a file (CSV, Excel, Parquet), written by the same writers as
``wijkzicht export`` (:mod:`wijkzicht.indicators.output`) from the same rows the API shows."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from wijkzicht.indicators.output import export, to_csv
from wijkzicht.web.api import params
from wijkzicht.web.api.base import ExactView, errors, require_analist
from wijkzicht.web.data import figures


def file_bytes(rows: list[dict], formaat: str) -> bytes:
    """The file the shared writer makes of ``rows`` (CSV: byte-identical to ``to_csv``)."""
    if formaat == "csv":
        return to_csv(rows).encode("utf-8")
    suffix = params.FORMATS[formaat][1]
    with tempfile.TemporaryDirectory(prefix="wijkzicht-export-") as tmp:
        path = Path(tmp) / f"waarden{suffix}"
        export(rows, path)
        return path.read_bytes()


def filename(q: dict) -> str:
    parts = ["wijkzicht-waarden"] + [q[k] for k in ("indicator", "gebied", "niveau", "periode")
                                     if k in q]  # fmt: skip
    if q["exact"]:
        parts.append("exact")
    return "-".join(parts) + params.FORMATS[q["formaat"]][1]


FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The file (Content-Disposition).")


class ExportWaardenView(ExactView):
    @extend_schema(
        operation_id="exports_waarden",
        summary="Values as a file: CSV, Excel (xlsx) or Parquet",
        description="The columns of `wijkzicht export`: indicator, area_code, period, "
        "numerator, denominator, value, suppressed. Public figures unless `exact=true` "
        "(analysts; logged as an export).",
        parameters=[params.ExportQuery],
        responses={
            **{(200, media.split(";")[0]): FILE for media, _ in params.FORMATS.values()},
            **errors(400, 401, 403),
        },
        tags=["exports"],
    )
    def get(self, request: Request) -> HttpResponse:
        q = params.parse(params.ExportQuery, request)
        name = filename(q)
        if q["exact"]:
            require_analist(request, "export", "export", name)
        rows = figures().values(q.get("indicator"), area=q.get("gebied"),
                                period=q.get("periode"), level=q.get("niveau"),
                                raw=q["exact"])  # fmt: skip
        try:
            content = file_bytes(rows, q["formaat"])
        except ValueError as e:  # more rows than an Excel sheet holds
            raise ValidationError({"formaat": [str(e)]}) from None
        response = HttpResponse(content, content_type=params.FORMATS[q["formaat"]][0])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
