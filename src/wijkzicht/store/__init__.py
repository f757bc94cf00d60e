"""The analytics store: one DuckDB file, its schema and migrations, the encrypted raw archive.

See ``docs/store.md`` for the tables.

The names below are imported on first use: ingest worker processes need
:mod:`wijkzicht.store.keys` only, not DuckDB.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wijkzicht.store.archive import NotStoredError, quarantine, read_raw
    from wijkzicht.store.keys import DecryptError, Keys
    from wijkzicht.store.schema import DATA_TABLES, MIGRATIONS, connect, migrate, snapshot

__all__ = [
    "DATA_TABLES",
    "MIGRATIONS",
    "DecryptError",
    "Keys",
    "NotStoredError",
    "connect",
    "migrate",
    "quarantine",
    "read_raw",
    "snapshot",
]
_LAZY = {
    "NotStoredError": "wijkzicht.store.archive",
    "quarantine": "wijkzicht.store.archive",
    "read_raw": "wijkzicht.store.archive",
    "DecryptError": "wijkzicht.store.keys",
    "Keys": "wijkzicht.store.keys",
    "DATA_TABLES": "wijkzicht.store.schema",
    "MIGRATIONS": "wijkzicht.store.schema",
    "connect": "wijkzicht.store.schema",
    "migrate": "wijkzicht.store.schema",
    "snapshot": "wijkzicht.store.schema",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
