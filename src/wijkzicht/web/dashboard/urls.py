"""Dashboard pages: overview, area, indicator, data quality, notes (paths are Dutch)."""

from __future__ import annotations

from django.urls import path

from wijkzicht.web.dashboard import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("gebieden/<str:code>", views.area, name="area"),
    path("gebieden/<str:code>/toelichting", views.note, name="note"),
    path("indicatoren", views.indicators, name="indicators"),
    path("indicatoren/<str:name>", views.indicator, name="indicator"),
    path("datakwaliteit", views.datakwaliteit, name="datakwaliteit"),
]
