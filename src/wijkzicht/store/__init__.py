"""The analytics store: one DuckDB file, its schema and migrations, the encrypted raw archive.

See ``docs/store.md`` for the tables.
"""

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
