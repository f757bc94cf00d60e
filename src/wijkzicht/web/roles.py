"""Roles: *analist*, *buurtteam*, *partner* (Django groups) and *publiek* (anonymous).

Public pages show disclosure-controlled figures to everyone. Exact figures, the data quality
page and exports of non-public data are for analysts; every such access is written to the
audit log (:mod:`wijkzicht.web.audit`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

ANALIST, BUURTTEAM, PARTNER, PUBLIEK = "analist", "buurtteam", "partner", "publiek"
ROLES = (ANALIST, BUURTTEAM, PARTNER)  # the groups, most rights first
PURPOSES = {
    "beleidsinformatie": ("Beleidsinformatie en sturing", "Policy information and steering"),
    "kwaliteit": ("Kwaliteit van het berichtenverkeer", "Quality of the message traffic"),
    "verantwoording": ("Verantwoording aan de raad", "Accountability to the council"),
    "onderzoek": ("Onderzoek en leernetwerk", "Research and learning network"),
}
DEFAULT_PURPOSE = "beleidsinformatie"


def role_of(user) -> str:
    if not user.is_authenticated:
        return PUBLIEK
    if user.is_superuser:
        return ANALIST
    names = set(user.groups.values_list("name", flat=True))
    return next((r for r in ROLES if r in names), PUBLIEK)


def can_see_raw(user) -> bool:
    return role_of(user) == ANALIST


def purpose_of(request: HttpRequest) -> str:
    return request.session.get("purpose", DEFAULT_PURPOSE)


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view as open to anonymous users (it shows only disclosure-controlled figures).
    A test enumerates every URL pattern: a view is either marked public or refuses anonymous
    users."""
    view.public = True  # type: ignore[attr-defined]
    return view


def role_required(*roles: str) -> Callable:
    """A view decorator: anonymous users go to the login page; other roles get a 403 (and the
    refusal is logged)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role_of(request.user) not in roles:
                from wijkzicht.web.audit.log import log_access

                event = "read" if request.method in ("GET", "HEAD") else "change"
                log_access(request, event, "page", request.path, result="denied")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorate


def context(request: HttpRequest) -> dict:
    """Template context: the user's role and purpose."""
    role = role_of(request.user)
    return {
        "role": role,
        "is_analist": role == ANALIST,
        "purpose": purpose_of(request),
        "purposes": PURPOSES,
    }
