"""Reading back what the ingest stored: raw items (decrypted, for an authorised caller who
holds the secret) and the quarantine list."""

from __future__ import annotations

import re
from typing import Any

import duckdb

from wijkzicht.store.keys import Keys
from wijkzicht.store.schema import item_number

_SHA256_HEX = re.compile("[0-9a-f]{64}")
QUARANTINE_COLUMNS = (
    "seq",
    "source",
    "member",
    "kind",
    "code",
    "identificatie",
    "rule",
    "path",
    "reason",
    "reason_nl",
    "key",
)


class NotStoredError(KeyError):
    """No raw item with this key, or it was refused without being read."""


def read_raw(con: duckdb.DuckDBPyConnection, key: str, keys: Keys) -> bytes:
    """The original bytes of a received item. Needs the secret the item was stored with.

    The raw bytes hold BSNs and names: callers are responsible for authorising (and, in the
    web layer, audit-logging) every use.
    """
    if not _SHA256_HEX.fullmatch(key):
        raise NotStoredError(f"no raw item {key[:80]}: a key is a sha256 in hex")
    row = con.execute(  # a scan of k, then the key where it matches
        "SELECT payload FROM raw_items WHERE k = ? AND key = ?", [item_number(key), key]
    ).fetchone()
    if row is None:
        raise NotStoredError(f"no raw item {key}")
    if row[0] is None:
        raise NotStoredError(f"raw item {key} was refused without being read; no bytes are kept")
    return keys.decrypt(bytes(row[0]), key)


def quarantine(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every quarantined item in order of receipt."""
    cols = ", ".join(QUARANTINE_COLUMNS)
    cur = con.execute(f"SELECT {cols} FROM quarantine ORDER BY seq")  # noqa: S608 - fixed names
    return [dict(zip(QUARANTINE_COLUMNS, r, strict=True)) for r in cur.fetchall()]
