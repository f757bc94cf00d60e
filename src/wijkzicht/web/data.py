"""The figures of the store this server shows, loaded once per process."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from wijkzicht.insight.figures import Figures


@lru_cache(maxsize=1)
def _figures(store: str) -> Figures:
    return Figures(store)


def figures() -> Figures:
    """The figures of ``settings.STORE`` (read when first asked, then kept)."""
    return _figures(str(settings.STORE))
