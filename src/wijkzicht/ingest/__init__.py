"""Files, folders and zips → validate → pseudonymise → store; quarantine; resumable.

The entry point is :func:`wijkzicht.ingest.run.ingest`; ``wijkzicht ingest`` wraps it.

The names below are imported on first use: a worker process imports
:mod:`wijkzicht.ingest.process`, and with it this package, but never needs DuckDB.
"""

from __future__ import annotations

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__, submod_attrs={"run": ["ingest"], "writer": ["Counts"]}
)
