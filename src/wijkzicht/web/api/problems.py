"""Errors as RFC 9457 ``application/problem+json`` and the ``API-Version`` header.

Two doors lead here: DRF exceptions in API views (:func:`exception_handler`, set as
``REST_FRAMEWORK["EXCEPTION_HANDLER"]``) and everything Django answers under ``/api`` itself —
an unknown path, a trailing slash (a 404, never a redirect), an unexpected error
(:class:`ApiMiddleware`, in ``settings.MIDDLEWARE``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from wijkzicht.web.api import VERSION

PROBLEM = "application/problem+json"
PREFIX = "/api"
log = logging.getLogger("wijkzicht.web.api")


def is_api(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def body(status: int, detail: str, instance: str, invalid: list[dict] | None = None) -> dict:
    """A problem: ``type`` about:blank, so ``title`` is the HTTP status phrase."""
    out = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if invalid:
        out["invalid-params"] = invalid
    return out


def _invalid_params(detail, prefix: str = "") -> Iterator[dict]:
    """``[{name, reason}]`` from a DRF validation error's detail (dict, list or text)."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else prefix.rstrip(".") or "request"
            yield from _invalid_params(value, f"{prefix}{name}." if isinstance(value, dict)
                                       else f"{prefix}{name}")  # fmt: skip
    elif isinstance(detail, list):
        for item in detail:
            yield from _invalid_params(item, prefix)
    else:
        yield {"name": prefix.rstrip(".") or "request", "reason": str(detail)}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, then its answer rewritten as a problem (headers such as
    ``WWW-Authenticate`` kept)."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API exception: ApiMiddleware answers with a 500 problem
    request = context["request"]
    if isinstance(exc, exceptions.ValidationError):
        invalid = list(_invalid_params(exc.detail))
        names = ", ".join(dict.fromkeys(p["name"] for p in invalid))
        data = body(400, f"invalid parameters: {names}", request.get_full_path(), invalid)
    else:
        detail = getattr(exc, "detail", None)
        text = str(detail) if detail is not None else HTTPStatus(response.status_code).phrase
        data = body(response.status_code, text, request.get_full_path())
    headers = {k: v for k, v in response.items() if k.lower() != "content-type"}
    return Response(data, status=response.status_code, headers=headers, content_type=PROBLEM)


def problem_response(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    return HttpResponse(
        json.dumps(body(status, detail, request.get_full_path()), ensure_ascii=False),
        status=status,
        content_type=PROBLEM,
    )


def _django_detail(request: HttpRequest, status: int) -> str:
    if status == 404:
        if request.path.endswith("/") and request.path != "/":
            return (
                f"no resource at {request.path}: paths have no trailing slash "
                f"(try {request.path.rstrip('/')})"
            )
        return f"no resource at {request.path}"
    return HTTPStatus(status).description or HTTPStatus(status).phrase


class ApiMiddleware:
    """Under ``/api``: the ``API-Version`` header on every response, and every error that is
    not a problem yet (Django's own 404, 403, 500 pages) turned into one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api(request.path):
            return response
        kind = response.get("Content-Type", "").split(";")[0].strip()
        if response.status_code >= 400 and kind != PROBLEM:
            status = response.status_code
            extra = {k: v for k, v in response.items() if k.lower() in ("allow", "retry-after")}
            response = problem_response(request, status, _django_detail(request, status))
            for k, v in extra.items():
                response[k] = v
        response["API-Version"] = VERSION
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not is_api(request.path) or isinstance(exc, Http404 | PermissionDenied):
            return None  # Django answers these; __call__ rewrites the answer
        log.error("API error at %s", request.path, exc_info=exc)
        return problem_response(request, 500, "an unexpected error; it has been logged")
