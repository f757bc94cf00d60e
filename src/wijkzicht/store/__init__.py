"""The analytics store: one DuckDB file, its schema and migrations, the encrypted raw archive.

See ``docs/store.md`` for the tables.

The names below are imported on first use: ingest worker processes need
:mod:`wijkzicht.store.keys` only, not DuckDB.
"""

from __future__ import annotations

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "archive": ["NotStoredError", "quarantine", "read_raw"],
        "keys": ["DecryptError", "Keys"],
        "schema": ["DATA_TABLES", "MIGRATIONS", "connect", "migrate", "snapshot"],
    },
)
