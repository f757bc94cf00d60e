"""Dashboard pages (public figures unless an analyst asks for exact ones, ``?cijfers=exact``).

The views are thin: the content comes from :mod:`wijkzicht.web.dashboard.build` (cached per
figures state), the data quality from :mod:`wijkzicht.insight.quality`.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from wijkzicht.indicators.catalogue import BY_NAME
from wijkzicht.insight.figures import FiguresError
from wijkzicht.web.audit.log import log_access
from wijkzicht.web.dashboard import build, pages, quality_page
from wijkzicht.web.dashboard.cells import EXACT, exact_view, lang
from wijkzicht.web.dashboard.models import Note
from wijkzicht.web.data import figures
from wijkzicht.web.roles import ANALIST, can_see_raw, public, role_required

NOTE_MAX = 4000


def _switch(request: HttpRequest, raw: bool) -> dict:
    """The analyst's link between public and exact figures (same page, same choices)."""
    query = request.GET.copy()
    if raw:
        query.pop("cijfers", None)
    else:
        query["cijfers"] = EXACT
    return {
        "exact": raw,
        "can_exact": can_see_raw(request.user),
        "switch_url": f"{request.path}?{query.urlencode()}" if query else request.path,
    }


@public
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    f = figures()
    indicator = request.GET.get("indicator", pages.DEFAULT_INDICATOR)
    if indicator not in BY_NAME or "wijk" not in BY_NAME[indicator].levels:
        indicator = pages.DEFAULT_INDICATOR
    period = pages.choose_period(f, request.GET.get("periode"))
    raw, refused = exact_view(request, "area", f.gemeente.code)
    context = build.overview(f, indicator, period, lang(), raw)
    return render(
        request, "wijkzicht/overview.html", {**context, **_switch(request, raw), "refused": refused}
    )


@public
@require_GET
def area(request: HttpRequest, code: str) -> HttpResponse:
    f = figures()
    if code not in f.areas:
        raise Http404("unknown area")
    period = pages.choose_period(f, request.GET.get("periode"))
    raw, refused = exact_view(request, "area", code)
    context = build.area(f, code, period, lang(), raw)
    notes = _notes(code)
    return render(
        request,
        "wijkzicht/area.html",
        {
            **context,
            **_switch(request, raw),
            "refused": refused,
            "rows_with_notes": [(r, notes.get(r.indicator, [])) for r in context["table"].rows],
            "can_note": can_see_raw(request.user),
        },
    )


@public
@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    """Every indicator of the catalogue with the city's figure in the newest final year."""
    f = figures()
    period = f.latest("year")
    return render(request, "wijkzicht/indicators.html", build.indicators(f, period, lang()))


@public
@require_GET
def indicator(request: HttpRequest, name: str) -> HttpResponse:
    f = figures()
    try:
        ind = f.indicator(name)
    except FiguresError:
        raise Http404("unknown indicator") from None
    levels = [lv for lv in ("wijk", "buurt") if lv in ind.levels] or ["gemeente"]
    level = request.GET.get("niveau")
    level = level if level in levels else levels[0]
    period = pages.choose_period(f, request.GET.get("periode"))
    raw, refused = exact_view(request, "indicator", name)
    context = build.indicator(f, name, level, period, lang(), raw)
    return render(
        request,
        "wijkzicht/indicator.html",
        {**context, **_switch(request, raw), "refused": refused},
    )


@role_required(ANALIST)
@require_POST
def note(request: HttpRequest, code: str) -> HttpResponse:
    """A new version of the explanation of an indicator in an area (the older ones stay)."""
    f = figures()
    if code not in f.areas:
        raise Http404("unknown area")
    name = request.POST.get("indicator", "")
    text = request.POST.get("text", "").strip()
    if name not in BY_NAME or not text or len(text) > NOTE_MAX:
        log_access(request, "change", "note", f"{name}/{code}", result="error")
        return HttpResponseBadRequest("indicator and a text (at most 4,000 characters) needed")
    Note.objects.create(
        indicator=name,
        area_code=code,
        text=text,
        author=request.user,
        author_name=request.user.get_username(),
    )
    log_access(request, "change", "note", f"{name}/{code}")
    return redirect(f"{reverse('area', args=[code])}#toelichting-{name}")


@role_required(ANALIST)
@require_GET
def datakwaliteit(request: HttpRequest) -> HttpResponse:
    f = figures()
    months = request.GET.get("maanden", "12")
    n = int(months) if months.isdigit() and 1 <= int(months) <= 120 else 12
    log_access(request, "read", "datakwaliteit", f"last {n} months")
    context = quality_page.context(str(f.db), f.state, n)
    return render(
        request,
        "wijkzicht/datakwaliteit.html",
        {
            **context,
            "months_choice": n,
            "choices": [(m, urlencode({"maanden": m})) for m in (3, 12, 36)],
        },
    )


def _notes(code: str) -> dict[str, list[Note]]:
    """indicator → public versions of its explanation for this area, newest first."""
    out: dict[str, list[Note]] = defaultdict(list)
    for n in Note.objects.filter(area_code=code, public=True).order_by("-created", "-id"):
        out[n.indicator].append(n)
    return dict(out)
