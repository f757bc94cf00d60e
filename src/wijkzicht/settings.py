"""Every setting of Wijkzicht, declared once: name, environment variable, default and help.

Settings are read from the environment (never at import time: call :func:`load`). The table in
``docs/settings.md`` is generated from :data:`SETTINGS` by :func:`markdown_table`; a test fails
when the two drift apart.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Setting:
    """One setting: ``name`` is the attribute on :class:`Settings`, ``env`` the variable."""

    name: str
    env: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str
    secret: bool = False


def _positive_int(text: str) -> int:
    value = int(text.replace("_", ""))
    if value <= 0:
        raise ValueError("must be a positive whole number")
    return value


def _flag(text: str) -> bool:
    if text.lower() in ("1", "true", "yes", "ja"):
        return True
    if text.lower() in ("0", "false", "no", "nee"):
        return False
    raise ValueError("must be 1/0, true/false or yes/no")


def _jvm_memory(text: str) -> str:
    """A JVM memory size as Spark takes it: a whole number with k, m, g or t (``8g``)."""
    value = text.strip().lower()
    if not re.fullmatch(r"[1-9]\d*[kmgt]", value):
        raise ValueError("must be a whole number followed by k, m, g or t, e.g. 8g")
    return value


MIB = 1024 * 1024

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "pseudonym_key",
        "WIJKZICHT_PSEUDONYM_KEY",
        None,
        "Secret from which the BSN pseudonym key and the raw-archive encryption key are derived "
        "(at least 16 characters). Keep it outside the data; the same secret gives the same "
        "pseudonyms in every source.",
        secret=True,
    ),
    Setting(
        "pseudonym_key_file",
        "WIJKZICHT_PSEUDONYM_KEY_FILE",
        None,
        "File holding the secret instead (surrounding whitespace is ignored). Set this or "
        "WIJKZICHT_PSEUDONYM_KEY, not both.",
        parse=Path,
    ),
    Setting(
        "ijw_xsd_dir",
        "WIJKZICHT_IJW_XSD_DIR",
        None,
        "Folder with the official iJw 3.2 XSDs (JW301.xsd … basisschema.xsd). When unset, only "
        "the built-in rules validate messages.",
        parse=Path,
    ),
    Setting(
        "db",
        "WIJKZICHT_DB",
        "wijkzicht.duckdb",
        "The DuckDB store file used when a command gets no --db.",
        parse=Path,
    ),
    Setting(
        "max_item_bytes",
        "WIJKZICHT_MAX_ITEM_BYTES",
        512 * MIB,
        "Largest single input file or zip member that is read, in bytes.",
        parse=_positive_int,
    ),
    Setting(
        "zip_max_total_bytes",
        "WIJKZICHT_ZIP_MAX_TOTAL_BYTES",
        4096 * MIB,
        "Largest total uncompressed size of one zip archive (declared and counted), in bytes.",
        parse=_positive_int,
    ),
    Setting(
        "zip_max_member_bytes",
        "WIJKZICHT_ZIP_MAX_MEMBER_BYTES",
        256 * MIB,
        "Largest uncompressed size of one zip member (declared and counted), in bytes.",
        parse=_positive_int,
    ),
    Setting(
        "zip_max_ratio",
        "WIJKZICHT_ZIP_MAX_RATIO",
        200,
        "Largest compression ratio (uncompressed / compressed) of a zip member larger than 1 MiB.",
        parse=_positive_int,
    ),
    Setting(
        "zip_max_members",
        "WIJKZICHT_ZIP_MAX_MEMBERS",
        200_000,
        "Most members one zip archive may hold.",
        parse=_positive_int,
    ),
    Setting(
        "ingest_workers",
        "WIJKZICHT_INGEST_WORKERS",
        2,
        "Worker processes that parse and validate when a run has many items.",
        parse=_positive_int,
    ),
    Setting(
        "ingest_batch",
        "WIJKZICHT_INGEST_BATCH",
        2000,
        "Items per write transaction (and per worker chunk).",
        parse=_positive_int,
    ),
    Setting(
        "ingest_batch_bytes",
        "WIJKZICHT_INGEST_BATCH_BYTES",
        8 * MIB,
        "Largest total size of the items in one write transaction, in bytes: a batch ends at "
        "WIJKZICHT_INGEST_BATCH items or at this size, whichever comes first (a larger item "
        "is a batch of its own). Keeps memory flat when many CSV files arrive together: their "
        "rows take ~10 times their size in memory, and three batches are in flight.",
        parse=_positive_int,
    ),
    Setting(
        "ingest_db_memory",
        "WIJKZICHT_INGEST_DB_MEMORY",
        4096 * MIB,
        "DuckDB's memory limit while `wijkzicht ingest` runs, in bytes (its buffer pool would "
        "otherwise grow with the store, up to 80 % of RAM); beyond it DuckDB evicts pages and "
        "spills to its temporary folder. One limit for the whole run (what DuckDB cannot "
        "evict grows with the store: at the full national profile's 15 GB store the run's "
        "last transaction needed more than 1 GiB). "
        "The previous limit is restored after the run.",
        parse=_positive_int,
    ),
    Setting(
        "indicators_db_memory",
        "WIJKZICHT_INDICATORS_DB_MEMORY",
        None,
        "DuckDB's memory limit while the indicators are computed on DuckDB, or the store is "
        "exported for `--engine spark`, in bytes. Unset: half of the machine's memory (or of "
        "its container's limit) on DuckDB, at most 4096 MiB for the export beside Spark's "
        "JVM (DuckDB's own default, 80 % of RAM, took ~20 GB for the national profile). "
        "Beyond it DuckDB spills to its temporary folder; too small a limit stops the "
        "computation with a message that names this setting. The previous limit is restored "
        "afterwards.",
        parse=_positive_int,
    ),
    Setting(
        "spark_driver_memory",
        "WIJKZICHT_SPARK_DRIVER_MEMORY",
        "3g",
        "Memory of the Spark driver for `--engine spark` (local mode: the driver does all the "
        "work), as the JVM takes it, e.g. 8g. Read when a process starts its first Spark "
        "session. The national profile needs more than the default: with 12g its full "
        "rebuild took 572 s on a 2-core, 24 GB machine (the JVM's RSS at most 13.0 GiB).",
        parse=_jvm_memory,
    ),
    Setting(
        "secret_key",
        "WIJKZICHT_SECRET_KEY",
        None,
        "Django secret key for the web server (sessions, CSRF; at least 32 characters). "
        "`wijkzicht serve` refuses to start without one, except in demo mode.",
        secret=True,
    ),
    Setting(
        "demo",
        "WIJKZICHT_DEMO",
        False,
        "Demo mode (set by `wijkzicht demo`): a known secret key and demo users. Never in "
        "production.",
        parse=_flag,
    ),
    Setting(
        "database_url",
        "DATABASE_URL",
        None,
        "The web's operational database (users, roles, notes, audit log), e.g. "
        "postgres://user@127.0.0.1:5432/wijkzicht. Unset: SQLite beside the store "
        "(<store>.web.sqlite3).",
    ),
    Setting(
        "allowed_hosts",
        "WIJKZICHT_ALLOWED_HOSTS",
        "127.0.0.1,localhost",
        "Host names the web server answers to, comma-separated.",
    ),
    Setting(
        "https",
        "WIJKZICHT_HTTPS",
        False,
        "Served behind HTTPS: secure cookies, HSTS.",
        parse=_flag,
    ),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


class Settings:
    """The values of all settings, as attributes (``settings.ijw_xsd_dir``)."""

    def __init__(self, values: Mapping[str, Any]):
        unknown = set(values) - set(BY_NAME)
        if unknown:
            raise SettingsError(f"unknown settings: {', '.join(sorted(unknown))}")
        self._values = {s.name: values.get(s.name, s.default) for s in SETTINGS}

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def replace(self, **changes: Any) -> Settings:
        return Settings({**self._values, **changes})

    def __repr__(self) -> str:
        shown = {
            k: ("***" if BY_NAME[k].secret and v is not None else v)
            for k, v in self._values.items()
        }
        return f"Settings({shown})"

    def secret(self) -> str:
        """The pseudonym secret from the key or the key file; raise SettingsError without one."""
        key, path = self.pseudonym_key, self.pseudonym_key_file
        if key and path:
            raise SettingsError(
                "both WIJKZICHT_PSEUDONYM_KEY and WIJKZICHT_PSEUDONYM_KEY_FILE are set; set one"
            )
        if path:
            try:
                key = Path(path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingsError(
                    f"cannot read WIJKZICHT_PSEUDONYM_KEY_FILE {path}: {exc.strerror}"
                ) from None
        if not key:
            raise SettingsError(
                "no pseudonym key: set WIJKZICHT_PSEUDONYM_KEY (or WIJKZICHT_PSEUDONYM_KEY_FILE) "
                "to a secret of at least 16 characters kept outside the data. "
                "Geen pseudoniemsleutel ingesteld."
            )
        if len(key) < 16:
            raise SettingsError("the pseudonym key is shorter than 16 characters")
        return key


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for s in SETTINGS:
        raw = env.get(s.env)
        if raw is None or raw == "":
            continue
        try:
            values[s.name] = s.parse(raw)
        except ValueError as exc:
            raise SettingsError(f"{s.env}={raw!r} is not valid: {exc}") from None
    return Settings(values)


def _default_text(s: Setting) -> str:
    if s.default is None:
        return "(unset)"
    if isinstance(s.default, int) and s.default >= MIB and s.default % MIB == 0:
        return f"{s.default} ({s.default // MIB} MiB)"
    return str(s.default)


def markdown_table() -> str:
    """The settings documentation (``docs/settings.md``), generated from :data:`SETTINGS`."""
    lines = [
        "# Settings",
        "",
        "Generated from `wijkzicht.settings.SETTINGS` by `wijkzicht.settings.markdown_table()`;",
        "do not edit by hand (a test compares this file with the declaration).",
        "",
        "| environment variable | default | meaning |",
        "| --- | --- | --- |",
    ]
    for s in SETTINGS:
        lines.append(f"| `{s.env}` | {_default_text(s)} | {s.help} |")
    return "\n".join(lines) + "\n"
