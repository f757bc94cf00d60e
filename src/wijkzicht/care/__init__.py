"""Care trajectories rebuilt from the store (``docs/care.md``, ``docs/counting-rules.md``).

``build(con)`` gives the trajectories as an Ibis expression (DuckDB by default, any Ibis
backend with the store's tables); ``materialise(con)`` writes them into the store;
``area_in_period`` / ``area_on`` / ``areas_in_periods`` place youth in buurt and wijk.
The code tables are in :mod:`wijkzicht.care.codes`, which imports nothing (the synthetic
generator uses them); the rest is imported on first use, so ``codes`` stays light.
"""

from __future__ import annotations

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "trajectories": ["build", "materialise", "COLUMNS"],
        "segments": ["default_horizon"],
        "areas": [
            "area_in_period",
            "area_on",
            "areas_in_periods",
            "brp_addresses",
            "brp_history",
            "brp_people",
        ],
    },
)
