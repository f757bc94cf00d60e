"""Cross-message (level-3) rules at ingest: each rule quarantines exactly the message that
breaks it, with a reason naming element and value; the order of arrival does not matter (one
run or many, forward or backward, the store is the same); a message that only looked wrong
because its predecessor came later is accepted once the predecessor arrives."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import duckdb
import pytest

from builders import (
    BSN_DAAN,
    BSN_NOOR,
    BSN_SANNE,
    jw301,
    jw305,
    jw307,
    jw315,
    jw317,
    jw319,
    jw319_in_onderzoek,
    jw323,
    jw325,
    stop_product,
    toegewezen_product,
)
from wijkzicht import settings as settings_mod
from wijkzicht.ijw.basis import BerichtIdentificatie, Product
from wijkzicht.ijw.messages import Message, StartProduct
from wijkzicht.ijw.rules import RULES, check_message
from wijkzicht.ijw.xmlio import to_xml
from wijkzicht.ingest import ingest
from wijkzicht.ingest.crosscheck import LEVEL3_CODES
from wijkzicht.store import Keys, connect

KEY = "wijkzicht-test-key-0123456789"
BSNS = (BSN_SANNE, BSN_DAAN, BSN_NOOR)


# --------------------------------------------------------------------------- messages


def ident(msg: Message, identificatie: str, dagtekening: date) -> Message:
    msg.header.bericht_identificatie = BerichtIdentificatie(
        identificatie=identificatie, dagtekening=dagtekening
    )
    return msg


def jw301_noor(bsn: str = BSN_NOOR) -> Message:
    """The toewijzing (budget, category 43) that the JW323 claims for Noor."""
    msg = ident(jw301(), "TW2025-00318", date(2025, 3, 3))
    msg.client.bsn = bsn
    msg.client.toegewezen_producten = [
        toegewezen_product(2025044, categorie="43", code=None, volume=None, budget=2_500_000)
    ]
    return msg


def base() -> dict[str, Message]:
    """A coherent set: toewijzingen, starts, stops, a claim and its answer, regie messages."""
    return {
        "jw301": jw301(),
        "jw301_noor": jw301_noor(),
        "jw305": jw305(),
        "jw307": jw307(),
        "jw315": jw315(),
        "jw317": jw317(),
        "jw319": jw319(),
        "jw323": jw323(),
        "jw325": jw325(),
    }


def base_without_stop_of_2025001() -> dict[str, Message]:
    msgs = base()
    msgs["jw307"].client.stop_producten = msgs["jw307"].client.stop_producten[1:]
    return msgs


def start(begin: date, status: str = "1") -> StartProduct:
    return StartProduct(
        toewijzing_nummer=2025001,
        product=Product(categorie="45", code="45A03"),
        toewijzing_ingangsdatum=date(2025, 3, 10),
        begindatum=begin,
        status_aanlevering=status,
    )


def starts(identificatie: str, dagtekening: date, *items: StartProduct) -> Message:
    msg = ident(jw305(), identificatie, dagtekening)
    msg.client.start_producten = list(items)
    return msg


def stops(identificatie: str, dagtekening: date, **stop) -> Message:
    msg = ident(jw307(), identificatie, dagtekening)
    msg.client.stop_producten = [stop_product(**stop)]
    return msg


def write(folder: Path, msgs: dict[str, Message]) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, msg in msgs.items():
        assert check_message(msg) == [], (name, [(e.rule, e.en) for e in check_message(msg)])
        path = folder / f"{name}.xml"
        path.write_bytes(to_xml(msg))
        paths[name] = path
    return paths


# --------------------------------------------------------------------------- store helpers


def run(db: Path, paths: list[Path], **env: str):
    settings = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY, **env})
    con = connect(db)
    try:
        return ingest(list(paths), con, Keys(KEY), settings)[1]
    finally:
        con.close()


def quarantine(db: Path) -> dict[str, dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT source, code, rule, path, reason, reason_nl, rules FROM quarantine"
        ).fetchall()
    return {
        Path(r[0]).stem: dict(
            zip(("code", "rule", "path", "en", "nl", "rules"), r[1:], strict=True)
        )
        for r in rows
    }


def store(db: Path) -> dict[str, list[tuple]]:
    """Every table except the ingest log, without ``seq`` (the order of receipt)."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
            if t != "ingest_log"
        ]
        out = {}
        for t in tables:
            cols = {
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [t]
                ).fetchall()
            }
            sel = "* EXCLUDE (seq)" if "seq" in cols else "*"
            out[t] = con.execute(f'SELECT {sel} FROM "{t}" ORDER BY ALL').fetchall()  # noqa: S608
        return out


# --------------------------------------------------------------------------- the rules


def test_level3_codes_are_not_level2_codes():
    assert not set(LEVEL3_CODES) & set(RULES)


def test_a_coherent_set_passes_every_rule(tmp_path):
    paths = write(tmp_path / "in", base())
    counts = run(tmp_path / "s.duckdb", list(paths.values()))
    assert quarantine(tmp_path / "s.duckdb") == {}
    assert (counts.received, counts.accepted, counts.quarantined) == (9, 9, 0)


def _tr056():
    msgs = base()
    # same Identificatie as jw319 from the same gemeente, a week later
    msgs["bad"] = ident(jw319_in_onderzoek(), "ANT2025-0012", date(2025, 2, 28))
    return msgs


def _tr332():
    msgs = base()
    bad = ident(jw301(), "TW2025-00400", date(2025, 3, 5))
    bad.client.bsn = BSN_DAAN  # Sanne's number for Daan
    bad.client.toegewezen_producten = [toegewezen_product(2025001)]
    msgs["bad"] = bad
    return msgs


def _tr063():
    msgs = base()
    msgs["bad"] = starts("ST2025-0050", date(2025, 4, 20), start(date(2025, 3, 20), "3"))
    return msgs


def _tr074():
    msgs = base()
    msgs["bad"] = starts("ST2025-0051", date(2025, 4, 20), start(date(2025, 3, 17)))
    return msgs


def _tr382():
    msgs = base()
    msgs["bad"] = stops("SP2025-0200", date(2025, 10, 6), begin=date(2025, 3, 18))
    return msgs


def _tr413():
    msgs = base_without_stop_of_2025001()
    msgs["pause"] = stops("SP2025-0201", date(2025, 5, 2), reden="20", eind=date(2025, 5, 1))
    msgs["bad"] = stops("SP2025-0202", date(2025, 6, 2), reden="20", eind=date(2025, 6, 1))
    return msgs


def _tr414():
    msgs = base_without_stop_of_2025001()
    msgs["pause"] = stops("SP2025-0201", date(2025, 6, 2), reden="20", eind=date(2025, 6, 1))
    msgs["bad"] = stops("SP2025-0202", date(2025, 6, 10), reden="31", eind=date(2025, 5, 1))
    return msgs


def _tr415():
    msgs = base_without_stop_of_2025001()
    msgs["end"] = stops("SP2025-0201", date(2025, 6, 2), reden="31", eind=date(2025, 6, 1))
    msgs["bad"] = stops("SP2025-0202", date(2025, 7, 2), reden="31", eind=date(2025, 7, 1))
    return msgs


def _tr338():
    msgs = base()
    del msgs["jw301_noor"]  # the claim's 2025044 has no toewijzing (the JW325 is then not checked)
    msgs["bad"] = msgs.pop("jw323")
    return msgs


def _tr304_jw323():
    msgs = base()
    msgs["jw301_noor"] = jw301_noor(BSN_DAAN)  # 2025044 belongs to Daan, the claim says Noor
    del msgs["jw325"]
    msgs["bad"] = msgs.pop("jw323")
    return msgs


def _tr304_jw325():
    msgs = base()
    msgs["jw301_noor"] = jw301_noor(BSN_DAAN)
    del msgs["jw323"]
    msgs["bad"] = msgs.pop("jw325")
    return msgs


CASES = {
    # rule: (message set, element named, value named)
    "TR056": (_tr056, "Identificatie", "ANT2025-0012"),
    "TR332": (_tr332, "ToewijzingNummer", "2025001"),
    "TR063": (_tr063, "StatusAanlevering", "2025-03-20"),
    "TR074": (_tr074, "StatusAanlevering", "2025-03-17"),
    "TR382": (_tr382, "StopProduct", "2025-03-18"),
    "TR413": (_tr413, "RedenBeeindiging", "2025-03-17"),
    "TR414": (_tr414, "Einddatum", "2025-05-01"),
    "TR415": (_tr415, "RedenBeeindiging", "2025-03-17"),
    "TR338": (_tr338, "ToewijzingNummer", "2025044"),
    "TR304-JW323": (_tr304_jw323, "Bsn", "P2025-000103"),
    "TR304-JW325": (_tr304_jw325, "Bsn", "2025044"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_quarantines_exactly_the_message_that_breaks_it(tmp_path, case):
    build, element, value = CASES[case]
    rule = case.split("-")[0]
    msgs = build()
    paths = write(tmp_path / "in", msgs)
    db = tmp_path / "s.duckdb"
    counts = run(db, list(paths.values()))
    q = quarantine(db)
    assert set(q) == {"bad"}, q
    row = q["bad"]
    assert (row["rule"], row["rules"]) == (rule, [rule]), row
    assert row["path"].startswith(msgs["bad"].code + "/"), row
    for reason in (row["en"], row["nl"]):
        assert reason.endswith(f"({rule})"), reason
        assert element in reason and value in reason, (element, value, reason)
        assert not any(bsn in reason for bsn in BSNS)
    assert (counts.received, counts.accepted, counts.quarantined) == (len(msgs), len(msgs) - 1, 1)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(
            "SELECT m.status, r.source FROM messages m JOIN raw_items r USING (key) "
            "WHERE m.status = 'quarantined'"
        ).fetchall() == [("quarantined", str(paths["bad"]))]
        # the rows stay in the table, the accepted_* view leaves them out
        for table in ("toewijzingen", "starts", "stops", "prestaties", "retourcodes"):
            left_out = con.execute(
                f"SELECT count(*) FROM {table} WHERE key IN "  # noqa: S608
                "(SELECT key FROM messages WHERE status = 'quarantined')"
            ).fetchone()[0]
            total = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            view = con.execute(f"SELECT count(*) FROM accepted_{table}").fetchone()[0]  # noqa: S608
            assert view == total - left_out


def test_tr056_the_earliest_dagtekening_is_the_original_whatever_arrives_first(tmp_path):
    later = ident(jw319_in_onderzoek(), "ANT2025-0012", date(2025, 2, 28))
    paths = write(tmp_path / "in", {"later": later, "earlier": jw319()})
    db = tmp_path / "s.duckdb"
    first = run(db, [paths["later"]])
    assert (first.accepted, first.quarantined) == (1, 0)
    second = run(db, [paths["earlier"]])
    assert (second.received, second.accepted, second.quarantined) == (1, 1, 0)
    assert second.reclassified == 1  # "later" moved to the quarantine
    assert {k: v["rule"] for k, v in quarantine(db).items()} == {"later": "TR056"}
    with duckdb.connect(str(db), read_only=True) as con:
        log = con.execute("SELECT reclassified FROM ingest_log ORDER BY started").fetchall()
    assert log == [(0,), (1,)]


def test_tr056_same_dagtekening_the_lowest_sha256_is_the_original(tmp_path):
    twin = ident(jw319_in_onderzoek(), "ANT2025-0012", date(2025, 2, 21))
    paths = write(tmp_path / "in", {"a": jw319(), "b": twin})
    db = tmp_path / "s.duckdb"
    run(db, list(paths.values()))
    with duckdb.connect(str(db), read_only=True) as con:
        keys = dict(con.execute("SELECT source, key FROM raw_items").fetchall())
    higher = max(keys, key=keys.get)
    assert set(quarantine(db)) == {Path(higher).stem}


def test_a_stop_before_its_start_is_quarantined_until_the_start_arrives(tmp_path):
    paths = write(tmp_path / "in", {"jw301": jw301(), "jw307": jw307(), "jw305": jw305()})
    db = tmp_path / "s.duckdb"
    first = run(db, [paths["jw301"], paths["jw307"]])
    assert (first.received, first.accepted, first.quarantined) == (2, 1, 1)
    q = quarantine(db)
    assert set(q) == {"jw307"} and q["jw307"]["rule"] == "TR382"
    assert "Begindatum 2025-03-17" in q["jw307"]["en"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM stops").fetchone() == (2,)
        assert con.execute("SELECT count(*) FROM accepted_stops").fetchone() == (0,)
    second = run(db, [paths["jw305"]])
    assert second.as_dict() == {"received": 1, "accepted": 1, "quarantined": 0, "duplicates": 0}
    assert second.reclassified == 1
    assert quarantine(db) == {}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM accepted_stops").fetchone() == (2,)
        assert con.execute("SELECT DISTINCT status FROM messages").fetchall() == [("accepted",)]


def test_a_deleted_start_is_no_longer_current(tmp_path):
    """A start deleted by StatusAanlevering 3 (and re-sent with the right date) — the stop
    must carry the corrected start's key (TR382)."""
    msgs = {
        "jw301": jw301(),
        "wrong": starts("ST2025-0040", date(2025, 3, 25), start(date(2025, 3, 20))),
        "fix": starts(
            "ST2025-0041", date(2025, 4, 1), start(date(2025, 3, 20), "3"), start(date(2025, 3, 17))
        ),
        "stop_wrong": stops("SP2025-0300", date(2025, 10, 6), begin=date(2025, 3, 20)),
        "stop_right": stops("SP2025-0301", date(2025, 10, 6), begin=date(2025, 3, 17)),
    }
    paths = write(tmp_path / "in", msgs)
    db = tmp_path / "s.duckdb"
    run(db, list(paths.values()))
    assert {k: v["rule"] for k, v in quarantine(db).items()} == {"stop_wrong": "TR382"}


# --------------------------------------------------------------------------- order


def _mixed() -> dict[str, Message]:
    """Valid messages and one breaker of most rules, so that order could matter."""
    msgs = base()
    msgs["dup_id"] = _tr056()["bad"]
    msgs["number_reuse"] = _tr332()["bad"]
    msgs["delete_unknown"] = _tr063()["bad"]
    msgs["start_twice"] = _tr074()["bad"]
    msgs["stop_unknown"] = _tr382()["bad"]
    msgs["pause"] = stops("SP2025-0201", date(2025, 5, 2), reden="20", eind=date(2025, 5, 1))
    msgs["pause2"] = stops("SP2025-0202", date(2025, 6, 2), reden="20", eind=date(2025, 6, 1))
    msgs["after_end"] = stops(
        "SP2025-0203", date(2025, 10, 20), reden="31", eind=date(2025, 10, 17)
    )
    # a JW315 with jw315's Identificatie and an earlier Dagtekening: the original for TR056
    msgs["earlier_twin"] = ident(jw315(), "VOT2025-0042", date(2025, 2, 1))
    return msgs


def test_order_of_arrival_does_not_matter(tmp_path):
    paths = list(write(tmp_path / "in", _mixed()).values())
    forward = tmp_path / "forward.duckdb"
    counts = run(forward, paths)
    expected = store(forward)
    rules = {k: v["rule"] for k, v in quarantine(forward).items()}
    assert rules == {
        "dup_id": "TR056",
        "jw315": "TR056",  # its twin has the earlier Dagtekening
        "number_reuse": "TR332",
        "delete_unknown": "TR063",
        "start_twice": "TR074",
        "stop_unknown": "TR382",
        "pause2": "TR413",
        "after_end": "TR415",
    }
    assert counts.received == counts.accepted + counts.quarantined == len(paths)

    backward = tmp_path / "backward.duckdb"
    run(backward, paths[::-1], WIJKZICHT_INGEST_BATCH="2", WIJKZICHT_INGEST_WORKERS="1")
    assert store(backward) == expected

    one_by_one = tmp_path / "one_by_one.duckdb"
    for p in paths[::-1]:
        c = run(one_by_one, [p])
        assert c.received == c.accepted + c.quarantined + c.duplicates == 1
    assert store(one_by_one) == expected

    rng = random.Random(7)
    shuffled = tmp_path / "shuffled.duckdb"
    order = paths[:]
    rng.shuffle(order)
    for i in range(0, len(order), 4):
        run(shuffled, order[i : i + 4] + order[:i])  # overlapping runs: duplicates too
    assert store(shuffled) == expected
    with duckdb.connect(str(one_by_one), read_only=True) as con:
        reclassified = con.execute("SELECT sum(reclassified) FROM ingest_log").fetchone()[0]
    assert reclassified > 0


def test_a_crash_before_the_crosscheck_is_repaired_by_the_next_run(tmp_path, monkeypatch):
    paths = list(write(tmp_path / "in", _mixed()).values())
    clean = tmp_path / "clean.duckdb"
    run(clean, paths)

    crashed = tmp_path / "crashed.duckdb"

    def boom(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr("wijkzicht.ingest.run.crosscheck", boom)
    with pytest.raises(RuntimeError):
        run(crashed, paths)
    monkeypatch.undo()
    assert quarantine(crashed) == {}  # every batch committed, the level-3 check did not
    again = run(crashed, paths)
    assert again.duplicates == len(paths) and again.reclassified == 8
    assert store(crashed) == store(clean)


def test_nine_digit_values_are_masked_as_in_level2_reasons(tmp_path):
    first = ident(jw301(), "TW2025-00500", date(2025, 3, 3))
    first.client.toegewezen_producten = [toegewezen_product(123456789)]
    second = ident(jw301(), "TW2025-00501", date(2025, 3, 5))
    second.client.bsn = BSN_DAAN
    second.client.toegewezen_producten = [toegewezen_product(123456789)]
    paths = write(tmp_path / "in", {"first": first, "second": second})
    db = tmp_path / "s.duckdb"
    run(db, list(paths.values()))
    row = quarantine(db)["second"]
    assert row["rule"] == "TR332"
    for reason in (row["en"], row["nl"]):
        assert "123456789" not in reason and "ToewijzingNummer […]" in reason, reason
