"""Dutch unless the visitor chose otherwise: the interface language comes from the language
switch (its cookie), never from the browser's Accept-Language header."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class DutchByDefaultMiddleware:
    """Runs before Django's LocaleMiddleware, which then falls back to LANGUAGE_CODE (nl)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
