"""The care rules (counting-rules.md §1–§2) on small hand-made stores: rows inserted straight
into a fresh store, one youth per rule, the expected trajectories written out by hand."""

from __future__ import annotations

from datetime import date, time

import duckdb
import pytest

from wijkzicht.care import area_in_period, area_on, build, default_horizon, materialise
from wijkzicht.care.inputs import backend
from wijkzicht.store import connect

G, P, T, GI, BT = "9999", "96999901", "97999901", "94999901", "98999901"
HORIZON = date(2024, 12, 31)
D = date.fromisoformat


class Fixture:
    """Writes messages, their per-type rows and BIJ deliveries into a store."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.seq = 0

    def _item(self, kind: str) -> str:
        self.seq += 1
        key = f"k{self.seq:05d}"
        self.con.execute(  # k: any number unique in the store (the key is no sha256 here)
            "INSERT INTO raw_items (key, seq, kind, source, k) VALUES (?, ?, ?, 'fixture', ?)",
            [key, self.seq, kind, self.seq],
        )
        return key

    def _rows(self, table: str, key: str, rows: list[dict]) -> None:
        for pos, row in enumerate(rows):
            cols = ["key", "pos", *row]
            marks = ", ".join("?" for _ in cols)
            self.con.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",  # noqa: S608
                [key, pos, *row.values()],
            )

    def message(self, code: str, day: str, table: str, rows: list[dict], status="accepted"):
        key = self._item("ijw")
        self.con.execute(
            "INSERT INTO messages (key, seq, code, dagtekening, status) VALUES (?, ?, ?, ?, ?)",
            [key, self.seq, code, D(day), status],
        )
        self._rows(table, key, rows)

    def bij(self, rows: list[dict]) -> None:
        self._rows("bij_records", self._item("bij"), rows)

    # -- one row of each kind, with the columns that matter ---------------------------
    def start(self, day, client, nr, cat, begin, status="1", aanbieder=P, prod=None):
        row = _regie(client, nr, cat, begin, status, aanbieder, prod)
        self.message("JW305", day, "starts", [row])

    def stop(self, day, client, nr, cat, begin, end, reden, status="1", aanbieder=P, prod=None):
        row = _regie(client, nr, cat, begin, status, aanbieder, prod)
        row |= {"einddatum": D(end), "reden_beeindiging": reden}
        self.message("JW307", day, "stops", [row])

    def toewijzing(self, day, client, nr, cat, ingang, eind, reden=None, tijd="10:00",
                   aanbieder=GI, ref=None):  # fmt: skip
        row = {
            "gemeente": G,
            "aanbieder": aanbieder,
            "client": client,
            "toewijzing_nummer": nr,
            "referentie_aanbieder": ref,
            "categorie": cat,
            "product_code": None,
            "toewijzingsdatum": D(day),
            "toewijzingstijd": time.fromisoformat(tijd),
            "ingangsdatum": D(ingang),
            "einddatum": D(eind),
            "reden_wijziging": reden,
        }
        self.message("JW301", day, "toewijzingen", [row])

    def verzoek(self, day, client, ref, cat, verwijzer, aanbieder=P):
        row = {"gemeente": G, "aanbieder": aanbieder, "client": client, "categorie": cat,
               "referentie_aanbieder": ref, "verwijzer_type": verwijzer}  # fmt: skip
        self.message("JW315", day, "verzoeken", [row])


def _regie(client, nr, cat, begin, status, aanbieder, prod) -> dict:
    return {
        "aanbieder": aanbieder,
        "gemeente": G,
        "client": client,
        "toewijzing_nummer": nr,
        "categorie": cat,
        "product_code": prod or f"{cat}A01",
        "begindatum": D(begin),
        "status_aanlevering": status,
    }


def _bij(client, aanbieder, hulpvorm, begin, end=None, reden=None, verwijzer="01", crisis="02"):
    return {
        "client": client,
        "gemeente_code": "GM" + G,
        "aanbieder": aanbieder,
        "verwijzer": verwijzer,
        "hulpvorm": hulpvorm,
        "gestart_met_crisis": crisis,
        "datum_aanvang": D(begin),
        "datum_einde": D(end) if end else None,
        "reden_beeindiging": reden,
    }


def _fill(f: Fixture) -> None:
    # Merging: an Omvang change (old toewijzing ends, new one starts the next day) touches;
    # overlapping segments are one; a gap of one day is two trajectories.
    f.start("2023-01-02", "merge", 1001, "32", "2023-01-01")
    f.stop("2023-04-02", "merge", 1001, "32", "2023-01-01", "2023-03-31", "37")
    f.start("2023-04-02", "merge", 1002, "32", "2023-04-01")
    f.stop("2023-07-02", "merge", 1002, "32", "2023-04-01", "2023-06-30", "31")
    f.start("2023-02-02", "merge", 1003, "33", "2023-02-01")
    f.stop("2023-06-01", "merge", 1003, "33", "2023-02-01", "2023-05-31", "31")
    f.start("2023-05-02", "merge", 1004, "33", "2023-05-01")
    f.start("2024-01-02", "gap", 1005, "34", "2024-01-01")
    f.stop("2024-02-01", "gap", 1005, "34", "2024-01-01", "2024-01-31", "31")
    f.start("2024-02-03", "gap", 1006, "34", "2024-02-02")
    f.stop("2024-03-01", "gap", 1006, "34", "2024-02-02", "2024-02-28", "32")
    f.bij([_bij("merge", P, "02", "2023-01-01", "2023-06-30", "01", verwijzer="02", crisis="01")])

    # Withdrawn toewijzing (RedenWijziging 13): never existed, nor did its ReferentieAanbieder.
    f.toewijzing("2022-12-20", "withdrawn", 2001, "48", "2023-01-01", "2023-12-31")
    f.toewijzing("2022-12-22", "withdrawn", 2001, "48", "2023-01-01", "2023-01-01", reden="13")
    f.toewijzing("2022-12-22", "withdrawn", 2002, "48", "2023-02-01", "2023-12-31")
    f.verzoek("2023-01-05", "vot", "R1", "32", "02")
    f.toewijzing("2023-01-08", "vot", 2003, "32", "2023-01-10", "2023-12-31", aanbieder=P, ref="R1")
    f.toewijzing("2023-01-09", "vot", 2003, "32", "2023-01-10", "2023-01-10", "13", aanbieder=P)
    f.toewijzing("2023-01-09", "vot", 2004, "32", "2023-01-10", "2023-12-31", aanbieder=P)
    f.start("2023-01-11", "vot", 2004, "32", "2023-01-10")
    f.verzoek("2023-03-01", "vot2", "R2", "33", "05")
    f.toewijzing(
        "2023-03-05", "vot2", 2005, "33", "2023-03-10", "2024-03-09", aanbieder=P, ref="R2"
    )
    f.toewijzing("2024-02-20", "vot2", 2005, "33", "2023-03-10", "2025-03-09", "04", aanbieder=P)
    f.start("2023-03-11", "vot2", 2005, "33", "2023-03-10")
    # what counts is the current version: withdrawn, then issued again (its JW315 counts);
    # withdrawn last, though a start came (its JW315 does not)
    f.verzoek("2023-03-20", "vot3", "R3", "32", "03")
    f.toewijzing(
        "2023-04-01", "vot3", 2006, "32", "2023-04-06", "2023-12-31", aanbieder=P, ref="R3"
    )
    f.toewijzing("2023-04-02", "vot3", 2006, "32", "2023-04-06", "2023-04-06", "13", aanbieder=P)
    f.toewijzing(
        "2023-04-05", "vot3", 2006, "32", "2023-04-06", "2023-12-31", aanbieder=P, ref="R3"
    )
    f.start("2023-04-07", "vot3", 2006, "32", "2023-04-06")
    f.verzoek("2023-03-20", "vot4", "R4", "32", "04")
    f.toewijzing(
        "2023-04-01", "vot4", 2007, "32", "2023-04-06", "2023-12-31", aanbieder=P, ref="R4"
    )
    f.toewijzing("2023-04-08", "vot4", 2007, "32", "2023-04-06", "2023-04-06", "13", aanbieder=P)
    f.start("2023-04-07", "vot4", 2007, "32", "2023-04-06")

    # Correction chain: a start deleted (3) and sent again with the right date (1); a stop
    # deleted and replaced; a key deleted and later sent again exists.
    f.start("2023-03-06", "correct", 3001, "32", "2023-03-05")
    f.message("JW305", "2023-03-20", "starts", [
        _regie("correct", 3001, "32", "2023-03-05", "3", P, None),
        _regie("correct", 3001, "32", "2023-03-01", "1", P, None),
    ])  # fmt: skip
    f.stop("2023-08-16", "correct", 3001, "32", "2023-03-01", "2023-08-15", "31")
    f.stop("2023-09-02", "correct", 3001, "32", "2023-03-01", "2023-08-15", "31", status="3")
    f.stop("2023-09-02", "correct", 3001, "32", "2023-03-01", "2023-08-31", "34")
    f.start("2023-05-02", "again", 3002, "32", "2023-05-01")
    f.start("2023-05-09", "again", 3002, "32", "2023-05-01", status="3")
    f.start("2023-05-20", "again", 3002, "32", "2023-05-01")

    # Temporary stop (20): the next start on the same toewijzing continues; or a definitive
    # stop with the same start key ends it; or nothing follows (ends at the stop, reden 20).
    f.start("2023-01-11", "pause", 4001, "32", "2023-01-10")
    f.stop("2023-05-01", "pause", 4001, "32", "2023-01-10", "2023-04-30", "20")
    f.start("2023-06-02", "pause", 4001, "32", "2023-06-01")
    f.stop("2023-11-01", "pause", 4001, "32", "2023-06-01", "2023-10-31", "31")
    f.start("2023-01-11", "pause2", 4002, "32", "2023-01-10")
    f.stop("2023-05-01", "pause2", 4002, "32", "2023-01-10", "2023-04-30", "20")
    f.stop("2023-05-16", "pause2", 4002, "32", "2023-01-10", "2023-05-15", "33")
    f.start("2023-01-11", "pause3", 4003, "32", "2023-01-10")
    f.stop("2023-05-01", "pause3", 4003, "32", "2023-01-10", "2023-04-30", "20")

    # Taakgericht: no ToewijzingNummer, keyed by Product + Begindatum.
    f.start("2023-02-02", "taak", None, "32", "2023-02-01", aanbieder=T)
    f.stop("2023-08-01", "taak", None, "32", "2023-02-01", "2023-07-31", "31", aanbieder=T)
    f.start("2023-09-02", "taak", None, "32", "2023-09-01", aanbieder=T)
    f.start("2023-09-05", "taak", None, "32", "2023-09-01", status="3", aanbieder=T)
    f.start("2023-03-02", "taak", None, "34", "2023-03-01", aanbieder=T)

    # GI: the current version (latest Toewijzingsdatum + Toewijzingstijd, not arrival order);
    # verkorting ends it; an Einddatum after the horizon means still running.
    f.toewijzing("2024-05-20", "gi", 5001, "48", "2023-01-01", "2024-05-15", reden="05")
    f.toewijzing("2022-12-20", "gi", 5001, "48", "2023-01-01", "2023-12-31")
    f.toewijzing("2023-12-10", "gi", 5001, "48", "2023-01-01", "2025-12-31", reden="04")
    f.bij([_bij("gi", GI, "JB", "2023-01-01", "2024-05-15", "01", verwijzer="08")])
    f.toewijzing("2024-03-01", "gi", 5002, "47", "2024-03-05", "2025-06-30")
    f.toewijzing("2023-06-01", "gi_tijd", 5003, "48", "2023-06-05", "2023-12-31", tijd="10:00")
    f.toewijzing("2023-06-01", "gi_tijd", 5003, "48", "2023-06-05", "2023-09-30", tijd="09:00")

    # BIJ: the latest delivery of a record wins; buurtteam help is only there.
    f.bij([_bij("buurt", BT, "01", "2023-02-01", verwijzer="06")])
    f.bij([_bij("buurt", BT, "01", "2023-02-01", "2023-05-31", "03", verwijzer="06")])

    # Not counted: a quarantined message, a start after the horizon; an end after it = running.
    f.start("2023-01-02", "quarantined", 6001, "32", "2023-01-01")
    f.start("2025-01-06", "horizon", 6002, "32", "2025-01-05")
    f.start("2024-12-02", "horizon", 6003, "33", "2024-12-01")
    f.stop("2025-01-11", "horizon", 6003, "33", "2024-12-01", "2025-01-10", "31")


def _row(pseudonym, hulpvorm, aanbieder, begin, end, reden, verwijzer, crisis, herhaald, bronnen):
    return (pseudonym, hulpvorm, aanbieder, D(begin), end and D(end), reden, verwijzer, crisis,
            herhaald, bronnen)  # fmt: skip


EXPECTED = {
    _row("merge", "02", P, "2023-01-01", "2023-06-30", "31", "02", True, False, "bij+ijw"),
    _row("merge", "03", P, "2023-02-01", None, None, "onbekend", None, False, "ijw"),
    _row("gap", "04", P, "2024-01-01", "2024-01-31", "31", "onbekend", None, False, "ijw"),
    _row("gap", "04", P, "2024-02-02", "2024-02-28", "32", "onbekend", None, True, "ijw"),
    _row("withdrawn", "JB", GI, "2023-02-01", "2023-12-31", None, "onbekend", None, False, "ijw"),
    _row("vot", "02", P, "2023-01-10", None, None, "onbekend", None, False, "ijw"),
    _row("vot2", "03", P, "2023-03-10", None, None, "05", None, False, "ijw"),
    _row("vot3", "02", P, "2023-04-06", None, None, "03", None, False, "ijw"),
    _row("vot4", "02", P, "2023-04-06", None, None, "onbekend", None, False, "ijw"),
    _row("correct", "02", P, "2023-03-01", "2023-08-31", "34", "onbekend", None, False, "ijw"),
    _row("again", "02", P, "2023-05-01", None, None, "onbekend", None, False, "ijw"),
    _row("pause", "02", P, "2023-01-10", "2023-10-31", "31", "onbekend", None, False, "ijw"),
    _row("pause2", "02", P, "2023-01-10", "2023-05-15", "33", "onbekend", None, False, "ijw"),
    _row("pause3", "02", P, "2023-01-10", "2023-04-30", "20", "onbekend", None, False, "ijw"),
    _row("taak", "02", T, "2023-02-01", "2023-07-31", "31", "onbekend", None, False, "ijw"),
    _row("taak", "04", T, "2023-03-01", None, None, "onbekend", None, False, "ijw"),
    _row("gi", "JB", GI, "2023-01-01", "2024-05-15", "31", "08", False, False, "bij+ijw"),
    _row("gi", "JR", GI, "2024-03-05", None, None, "onbekend", None, False, "ijw"),
    _row("gi_tijd", "JB", GI, "2023-06-05", "2023-12-31", None, "onbekend", None, False, "ijw"),
    _row("buurt", "01", BT, "2023-02-01", "2023-05-31", "32", "06", False, False, "bij"),
    _row("horizon", "03", P, "2024-12-01", None, None, "onbekend", None, False, "ijw"),
}
FIELDS = ("pseudonym", "hulpvorm", "aanbieder", "begindatum", "einddatum", "reden_jz588",
          "verwijzer", "crisis", "herhaald_beroep", "bronnen")  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("care") / "rules.duckdb")
    f = Fixture(con)
    _fill(f)
    con.execute("UPDATE messages SET status = 'quarantined' WHERE key IN "
                "(SELECT key FROM starts WHERE client = 'quarantined')")  # fmt: skip
    rows = build(con, horizon=HORIZON).to_pyarrow().to_pylist()
    yield con, rows
    con.close()


def test_every_rule_gives_the_trajectories_written_by_hand(store):
    _, rows = store
    got = {tuple(r[c] for c in FIELDS) for r in rows}
    missing, extra = EXPECTED - got, got - EXPECTED
    assert not missing and not extra, (
        "missing:\n" + "\n".join(map(str, sorted(missing, key=str)))
        + "\nextra:\n" + "\n".join(map(str, sorted(extra, key=str)))
    )  # fmt: skip


def test_codes_and_kinds(store):
    _, rows = store
    by = {(r["pseudonym"], r["hulpvorm"]): r for r in rows}
    assert by[("merge", "02")]["reden_cbs"] == "01"
    assert by[("pause3", "02")]["reden_cbs"] is None  # 20 has no CBS code
    assert by[("buurt", "01")]["reden_cbs"] == "03"
    assert by[("buurt", "01")]["categorie"] == "31"
    assert by[("gi", "JB")]["soort"] == "jeugdbescherming"
    assert by[("gi", "JR")]["soort"] == "jeugdreclassering"
    assert by[("merge", "02")]["soort"] == "zonder_verblijf"
    # kinds the data show without a providers table
    assert by[("buurt", "01")]["aanbieder_soort"] == "buurtteam"
    assert by[("taak", "02")]["aanbieder_soort"] == "wijkpartner"
    assert by[("gi", "JB")]["aanbieder_soort"] == "gi"
    assert by[("merge", "02")]["aanbieder_soort"] is None


def test_providers_table_and_materialise(store, tmp_path):
    con, _ = store
    path = tmp_path / "aanbieders.csv"
    path.write_text(f"aanbieder;soort\n{P};regionaal\n{BT};buurtteam\n", encoding="utf-8")
    n = materialise(con, horizon=HORIZON, providers=path)
    assert n == len(EXPECTED)
    kinds = dict(
        con.execute("SELECT DISTINCT aanbieder, aanbieder_soort FROM trajectories").fetchall()
    )
    assert kinds == {P: "regionaal", BT: "buurtteam", T: "wijkpartner", GI: "gi"}


def test_default_horizon_is_the_latest_accepted_message(store):
    con, _ = store
    assert default_horizon(backend(con)) == date(2025, 1, 11)


def test_area_on_a_date_and_in_a_period(tmp_path):
    con = connect(tmp_path / "areas.duckdb")
    con.execute("INSERT INTO areas (code, soort) VALUES ('GM9999', 'gemeente')")
    con.execute("INSERT INTO raw_items (key, seq, kind, source, k) VALUES ('k', 1, 'brp', 'f', 1)")
    rows = [
        ("brp", "a", D("2022-01-01"), D("2023-03-01"), "GM9999", "WK999901", "BU99990101"),
        ("brp", "a", D("2023-03-01"), D("2023-06-01"), "GM9998", None, None),
        ("brp", "a", D("2023-06-01"), None, "GM9999", "WK999902", "BU99990201"),
        ("jw301", "a", D("2023-04-01"), None, "GM9999", "WK999903", "BU99990301"),
        ("brp", "b", D("2020-05-01"), None, "GM9999", None, None),  # in the city, buurt unknown
        ("brp", "c", D("2020-05-01"), None, "GM9998", None, None),  # never in the city
    ]
    for i, r in enumerate(rows):
        con.execute(
            "INSERT INTO address_history (key, pos, bron, client, valid_from, valid_to, "
            "gemeente_code, wijk_code, buurt_code) VALUES ('k', ?, ?, ?, ?, ?, ?, ?, ?)",
            [i, *r],
        )

    def where(expr) -> dict:
        return {r["pseudonym"]: r["buurt_code"] for r in expr.to_pyarrow().to_pylist()}

    assert where(area_on(con, D("2023-02-28"))) == {"a": "BU99990101", "b": None}
    assert where(area_on(con, D("2023-03-01"))) == {"b": None}  # valid_to is exclusive
    assert where(area_on(con, D("2023-04-15"))) == {"b": None}  # BRP only, not the JW301
    assert where(area_in_period(con, D("2023-01-01"), D("2023-04-30"))) == {
        "a": "BU99990101",
        "b": None,
    }
    assert where(area_in_period(con, D("2023-01-01"), D("2023-12-31"))) == {
        "a": "BU99990201",
        "b": None,
    }
    con.close()


def test_brp_people_take_the_last_file_and_its_latest_birth_month(tmp_path):
    """``brp_people``: per person the last BRP file that lists them and the latest birth
    month that file gives (an older file's does not count; none given: NULL); a distinct
    number each. ``brp_history``: the rows of that file only, with the number."""
    from wijkzicht.care import brp_history, brp_people

    con = connect(tmp_path / "people.duckdb")
    for seq in (1, 2):
        con.execute(
            "INSERT INTO raw_items (key, seq, kind, source, k) VALUES (?, ?, 'brp', 'f', ?)",
            [f"k{seq}", seq, seq],
        )
    rows = [  # file, client, geboortemaand, valid_from
        ("k1", "a", D("2010-01-01"), D("2010-01-01")),  # a: file 2 replaces file 1 …
        ("k2", "a", D("2011-03-01"), D("2011-03-01")),
        ("k2", "a", D("2011-05-01"), D("2012-01-01")),  # … and its latest month counts
        ("k2", "a", None, D("2013-01-01")),
        ("k1", "b", D("2009-07-01"), D("2009-07-01")),  # b: only in file 1
        ("k2", "c", None, D("2015-01-01")),  # c: no birth month in its last file …
        ("k1", "c", D("2008-01-01"), D("2008-01-01")),  # … an older file's does not count
    ]
    for i, (key, client, month, start) in enumerate(rows):
        con.execute(
            "INSERT INTO address_history (key, pos, bron, client, geboortemaand, valid_from) "
            "VALUES (?, ?, 'brp', ?, ?, ?)",
            [key, i, client, month, start],
        )
    b = backend(con)
    people = brp_people(b).to_pyarrow().to_pylist()
    got = {r["client"]: (r["seq"], r["birth"]) for r in people}
    assert got == {"a": (2, D("2011-05-01")), "b": (1, D("2009-07-01")), "c": (2, None)}
    assert len({r["person"] for r in people}) == 3
    kept = b.create_table("people", brp_people(b), temp=True)  # numbers fixed from here
    history = brp_history(b, kept).to_pyarrow().to_pylist()
    number = {r["client"]: r["person"] for r in kept.to_pyarrow().to_pylist()}
    assert sorted((r["person"], r["valid_from"]) for r in history) == sorted(
        [(number["a"], D("2011-03-01")), (number["a"], D("2012-01-01")),
         (number["a"], D("2013-01-01")), (number["b"], D("2009-07-01")),
         (number["c"], D("2015-01-01"))]
    )  # fmt: skip
    con.close()


def test_latest_prefers_the_greatest_values_and_ranks_null_lowest():
    """``_latest`` (an argmax per key) picks the row a descending sort with NULLs last puts
    first, whatever order the rows come in."""
    import random

    import ibis
    import pyarrow as pa

    from wijkzicht.care.segments import _latest

    rng = random.Random(5)
    rows = [
        {"k": rng.randrange(20), "d": rng.choice([None, *range(4)]), "s": i, "v": f"r{i}"}
        for i in range(400)
    ]
    rng.shuffle(rows)
    con = ibis.duckdb.connect()
    t = con.create_table("t", pa.Table.from_pylist(rows))
    got = _latest(t, ("k",), [t.d, t.s]).to_pyarrow().to_pylist()

    def rank(r: dict) -> tuple:
        return (r["d"] is not None, r["d"] or 0, r["s"])

    expected = {}
    for r in rows:
        if r["k"] not in expected or rank(r) > rank(expected[r["k"]]):
            expected[r["k"]] = r
    assert sorted(got, key=lambda r: r["k"]) == [expected[k] for k in sorted(expected)]
