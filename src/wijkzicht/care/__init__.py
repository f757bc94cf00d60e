"""Care trajectories rebuilt from the store (``docs/care.md``, ``docs/counting-rules.md``).

``build(con)`` gives the trajectories as an Ibis expression (DuckDB by default, any Ibis
backend with the store's tables); ``materialise(con)`` writes them into the store;
``area_in_period`` / ``area_on`` / ``areas_in_periods`` place youth in buurt and wijk.
The code tables are in :mod:`wijkzicht.care.codes`, which imports nothing (the synthetic
generator uses them); the rest is imported on first use, so ``codes`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {
    "build": "wijkzicht.care.trajectories",
    "materialise": "wijkzicht.care.trajectories",
    "segments": "wijkzicht.care.trajectories",
    "default_horizon": "wijkzicht.care.trajectories",
    "COLUMNS": "wijkzicht.care.trajectories",
    "area_in_period": "wijkzicht.care.areas",
    "area_on": "wijkzicht.care.areas",
    "areas_in_periods": "wijkzicht.care.areas",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'wijkzicht.care' has no attribute {name!r}")
