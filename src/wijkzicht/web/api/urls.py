"""Routes under /api/v1 (included without a trailing slash: ``api/v1`` + ``/gebieden``)."""

from __future__ import annotations

from django.urls import path

from wijkzicht.web.api import exports, schema, views

urlpatterns = [
    path("", views.RootView.as_view(), name="api-root"),
    path("/openapi.json", schema.OpenApiView.as_view(), name="api-openapi"),
    path("/gebieden", views.GebiedenView.as_view(), name="api-gebieden"),
    path("/gebieden/<str:code>", views.GebiedView.as_view(), name="api-gebied"),
    path("/gebieden/<str:code>/grens", views.GrensView.as_view(), name="api-gebied-grens"),
    path("/indicatoren", views.IndicatorenView.as_view(), name="api-indicatoren"),
    path("/indicatoren/<str:naam>", views.IndicatorView.as_view(), name="api-indicator"),
    path("/indicatoren/<str:naam>/waarden", views.WaardenView.as_view(), name="api-waarden"),
    path("/perioden", views.PeriodenView.as_view(), name="api-perioden"),
    path("/exports/waarden", exports.ExportWaardenView.as_view(), name="api-export-waarden"),
]
