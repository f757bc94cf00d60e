"""Dashboard pages (public figures unless an analyst asks for exact ones)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wijkzicht.web.data import figures
from wijkzicht.web.roles import public


@public
def overview(request: HttpRequest) -> HttpResponse:
    f = figures()
    return render(request, "wijkzicht/overview.html", {"gemeente": f.gemeente})
