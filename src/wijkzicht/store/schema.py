"""The store's schema as an ordered list of migrations, and the connection helpers.

Each migration is a function that takes a connection; :func:`migrate` applies the ones whose
version is not yet in ``schema_version``, each in its own transaction, in order. A new table or
column is a new function appended to :data:`MIGRATIONS` — never edit an applied one.
See ``docs/store.md`` for what every table holds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

Migration = tuple[int, str, Callable[[duckdb.DuckDBPyConnection], None]]

# Columns shared by tables that describe a client inside one message.
_CLIENT = """
    client VARCHAR,                 -- HMAC pseudonym of the BSN
    geboortemaand DATE,             -- birth date reduced to the 1st of its month
    geboortedatum_gebruik VARCHAR,  -- iJw DatumGebruik: 1 day, 2 day+month, 3 all unknown
    geslacht VARCHAR                -- M / V / O (iJw 1 / 2 / 0)
"""


def _v1_core(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TABLE raw_items (
            key VARCHAR PRIMARY KEY,    -- sha256 (hex) of the item's bytes
            seq BIGINT NOT NULL,        -- order of first receipt
            kind VARCHAR NOT NULL,      -- ijw, bij, brp, bevolking, pc6, geojson, ervaring, zip, …
            source VARCHAR NOT NULL,    -- file path as given or found in a folder
            member VARCHAR,             -- zip member name (nested: outer!/inner)
            size BIGINT,                -- bytes (declared size when the item was refused unread)
            payload BLOB                -- zlib + AES-GCM encrypted bytes; NULL when refused unread
        )
        """
    )
    con.execute(
        """
        CREATE TABLE messages (
            key VARCHAR NOT NULL,       -- raw_items.key
            seq BIGINT NOT NULL,
            code VARCHAR,               -- JW301 …
            afzender VARCHAR,
            ontvanger VARCHAR,
            identificatie VARCHAR,      -- own id (IdentificatieRetour for retours)
            dagtekening DATE,
            ref_identificatie VARCHAR,  -- retour: heen BerichtIdentificatie; JW325: the JW323
            ref_dagtekening DATE,
            client VARCHAR,             -- pseudonym when the message is about one client
            status VARCHAR NOT NULL     -- accepted / quarantined
        )
        """
    )
    con.execute(
        """
        CREATE TABLE quarantine (
            key VARCHAR NOT NULL,       -- raw_items.key
            seq BIGINT NOT NULL,
            source VARCHAR NOT NULL,
            member VARCHAR,
            kind VARCHAR,
            code VARCHAR,
            identificatie VARCHAR,
            rule VARCHAR NOT NULL,
            path VARCHAR,
            reason VARCHAR NOT NULL,    -- English, names element and value (personal data masked)
            reason_nl VARCHAR NOT NULL,
            rules VARCHAR[]             -- every rule the item broke, first one in `rule`
        )
        """
    )
    con.execute(
        f"""
        CREATE TABLE toewijzingen (
            key VARCHAR, pos INTEGER, gemeente VARCHAR, aanbieder VARCHAR, {_CLIENT},
            juridische_status VARCHAR, wettelijke_vertegenwoordiging VARCHAR,
            toewijzing_nummer BIGINT, referentie_aanbieder VARCHAR,
            categorie VARCHAR, product_code VARCHAR,
            toewijzingsdatum DATE, toewijzingstijd TIME, ingangsdatum DATE, einddatum DATE,
            reden_wijziging VARCHAR, volume BIGINT, eenheid VARCHAR, frequentie VARCHAR,
            budget BIGINT
        )
        """
    )
    for table, extra in (
        ("starts", ""),
        ("stops", "reden_beeindiging VARCHAR, einddatum DATE,"),
    ):
        con.execute(
            f"""
            CREATE TABLE {table} (
                key VARCHAR, pos INTEGER, aanbieder VARCHAR, gemeente VARCHAR, {_CLIENT},
                toewijzing_nummer BIGINT, categorie VARCHAR, product_code VARCHAR,
                toewijzing_ingangsdatum DATE, begindatum DATE, {extra}
                status_aanlevering VARCHAR
            )
            """
        )
    con.execute(
        f"""
        CREATE TABLE verzoeken (
            key VARCHAR, pos INTEGER, aanbieder VARCHAR, gemeente VARCHAR, {_CLIENT},
            gezagsdrager_bekend VARCHAR, referentie_aanbieder VARCHAR, beschikking_nummer BIGINT,
            categorie VARCHAR, product_code VARCHAR, beschikking_ingangsdatum DATE,
            toewijzing_ingangsdatum DATE, toewijzing_einddatum DATE,
            volume BIGINT, eenheid VARCHAR, frequentie VARCHAR, budget BIGINT,
            verwijzer_type VARCHAR, verwijzer_zorgverlener_code VARCHAR, raamcontract VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE verzoek_wijzigingen (
            key VARCHAR, pos INTEGER, aanbieder VARCHAR, gemeente VARCHAR, client VARCHAR,
            referentie_aanbieder VARCHAR, reden_verzoek VARCHAR,
            soort VARCHAR,              -- ongewijzigd / te_wijzigen / nieuw
            toewijzing_nummer BIGINT, categorie VARCHAR, product_code VARCHAR,
            gewenste_ingangsdatum DATE, einddatum DATE,
            volume BIGINT, eenheid VARCHAR, frequentie VARCHAR, budget BIGINT
        )
        """
    )
    con.execute(
        """
        CREATE TABLE antwoorden (
            key VARCHAR, gemeente VARCHAR, aanbieder VARCHAR,
            referentie_aanbieder VARCHAR, verzoek_antwoord VARCHAR,
            reden_afwijzing VARCHAR, woonplaatsbeginsel_gemeente VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE prestaties (
            key VARCHAR, pos INTEGER, aanbieder VARCHAR, gemeente VARCHAR,
            declaratie_nummer VARCHAR, declaratie_begin DATE, declaratie_eind DATE,
            declaratie_dagtekening DATE, client VARCHAR,
            referentie_nummer VARCHAR, vorig_referentie_nummer VARCHAR,
            toewijzing_nummer BIGINT, categorie VARCHAR, product_code VARCHAR,
            begindatum DATE, einddatum DATE, geleverd_volume BIGINT, eenheid VARCHAR,
            product_tarief BIGINT, bedrag BIGINT, debet_credit VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE declaratie_antwoorden (
            key VARCHAR, gemeente VARCHAR, aanbieder VARCHAR,
            declaratie_identificatie VARCHAR, declaratie_dagtekening DATE,
            declaratie_nummer VARCHAR, totaal_ingediend BIGINT, ingediend_debet_credit VARCHAR,
            totaal_toegekend BIGINT, toegekend_debet_credit VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE retourcodes (
            key VARCHAR, pos INTEGER,
            code VARCHAR,               -- the message carrying the code (JW302 … JW325)
            klasse VARCHAR,             -- Header, Client, ToegewezenProduct, Prestatie, …
            sleutel VARCHAR,            -- ToewijzingNummer / ReferentieAanbieder / ReferentieNummer
            client VARCHAR,
            retourcode VARCHAR
        )
        """
    )
    con.execute(
        f"""
        CREATE TABLE bij_records (
            key VARCHAR, pos INTEGER, {_CLIENT},
            gemeente_code VARCHAR, wijk_code VARCHAR, buurt_code VARCHAR,
            aanbieder VARCHAR, verwijzer VARCHAR, hulpvorm VARCHAR, gestart_met_crisis VARCHAR,
            datum_aanvang DATE, datum_einde DATE, reden_beeindiging VARCHAR
        )
        """
    )
    con.execute(
        f"""
        CREATE TABLE address_history (
            key VARCHAR, pos INTEGER,
            bron VARCHAR,               -- brp / jw301
            {_CLIENT},
            gezagsdrager VARCHAR,       -- pseudonym (BRP only)
            valid_from DATE, valid_to DATE,  -- valid_to exclusive, NULL = current / unknown
            gemeente_code VARCHAR, wijk_code VARCHAR, buurt_code VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE address_pending (
            tabel VARCHAR, key VARCHAR, pos INTEGER,
            postcode VARCHAR, huisnummer INTEGER
        )
        """
    )
    con.execute(
        """
        CREATE TABLE pc6_adressen (
            jaar INTEGER, postcode VARCHAR, huisnummer INTEGER,
            buurt_code VARCHAR, wijk_code VARCHAR, gemeente_code VARCHAR,
            PRIMARY KEY (jaar, postcode, huisnummer)
        )
        """
    )
    con.execute(
        """
        CREATE TABLE population (
            jaar INTEGER, gemeente_code VARCHAR, wijk_code VARCHAR, buurt_code VARCHAR,
            leeftijd_van INTEGER, leeftijd_tot INTEGER, aantal INTEGER,
            PRIMARY KEY (jaar, buurt_code, leeftijd_van)
        )
        """
    )
    con.execute(
        """
        CREATE TABLE areas (
            code VARCHAR PRIMARY KEY,   -- GM…, WK…, BU…
            soort VARCHAR, naam VARCHAR, gemeente_code VARCHAR, wijk_code VARCHAR,
            geometry VARCHAR,           -- GeoJSON geometry, as delivered
            crs VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE ervaring (
            key VARCHAR, pos INTEGER, client VARCHAR, aanbieder VARCHAR, jaar INTEGER,
            nut_effect INTEGER, tevredenheid INTEGER, zonder_hulp_verder BOOLEAN
        )
        """
    )
    con.execute(
        """
        CREATE TABLE ingest_log (
            run_id VARCHAR PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP,
            status VARCHAR, received BIGINT, accepted BIGINT, quarantined BIGINT,
            duplicates BIGINT, arguments VARCHAR
        )
        """
    )


# Tables whose rows may belong to a message that a cross-message (level-3) rule quarantined:
# the rows stay (the rule is re-checked every run) and analysis reads ``accepted_<table>``.
ACCEPTED_VIEWS = (
    "toewijzingen",
    "starts",
    "stops",
    "verzoeken",
    "verzoek_wijzigingen",
    "antwoorden",
    "prestaties",
    "declaratie_antwoorden",
    "retourcodes",
    "address_history",
)


def _v2_crosscheck(con: duckdb.DuckDBPyConnection) -> None:
    """Views ``accepted_<table>`` without the rows of quarantined messages (the level-3 rules,
    :mod:`wijkzicht.ingest.crosscheck`, keep those rows); ``ingest_log.reclassified``.

    A later migration that adds a column to one of these tables must recreate its view."""
    for table in ACCEPTED_VIEWS:
        con.execute(
            f"""
            CREATE VIEW accepted_{table} AS
            SELECT * FROM {table}
            WHERE key NOT IN (SELECT key FROM messages WHERE status = 'quarantined')
            """  # noqa: S608 - fixed table names
        )
    con.execute("ALTER TABLE ingest_log ADD COLUMN reclassified BIGINT")


def _v3_results(con: duckdb.DuckDBPyConnection) -> None:
    """``indicator_results``: every indicator, raw and public, as of one state of the store
    (written by :mod:`wijkzicht.indicators.results`); ``area_kenmerken``: area
    characteristics (CBS *Kerncijfers wijken en buurten*) used to find similar areas."""
    con.execute(
        """
        CREATE TABLE indicator_results (
            indicator VARCHAR NOT NULL, area_code VARCHAR NOT NULL, period VARCHAR NOT NULL,
            numerator DOUBLE, denominator DOUBLE, value DOUBLE,          -- exact (analysts)
            pub_numerator DOUBLE, pub_denominator DOUBLE, pub_value DOUBLE,  -- disclosure-
            suppressed BOOLEAN NOT NULL,                                 -- controlled
            PRIMARY KEY (indicator, area_code, period)
        )
        """
    )
    con.execute(
        """
        CREATE TABLE indicator_results_state (
            state VARCHAR NOT NULL,       -- the store state the results were computed from
            computed TIMESTAMP NOT NULL, seconds DOUBLE, rows BIGINT,
            providers VARCHAR             -- the providers table used (path), if any
        )
        """
    )
    con.execute(
        """
        CREATE TABLE area_kenmerken (
            area_code VARCHAR NOT NULL, jaar INTEGER NOT NULL,
            inwoners INTEGER, huishoudens INTEGER,
            pct_laag_inkomen DOUBLE,       -- households with a low income, % of households
            pct_eenouder DOUBLE,           -- one-parent households, % of households
            pct_uitkering DOUBLE,          -- residents on a benefit (bijstand), % of 15-64
            PRIMARY KEY (area_code, jaar)
        )
        """
    )


# The first 124 bits of an item's sha256 (its ``key``, 64 hex digits) as a number: what the
# duplicate check compares (``raw_items.k``). Python: :func:`item_number`. (A HUGEINT: DuckDB
# casts hex text to UHUGEINT ~40 times slower, and Python ints of 2^127 and more do not bind.)
ITEM_NUMBER_SQL = "('0x' || left({key}, 31))::HUGEINT"


def item_number(key: str) -> int:
    """``raw_items.k`` of an item key: the first 124 bits of its sha256 (ITEM_NUMBER_SQL)."""
    return int(key[:31], 16)


def _v4_item_numbers(con: duckdb.DuckDBPyConnection) -> None:
    """``raw_items`` without its primary key, with ``k``: the first 124 bits of the key.

    DuckDB holds an index whole in memory (~115 bytes per item for the sha256 text), so the
    writing process grew with the store: ~1.5 GB more for a national store. The duplicate
    check now joins a batch's numbers with the ``k`` column (a scan of 16 bytes per stored
    item, which the buffer manager may evict). Two different items share the first 124 bits of
    their sha256 with a probability of ~4 × 10^-24 in a store of 13 million items."""
    con.execute(
        f"""
        CREATE TABLE raw_items_v4 AS
        SELECT key, seq, kind, source, member, size, payload,
               {ITEM_NUMBER_SQL.format(key="key")} AS k
        FROM raw_items ORDER BY seq
        """  # noqa: S608 - a fixed expression
    )
    con.execute("DROP TABLE raw_items")
    con.execute("ALTER TABLE raw_items_v4 RENAME TO raw_items")
    for column in ("key", "seq", "kind", "source", "k"):
        con.execute(f"ALTER TABLE raw_items ALTER COLUMN {column} SET NOT NULL")


MIGRATIONS: list[Migration] = [
    (1, "core tables: raw archive, messages, quarantine, per-type, areas, ingest log", _v1_core),
    (2, "accepted_* views for analysis; ingest_log.reclassified (level-3 rules)", _v2_crosscheck),
    (3, "indicator_results (raw and public) and area_kenmerken", _v3_results),
    (4, "raw_items.k (124 bits of the key) for duplicate checks, no index", _v4_item_numbers),
]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


class StoreVersionError(RuntimeError):
    """The store was written by a newer Wijkzicht than this one."""


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply pending migrations in order; return the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR)"
    )
    done = current_version(con)
    latest = MIGRATIONS[-1][0]
    if done > latest:
        raise StoreVersionError(
            f"the store has schema version {done}; this Wijkzicht knows up to {latest}: upgrade"
        )
    applied = []
    for version, name, fn in MIGRATIONS:
        if version <= done:
            continue
        con.begin()
        try:
            fn(con)
            con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, name])
            con.commit()
        except BaseException:
            con.rollback()
            raise
        applied.append(version)
    return applied


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store; a writable connection is migrated to the latest schema first.

    DuckDB's progress bar is off: during a query of more than two seconds it writes to
    standard output even into a pipe or a file, which would corrupt ``--json`` and CSV output."""
    if read_only:
        if not Path(path).exists():
            raise FileNotFoundError(f"store {path} does not exist")
        con = duckdb.connect(str(path), read_only=True)
    else:
        con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false; SET enable_progress_bar_print = false")
    if not read_only:
        migrate(con)
    return con


# Tables that hold data (everything except the log and the schema bookkeeping).
DATA_TABLES = (
    "raw_items",
    "messages",
    "quarantine",
    *ACCEPTED_VIEWS,
    "bij_records",
    "address_pending",
    "pc6_adressen",
    "population",
    "areas",
    "area_kenmerken",
    "ervaring",
    "indicator_results",
    "indicator_results_state",
)


def snapshot(
    con: duckdb.DuckDBPyConnection, exclude: tuple[str, ...] = ("ingest_log",)
) -> dict[str, list[tuple]]:
    """Every table's rows in a canonical order (to compare two stores)."""
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    return {
        t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall()  # noqa: S608 - catalog names
        for t in tables
        if t not in exclude
    }
