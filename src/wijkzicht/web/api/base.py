"""The base of every API view: JSON (or problem+json) whatever the client accepts, the
``public`` marker the URL enumeration test reads, and the analyst check for exact figures."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.views import APIView

from wijkzicht.web.api.problems import PROBLEM
from wijkzicht.web.api.representations import Problem
from wijkzicht.web.audit.log import log_access
from wijkzicht.web.roles import can_see_raw

ERRORS = {
    400: "Invalid parameters (each named in invalid-params).",
    401: "Exact figures asked without credentials.",
    403: "Exact figures asked by a user who is not an analyst.",
    404: "No such resource.",
}


class FirstRenderer(BaseContentNegotiation):
    """Always the view's first renderer: the API speaks JSON (a file for exports), and an
    unusual ``Accept`` header gets that rather than a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ApiView(APIView):
    """Open to everyone (public figures); no credentials are read."""

    public = True  # read by the test that enumerates every URL pattern
    authentication_classes: list = []
    content_negotiation_class = FirstRenderer

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        view.public = cls.public  # the same marker as roles.public, on the view function too
        return view


class ExactView(ApiView):
    """Public figures for everyone; exact ones (``exact=true``) for analysts, by token or
    session. Token first, so a request without credentials gets 401 + WWW-Authenticate."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]


def require_analist(request: Request, event: str, object_type: str, object_id: str) -> None:
    """Log the access to exact figures, or the refusal (and refuse: 401 or 403)."""
    if can_see_raw(request.user):
        log_access(request, event, object_type, object_id)
        return
    log_access(request, event, object_type, object_id, result="denied")
    if not request.user.is_authenticated:
        raise NotAuthenticated("exact figures need an analyst's token or session")
    raise PermissionDenied("exact figures are for analysts only")


def errors(*codes: int) -> dict:
    """Documented problem responses for ``extend_schema(responses=…)``."""
    return {(c, PROBLEM): OpenApiResponse(Problem, description=ERRORS[c]) for c in codes}
