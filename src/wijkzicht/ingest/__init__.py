"""Files, folders and zips → validate → pseudonymise → store; quarantine; resumable.

The entry point is :func:`wijkzicht.ingest.run.ingest`; ``wijkzicht ingest`` wraps it.

The names below are imported on first use: a worker process imports
:mod:`wijkzicht.ingest.process`, and with it this package, but never needs DuckDB.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wijkzicht.ingest.run import ingest
    from wijkzicht.ingest.writer import Counts

__all__ = ["Counts", "ingest"]
_LAZY = {"ingest": "wijkzicht.ingest.run", "Counts": "wijkzicht.ingest.writer"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
