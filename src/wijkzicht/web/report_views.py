"""The public report on the web: ``/rapport`` (HTML) and ``/rapport.pdf``, the same document
``wijkzicht report`` writes, for the latest final year unless ``?periode=`` names another
(``?taal=en`` for English).

Building it takes seconds (the PDF most), so each process keeps the documents it made, keyed
by the store's results state, the period, the language and the notes' version — a new note
(every edit is a new row) makes a new document; nothing else can change it.
"""

from __future__ import annotations

import threading

from django.http import Http404, HttpRequest, HttpResponse

from wijkzicht.report import ReportError, make
from wijkzicht.report.content import report_period
from wijkzicht.report.notes import notes_version, public_notes
from wijkzicht.web.data import figures
from wijkzicht.web.roles import public

_CACHE: dict[tuple, bytes] = {}
_LOCK = threading.Lock()
_KEEP = 16  # documents kept per process (each well under a megabyte)


def _document(request: HttpRequest, fmt: str) -> bytes:
    f = figures()
    lang = request.GET.get("taal", "nl")
    if lang not in ("nl", "en"):
        raise Http404("taal: nl of en")
    try:
        period = report_period(f, request.GET.get("periode") or None)
    except ReportError as e:
        raise Http404(str(e)) from None
    key = (f.state, period, lang, fmt, notes_version())
    with _LOCK:  # one build at a time: the machine is small and every build is the same
        if key not in _CACHE:
            data = make(f, fmt=fmt, period=period, lang=lang, notes=public_notes(period))
            while len(_CACHE) >= _KEEP:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = data
        return _CACHE[key]


@public
def report_html(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_document(request, "html"), content_type="text/html; charset=utf-8")


@public
def report_pdf(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_document(request, "pdf"), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="staat-van-de-jeugd.pdf"'
    return response
