"""The municipality's notes the report prints: per (indicator, area) the newest version of the
note for the report's period (or for every period), when that version is public.

Notes live in the web database (:class:`wijkzicht.web.dashboard.models.Note`). A note's history
is a row per version; the newest version decides: when it is not public the figure gets no
note, even if an older version was public (withdrawing a note must withdraw it from the
report too).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def public_notes(period: str) -> dict[tuple[str, str], object]:
    """(indicator, area code) → the Note to print for ``period`` (Django must be set up)."""
    from django.db.models import Q

    from wijkzicht.web.dashboard.models import Note

    newest: dict[tuple[str, str], Note] = {}
    for note in Note.objects.filter(Q(period=period) | Q(period="")).order_by("created", "id"):
        newest[(note.indicator, note.area_code)] = note  # later versions replace earlier
    return {key: note for key, note in newest.items() if note.public}


def notes_version() -> tuple:
    """Changes whenever a note is added (a new text is a new row): for cache keys."""
    from django.db.models import Count, Max

    from wijkzicht.web.dashboard.models import Note

    agg = Note.objects.aggregate(n=Count("id"), last=Max("id"))
    return (agg["n"], agg["last"])


def notes_for(db: str | Path, period: str) -> dict[tuple[str, str], object]:
    """The notes of the web database that belongs to the store ``db`` (for the CLI).

    Django refuses to start without a secret key outside the demo. Reading notes signs
    nothing (no sessions, cookies or tokens), so when no WIJKZICHT_SECRET_KEY is set this
    process gets a random throwaway one — never the demo secret, and demo mode stays off, so
    nothing a demo would switch on is switched on. A web database that does not exist yet has
    no notes: it is not created (the report only reads, and the store may sit in a read-only
    place); one that exists but is not migrated is migrated first.
    """
    from django.db import DatabaseError, connection

    if not os.environ.get("WIJKZICHT_SECRET_KEY"):
        os.environ["WIJKZICHT_SECRET_KEY"] = secrets.token_urlsafe(48)
    from wijkzicht.web import setup

    setup(db, demo=False)
    name = str(connection.settings_dict["NAME"])
    in_memory = name == ":memory:" or "mode=memory" in name
    if connection.vendor == "sqlite" and not in_memory and not Path(name).exists():
        return {}
    try:
        return public_notes(period)
    except DatabaseError:  # tables missing: an operational database never migrated
        from wijkzicht.web.server import prepare_django

        prepare_django()
        return public_notes(period)
