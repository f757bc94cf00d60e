"""Cross-message (level-3, *berichtoverstijgend*) rules of iJw 3.2, checked over the whole store.

A message that passed levels 1–2 (XSD, reader, :func:`wijkzicht.ijw.rules.check_message`) is
*eligible*; its rows are in the per-type tables whatever its level-3 outcome. Its level-3
status is a **deterministic function of the set of eligible messages in the store** — never of
the order in which they arrived — recomputed by :func:`crosscheck` with set-based SQL at the end
of every ingest run, in the run's last transaction. A message that looked wrong only because its
predecessor had not arrived yet is accepted again once the predecessor is stored (its
quarantine row disappears); the same files ingested in any order, in one run or many, give the
same store (``seq`` aside, which records the order of receipt).

"Earlier" is decided by content: the header Dagtekening, ties broken by the lowest sha256
(item key). The rules are applied in strata; a message rejected in one stratum counts as "not
sent" (OP286) for the later ones:

1. TR056 over all eligible heenberichten (retours are exempt);
2. TR332 over the toewijzingen of the messages that passed 1;
3. TR063, TR074 over the starts, then the *current* starts (StatusAanlevering 1 of a message that
   passed, not deleted by a 3 with the same key in a message of the same or a later day);
4. TR063, TR074, TR382 over the stops; then TR413–TR415 among the current stops of each start;
5. TR338 and TR304 for JW323 prestaties and JW325 prestaties against the toewijzingen of the
   JW301s that passed 1–2.

Within a stratum every rule sees the same input, so the outcome is a plain function (no fixed
point to look for). Rows of quarantined messages stay in their tables; analysis reads the
``accepted_<table>`` views (``docs/store.md``).
"""

# Every SQL statement here is built from constants of this module, never from data:
# ruff: noqa: S608

from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb

from wijkzicht.ingest.redact import MASK

HEEN = ("JW301", "JW305", "JW307", "JW315", "JW317", "JW319", "JW323", "JW325")


@dataclass(frozen=True)
class Level3Rule:
    code: str
    retourcode: str
    messages: tuple[str, ...]
    nl: str
    en: str


# In order of priority: a message breaking several shows the first in ``quarantine.rule``.
LEVEL3: tuple[Level3Rule, ...] = (
    Level3Rule(
        "TR056",
        "9056",
        HEEN,
        "Identificatie is per berichtsoort uniek voor de verzendende partij.",
        "Identificatie is unique per message type for the sender.",
    ),
    Level3Rule(
        "TR332",
        "9332",
        ("JW301",),
        "Een ToewijzingNummer hoort binnen een gemeente bij één cliënt.",
        "A ToewijzingNummer belongs to one client within a gemeente.",
    ),
    Level3Rule(
        "TR063",
        "9063",
        ("JW305", "JW307"),
        "StatusAanlevering 3 vereist een eerdere aanlevering met dezelfde logische sleutel.",
        "StatusAanlevering 3 requires an earlier delivery with the same logical key.",
    ),
    Level3Rule(
        "TR074",
        "9074",
        ("JW305", "JW307"),
        "Bij StatusAanlevering 1 is de sleutel uniek ten opzichte van eerdere berichten.",
        "With StatusAanlevering 1 the key is unique against earlier messages.",
    ),
    Level3Rule(
        "TR382",
        "9069",
        ("JW307",),
        "Een stop draagt ongewijzigd de sleutel van een bestaande start.",
        "A stop carries the key of an existing start unchanged.",
    ),
    Level3Rule(
        "TR413",
        "9413",
        ("JW307",),
        "Per start hoogstens één tijdelijke stop (RedenBeeindiging 20).",
        "At most one temporary stop (RedenBeeindiging 20) per start.",
    ),
    Level3Rule(
        "TR414",
        "9414",
        ("JW307",),
        "Een volgende stop van dezelfde start heeft een Einddatum op of na de eerdere.",
        "A later stop of the same start has an Einddatum on or after the earlier one.",
    ),
    Level3Rule(
        "TR415",
        "9415",
        ("JW307",),
        "Geen stop meer na een definitieve stop (RedenBeeindiging niet 20) van dezelfde start.",
        "No stop after a definitive stop (RedenBeeindiging not 20) of the same start.",
    ),
    Level3Rule(
        "TR338",
        "9338",
        ("JW323",),
        "Een prestatie verwijst via ToewijzingNummer naar een toewijzing van de gemeente.",
        "A prestatie refers by ToewijzingNummer to a toewijzing of the gemeente.",
    ),
    Level3Rule(
        "TR304",
        "8187",
        ("JW323", "JW325"),
        "De cliënt (Bsn) is de cliënt van de toewijzing waarnaar verwezen wordt.",
        "The client (Bsn) is the client of the referenced toewijzing.",
    ),
)
LEVEL3_CODES = tuple(r.code for r in LEVEL3)
_PRIO = {code: i for i, code in enumerate(LEVEL3_CODES, 1)}


@dataclass(frozen=True)
class Checked:
    """What one :func:`crosscheck` changed. ``to_quarantine``/``to_accepted`` count items with
    ``seq >= since`` (the current run); ``reclassified`` counts earlier items whose status
    changed either way."""

    to_quarantine: int
    to_accepted: int
    reclassified: int
    quarantined: int  # messages quarantined by a level-3 rule after the check
    seconds: float


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _mask(col: str) -> str:
    """Every run of exactly nine digits (a BSN shape) masked, as in level-2 reasons
    (:mod:`wijkzicht.ingest.redact`); twice, because a match consumes its right neighbour."""
    once = f"regexp_replace({col}, '(^|[^0-9])[0-9]{{9}}([^0-9]|$)', '\\1{MASK}\\2', 'g')"
    return f"regexp_replace({once}, '(^|[^0-9])[0-9]{{9}}([^0-9]|$)', '\\1{MASK}\\2', 'g')"


def _d(col: str) -> str:
    return f"strftime({col}, '%Y-%m-%d')"


def _key(a: str) -> str:
    """Logical key of a start, and the start part of a stop's key (TR382/IV008): parties,
    client, ToewijzingNummer, Product, Begindatum. NULL parts (taakgericht) compare equal."""
    cols = (
        f"{a}.aanbieder",
        f"{a}.gemeente",
        f"{a}.client",
        f"CAST({a}.toewijzing_nummer AS VARCHAR)",
        f"{a}.categorie",
        f"{a}.product_code",
        f"CAST({a}.begindatum AS VARCHAR)",
    )
    return "concat_ws(chr(31), " + ", ".join(f"coalesce({c}, '')" for c in cols) + ")"


def _show(a: str) -> str:
    """The start key in words: element names and values, never the client."""
    return (
        f"concat_ws(', ', 'ToewijzingNummer ' || {a}.toewijzing_nummer, "
        f"'Product ' || {a}.categorie || coalesce('/' || {a}.product_code, ''), "
        f"'Begindatum ' || {_d(a + '.begindatum')})"
    )


_EARLIER = "(b.dag < a.dag OR (b.dag = a.dag AND b.key < a.key))"
_L3 = _sql_list(LEVEL3_CODES)


def _status_rules(table: str, code: str, item: str, key: str, p063: int, p074: int) -> list[str]:
    """TR063 and TR074 over the rows of ``table`` (starts or stops) by logical key ``key``."""
    path = f"'{code}/Client/{item}en/{item}[' || (a.pos + 1) || ']/StatusAanlevering'"
    return [
        f"""
        INSERT INTO _x_f
        SELECT a.key, {p063}, a.pos, 'TR063', {path},
            'StatusAanlevering 3 deletes a {item} (' || a.descr || ') that was not delivered '
                || 'before (TR063)',
            'StatusAanlevering 3 verwijdert een {item} (' || a.descr || ') dat niet eerder is '
                || 'aangeleverd (TR063)'
        FROM {table} a
        WHERE a.status = '3' AND NOT EXISTS (
            SELECT 1 FROM {table} b
            WHERE b.{key} = a.{key} AND b.status = '1' AND b.key <> a.key AND b.dag <= a.dag)
        """,
        f"""
        INSERT INTO _x_f
        SELECT a.key, {p074}, a.pos, 'TR074', {path},
            'a {item} (' || a.descr || ') with StatusAanlevering 1 was already delivered in an '
                || 'earlier message and not deleted (TR074)',
            'een {item} (' || a.descr || ') met StatusAanlevering 1 is al aangeleverd in een '
                || 'eerder bericht en niet verwijderd (TR074)'
        FROM {table} a
        WHERE a.status = '1' AND EXISTS (
            SELECT 1 FROM {table} b
            WHERE b.{key} = a.{key} AND b.status = '1' AND b.key <> a.key AND {_EARLIER}
              AND NOT EXISTS (
                SELECT 1 FROM {table} c
                WHERE c.{key} = a.{key} AND c.status = '3' AND c.key <> b.key
                  AND c.dag BETWEEN b.dag AND a.dag))
        """,
    ]


# TR304: row ``a`` names a toewijzing that exists (accepted) but belongs to another client.
_CLIENT_OF_ANOTHER = """
        WHERE EXISTS (
            SELECT 1 FROM _x_tw_ok t
            WHERE t.gemeente = a.gemeente AND t.aanbieder = a.aanbieder
              AND t.toewijzing_nummer = a.toewijzing_nummer)
          AND NOT EXISTS (
            SELECT 1 FROM _x_tw_ok t
            WHERE t.gemeente = a.gemeente AND t.aanbieder = a.aanbieder
              AND t.toewijzing_nummer = a.toewijzing_nummer
              AND t.client IS NOT DISTINCT FROM a.client)"""


def _statements() -> list[str]:
    p = _PRIO
    stop_path = "'JW307/Client/StopProducten/StopProduct[' || (a.pos + 1) || ']"
    decl = "JW323/Declaratie/Clienten/Client"
    ref = "'[ProductReferentie/ReferentieNummer=''' || a.referentie_nummer || ''']'"
    return [
        # ---------------------------------------------------------------- eligible messages
        f"""
        CREATE OR REPLACE TEMP TABLE _x_elig AS
        SELECT m.key, m.code, m.afzender, m.ontvanger, m.identificatie, m.dagtekening AS dag,
               m.status
        FROM messages m
        WHERE m.code IN ({_sql_list(HEEN)})
          AND m.key NOT IN (SELECT key FROM quarantine WHERE rule NOT IN ({_L3}))
        """,
        """
        CREATE OR REPLACE TEMP TABLE _x_f (
            key VARCHAR, prio INTEGER, ord INTEGER, rule VARCHAR, path VARCHAR,
            en VARCHAR, nl VARCHAR)
        """,
        # ---------------------------------------------------------------- 1. TR056
        f"""
        INSERT INTO _x_f
        SELECT key, {p["TR056"]}, 0, 'TR056', code || '/Header/BerichtIdentificatie/Identificatie',
            'Identificatie ' || identificatie || ' was already used by afzender ' || afzender
                || ' for another ' || code || ' (Dagtekening ' || {_d("first_dag")} || ') (TR056)',
            'Identificatie ' || identificatie || ' is al gebruikt door afzender ' || afzender
                || ' voor een ander ' || code || '-bericht (Dagtekening ' || {_d("first_dag")}
                || ') (TR056)'
        FROM (
            SELECT *, row_number() OVER w AS n, first_value(dag) OVER w AS first_dag
            FROM _x_elig WHERE identificatie IS NOT NULL
            WINDOW w AS (PARTITION BY code, afzender, identificatie ORDER BY dag, key)
        ) WHERE n > 1
        """,
        "CREATE OR REPLACE TEMP TABLE _x_ok AS "
        "SELECT * FROM _x_elig WHERE key NOT IN (SELECT key FROM _x_f)",
        # ---------------------------------------------------------------- 2. TR332
        """
        CREATE OR REPLACE TEMP TABLE _x_tw AS
        SELECT t.key, t.pos, t.gemeente, t.aanbieder, t.client, t.toewijzing_nummer, e.dag
        FROM toewijzingen t JOIN _x_ok e ON e.key = t.key
        """,
        f"""
        INSERT INTO _x_f
        SELECT key, {p["TR332"]}, pos, 'TR332',
            'JW301/Client/ToegewezenProducten/ToegewezenProduct[' || (pos + 1)
                || ']/ToewijzingNummer',
            'ToewijzingNummer ' || toewijzing_nummer || ' of gemeente ' || gemeente
                || ' already belongs to another client (first used on ' || {_d("first_dag")}
                || ') (TR332)',
            'ToewijzingNummer ' || toewijzing_nummer || ' van gemeente ' || gemeente
                || ' hoort al bij een andere cliënt (eerst gebruikt op ' || {_d("first_dag")}
                || ') (TR332)'
        FROM (
            SELECT *, first_value(client) OVER w AS owner, first_value(dag) OVER w AS first_dag
            FROM _x_tw
            WINDOW w AS (PARTITION BY gemeente, toewijzing_nummer ORDER BY dag, key, pos)
        ) WHERE client IS DISTINCT FROM owner
        """,
        """
        CREATE OR REPLACE TEMP TABLE _x_tw_ok AS
        SELECT DISTINCT gemeente, aanbieder, toewijzing_nummer, client FROM _x_tw
        WHERE key NOT IN (SELECT key FROM _x_f WHERE rule = 'TR332')
        """,
        # ---------------------------------------------------------------- 3. starts
        f"""
        CREATE OR REPLACE TEMP TABLE _x_st AS
        SELECT s.key, s.pos, e.dag, s.status_aanlevering AS status, {_key("s")} AS k,
            {_show("s")} AS descr
        FROM starts s JOIN _x_ok e ON e.key = s.key
        """,
        *_status_rules("_x_st", "JW305", "StartProduct", "k", p["TR063"], p["TR074"]),
        """
        CREATE OR REPLACE TEMP TABLE _x_st_ok AS
        SELECT * FROM _x_st
        WHERE key NOT IN (SELECT key FROM _x_f WHERE rule IN ('TR063', 'TR074'))
        """,
        """
        CREATE OR REPLACE TEMP TABLE _x_current_starts AS
        SELECT DISTINCT a.k FROM _x_st_ok a
        WHERE a.status = '1' AND NOT EXISTS (
            SELECT 1 FROM _x_st_ok c
            WHERE c.k = a.k AND c.status = '3' AND c.key <> a.key AND c.dag >= a.dag)
        """,
        # ---------------------------------------------------------------- 4. stops
        f"""
        CREATE OR REPLACE TEMP TABLE _x_sp AS
        SELECT s.key, s.pos, e.dag, s.status_aanlevering AS status,
            s.reden_beeindiging AS reden, s.einddatum, {_key("s")} AS k,
            {_key("s")} || chr(31) || coalesce(s.reden_beeindiging, '') || chr(31)
                || coalesce(CAST(s.einddatum AS VARCHAR), '') AS sk,
            {_show("s")} AS descr
        FROM stops s JOIN _x_ok e ON e.key = s.key
        """,
        *_status_rules("_x_sp", "JW307", "StopProduct", "sk", p["TR063"], p["TR074"]),
        f"""
        INSERT INTO _x_f
        SELECT a.key, {p["TR382"]}, a.pos, 'TR382', {stop_path}/Begindatum',
            'the StopProduct refers to a start (' || a.descr || ') that was not delivered or '
                || 'was deleted (TR382)',
            'het StopProduct verwijst naar een start (' || a.descr || ') die niet is '
                || 'aangeleverd of is verwijderd (TR382)'
        FROM _x_sp a
        WHERE a.status = '1' AND a.k NOT IN (SELECT k FROM _x_current_starts)
        """,
        """
        CREATE OR REPLACE TEMP TABLE _x_sp_ok AS
        SELECT * FROM _x_sp
        WHERE key NOT IN (SELECT key FROM _x_f WHERE rule IN ('TR063', 'TR074', 'TR382'))
        """,
        """
        CREATE OR REPLACE TEMP TABLE _x_sp_cur AS
        SELECT * FROM _x_sp_ok a
        WHERE a.status = '1' AND NOT EXISTS (
            SELECT 1 FROM _x_sp_ok c
            WHERE c.sk = a.sk AND c.status = '3' AND c.key <> a.key AND c.dag >= a.dag)
        """,
        f"""
        INSERT INTO _x_f
        SELECT a.key, {p["TR413"]}, a.pos, 'TR413', {stop_path}/RedenBeeindiging',
            'RedenBeeindiging 20: a second temporary stop of the start (' || a.descr || ') (TR413)',
            'RedenBeeindiging 20: een tweede tijdelijke stop van de start (' || a.descr
                || ') (TR413)'
        FROM _x_sp_cur a
        WHERE a.reden = '20' AND EXISTS (
            SELECT 1 FROM _x_sp_cur b
            WHERE b.k = a.k AND b.key <> a.key AND b.reden = '20' AND {_EARLIER})
        """,
        f"""
        INSERT INTO _x_f
        SELECT key, {p["TR414"]}, pos, 'TR414',
            'JW307/Client/StopProducten/StopProduct[' || (pos + 1) || ']/Einddatum',
            'Einddatum ' || {_d("einddatum")} || ' is before Einddatum ' || {_d("prev_end")}
                || ' of an earlier stop of the start (' || descr || ') (TR414)',
            'Einddatum ' || {_d("einddatum")} || ' ligt vóór Einddatum ' || {_d("prev_end")}
                || ' van een eerdere stop van de start (' || descr || ') (TR414)'
        FROM (
            SELECT a.*, (
                SELECT max(b.einddatum) FROM _x_sp_cur b
                WHERE b.k = a.k AND b.key <> a.key AND {_EARLIER}) AS prev_end
            FROM _x_sp_cur a
        ) WHERE einddatum < prev_end
        """,
        f"""
        INSERT INTO _x_f
        SELECT key, {p["TR415"]}, pos, 'TR415',
            'JW307/Client/StopProducten/StopProduct[' || (pos + 1) || ']',
            'the start (' || descr || ') was already ended for good by an earlier stop '
                || '(RedenBeeindiging ' || ended || ') (TR415)',
            'de start (' || descr || ') is al definitief beëindigd door een eerdere stop '
                || '(RedenBeeindiging ' || ended || ') (TR415)'
        FROM (
            SELECT a.*, (
                SELECT min(b.reden) FROM _x_sp_cur b
                WHERE b.k = a.k AND b.key <> a.key AND b.reden <> '20' AND {_EARLIER}) AS ended
            FROM _x_sp_cur a
        ) WHERE ended IS NOT NULL
        """,
        # ---------------------------------------------------------------- 5. declaraties
        """
        CREATE OR REPLACE TEMP TABLE _x_pr AS
        SELECT p.key, p.pos, p.gemeente, p.aanbieder, p.client, p.toewijzing_nummer,
            p.referentie_nummer
        FROM prestaties p JOIN _x_ok e ON e.key = p.key
        """,
        f"""
        INSERT INTO _x_f
        SELECT a.key, {p["TR338"]}, a.pos, 'TR338',
            '{decl}/Prestaties/Prestatie' || {ref} || '/ToewijzingNummer',
            'ToewijzingNummer ' || a.toewijzing_nummer || ' refers to no toewijzing of gemeente '
                || a.gemeente || ' to aanbieder ' || a.aanbieder || ' (TR338)',
            'ToewijzingNummer ' || a.toewijzing_nummer || ' verwijst niet naar een toewijzing '
                || 'van gemeente ' || a.gemeente || ' aan aanbieder ' || a.aanbieder || ' (TR338)'
        FROM _x_pr a
        WHERE NOT EXISTS (
            SELECT 1 FROM _x_tw_ok t
            WHERE t.gemeente = a.gemeente AND t.aanbieder = a.aanbieder
              AND t.toewijzing_nummer = a.toewijzing_nummer)
        """,
        f"""
        INSERT INTO _x_f
        SELECT a.key, {p["TR304"]}, a.pos, 'TR304', '{decl}/Bsn',
            'the client (Bsn) of Prestatie ' || a.referentie_nummer
                || ' is not the client of toewijzing ' || a.toewijzing_nummer || ' (TR304)',
            'de cliënt (Bsn) van Prestatie ' || a.referentie_nummer
                || ' is niet de cliënt van toewijzing ' || a.toewijzing_nummer || ' (TR304)'
        FROM _x_pr a
        {_CLIENT_OF_ANOTHER}
        """,
        # A JW325 (sent by the gemeente) lists rejected prestaties; ``sleutel`` holds their
        # ToewijzingNummer (wijkzicht.ingest.ijw_rows).
        """
        CREATE OR REPLACE TEMP TABLE _x_r325 AS
        SELECT r.key, r.pos, e.afzender AS gemeente, e.ontvanger AS aanbieder, r.client,
            TRY_CAST(r.sleutel AS BIGINT) AS toewijzing_nummer
        FROM retourcodes r JOIN _x_ok e ON e.key = r.key
        WHERE e.code = 'JW325' AND r.klasse = 'Prestatie'
        """,
        f"""
        INSERT INTO _x_f
        SELECT DISTINCT a.key, {p["TR304"]}, a.pos, 'TR304',
            'JW325/DeclaratieAntwoord/Clienten/Client/Bsn',
            'the client (Bsn) of a Prestatie with ToewijzingNummer ' || a.toewijzing_nummer
                || ' is not the client of that toewijzing (TR304)',
            'de cliënt (Bsn) van een Prestatie met ToewijzingNummer ' || a.toewijzing_nummer
                || ' is niet de cliënt van die toewijzing (TR304)'
        FROM _x_r325 a
        {_CLIENT_OF_ANOTHER}
        """,
        # ---------------------------------------------------------------- per message
        """
        CREATE OR REPLACE TEMP TABLE _x_q AS
        WITH firsts AS (
            SELECT key, rule, path, en, nl,
                row_number() OVER (PARTITION BY key ORDER BY prio, ord, path) AS n
            FROM _x_f
        ), alls AS (
            SELECT key, list(rule ORDER BY prio) AS rules
            FROM (SELECT DISTINCT key, rule, prio FROM _x_f) GROUP BY key
        )
        SELECT f.key, f.rule, f.path, f.en, f.nl, e.rules
        FROM firsts f JOIN alls e ON e.key = f.key WHERE f.n = 1
        """,
    ]


_STATEMENTS = _statements()
_TEMP = ("elig", "f", "ok", "tw", "tw_ok", "st", "st_ok", "current_starts", "sp", "sp_ok",
         "sp_cur", "pr", "r325", "q", "changes")  # fmt: skip


def crosscheck(con: duckdb.DuckDBPyConnection, since: int | None = None) -> Checked:
    """Recompute the level-3 status of every eligible message and the quarantine rows of the
    level-3 rules. Runs inside the caller's transaction (``ingest`` calls it in its last one).

    ``since``: the first ``seq`` of the current run, to split the changes into this run's items
    and earlier ones (``reclassified``).
    """
    started = time.perf_counter()
    for sql in _STATEMENTS:
        con.execute(sql)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _x_changes AS
        SELECT e.key, r.seq,
            CASE WHEN q.key IS NULL THEN 'accepted' ELSE 'quarantined' END AS after
        FROM _x_elig e
        JOIN raw_items r ON r.key = e.key
        LEFT JOIN _x_q q ON q.key = e.key
        WHERE e.status IS DISTINCT FROM
            (CASE WHEN q.key IS NULL THEN 'accepted' ELSE 'quarantined' END)
        """
    )
    con.execute("UPDATE messages SET status = c.after FROM _x_changes c WHERE messages.key = c.key")
    con.execute(f"DELETE FROM quarantine WHERE rule IN ({_L3})")
    con.execute(
        f"""
        INSERT INTO quarantine
        SELECT q.key, r.seq, r.source, r.member, r.kind, e.code, e.identificatie,
            q.rule, {_mask("q.path")}, {_mask("q.en")}, {_mask("q.nl")}, q.rules
        FROM _x_q q JOIN raw_items r ON r.key = q.key JOIN _x_elig e ON e.key = q.key
        """
    )
    first = since if since is not None else 0
    row = con.execute(
        """
        SELECT
            count(*) FILTER (WHERE seq >= ? AND after = 'quarantined'),
            count(*) FILTER (WHERE seq >= ? AND after = 'accepted'),
            count(*) FILTER (WHERE seq < ?),
            (SELECT count(*) FROM _x_q)
        FROM _x_changes
        """,
        [first, first, first],
    ).fetchone()
    assert row is not None
    for name in _TEMP:
        con.execute(f"DROP TABLE IF EXISTS _x_{name}")
    return Checked(
        int(row[0]), int(row[1]), int(row[2]), int(row[3]), time.perf_counter() - started
    )
