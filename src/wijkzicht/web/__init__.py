"""The web layer: a Django project (dashboard pages, REST API, accounts, audit log) over
:class:`wijkzicht.insight.figures.Figures`. It never computes an indicator itself."""

from __future__ import annotations

import os
from pathlib import Path


def setup(db: str | Path | None = None, *, demo: bool | None = None) -> None:
    """Point Django at this project (and, when given, the store ``db``), then start it."""
    if db is not None:
        os.environ["WIJKZICHT_DB"] = str(Path(db).resolve())
    if demo is not None:
        os.environ["WIJKZICHT_DEMO"] = "1" if demo else "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkzicht.web.settings")
    import django

    django.setup()
