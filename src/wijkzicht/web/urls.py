"""URL patterns: pages (dashboard), the REST API under /api/v1, accounts, admin, assets."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from wijkzicht.web import assets, report_views
from wijkzicht.web.accounts import views as account_views

urlpatterns = [
    path("", include("wijkzicht.web.dashboard.urls")),
    path("api/v1", include("wijkzicht.web.api.urls")),
    path("inloggen", account_views.LoginView.as_view(), name="login"),
    path("uitloggen", auth_views.LogoutView.as_view(), name="logout"),
    path("doel", account_views.set_purpose, name="set-purpose"),
    path("taal", set_language, name="set_language"),
    path("beheer/", admin.site.urls),
    path("assets/vega-embed.js", assets.vega_embed_js, name="vega-embed"),
    path("rapport", report_views.report_html, name="report"),
    path("rapport.pdf", report_views.report_pdf, name="report-pdf"),
]
