"""Ingest of the reference examples through the CLI: counts, duplicates, XSD layer, listing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from wijkzicht.cli.ingest import command as ingest_command
from wijkzicht.cli.quarantine import command as quarantine_command
from wijkzicht.ijw.rules import check_message
from wijkzicht.ijw.xmlio import read_message
from wijkzicht.store import snapshot

KEY = "wijkzicht-test-key-0123456789"
ENV = {"WIJKZICHT_PSEUDONYM_KEY": KEY, "WIJKZICHT_PSEUDONYM_KEY_FILE": "",
       "WIJKZICHT_IJW_XSD_DIR": ""}  # fmt: skip


def run(args: list[str], env: dict[str, str] | None = None):
    result = CliRunner().invoke(ingest_command, args, env=env or ENV, catch_exceptions=False)
    return result


def counts(result) -> dict[str, int]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def valid_examples(tmp_path: Path, examples_dir: Path) -> Path:
    folder = tmp_path / "examples"
    folder.mkdir()
    for p in sorted(examples_dir.glob("*.xml")):
        shutil.copy(p, folder / p.name)
    return folder


def _rule_failures(folder: Path) -> set[str]:
    """Examples that the in-message rules reject (they pass XSD and the reader)."""
    return {p.name for p in folder.glob("*.xml") if check_message(read_message(p.read_bytes()))}


def test_all_examples_pass_xsd_and_reader(tmp_path, valid_examples, xsd_dir):
    db = tmp_path / "s.duckdb"
    summary = counts(run([str(valid_examples), "--db", str(db), "--xsd-dir", str(xsd_dir),
                          "--json"]))  # fmt: skip
    assert summary["received"] == 12
    rejected_by_rules = _rule_failures(valid_examples)
    assert summary["accepted"] == 12 - len(rejected_by_rules)
    assert summary["quarantined"] == len(rejected_by_rules)
    assert summary["duplicates"] == 0
    con = duckdb.connect(str(db), read_only=True)
    rules = con.execute("SELECT source, rule FROM quarantine").fetchall()
    assert {Path(s).name for s, _ in rules} == rejected_by_rules
    assert all(rule not in ("XML", "XSD") for _, rule in rules)
    assert con.execute("SELECT count(*) FROM messages").fetchone()[0] == 12


def test_json_summary_reconciles_and_reingest_changes_nothing(tmp_path, examples_dir):
    db = tmp_path / "s.duckdb"
    first = counts(run([str(examples_dir), "--db", str(db), "--json"]))
    assert first["received"] == first["accepted"] + first["quarantined"] + first["duplicates"]
    assert first["received"] == 14
    with duckdb.connect(str(db), read_only=True) as con:
        before = snapshot(con)
    second = counts(run([str(examples_dir), "--db", str(db), "--json"]))
    assert second == {"received": 14, "accepted": 0, "quarantined": 0, "duplicates": 14}
    with duckdb.connect(str(db), read_only=True) as con:
        assert snapshot(con) == before
        logs = con.execute("SELECT status, received FROM ingest_log ORDER BY started").fetchall()
    assert logs == [("completed", 14), ("completed", 14)]


def test_invalid_examples_quarantined_by_xsd_naming_the_element(tmp_path, examples_dir, xsd_dir):
    db = tmp_path / "s.duckdb"
    result = run([str(examples_dir / "invalid"), "--db", str(db), "--xsd-dir", str(xsd_dir)])
    assert result.exit_code == 0
    assert "only the built-in rules" not in result.output
    listing = CliRunner().invoke(quarantine_command, ["--db", str(db), "--format", "json"])
    rows = {Path(r["source"]).name: r for r in json.loads(listing.stdout)}
    assert set(rows) == {"JW315-impossible-date.xml", "JW318-retourcode-outside-wrapper.xml"}
    assert all(r["rule"] == "XSD" for r in rows.values())
    assert "ToewijzingEinddatum" in rows["JW315-impossible-date.xml"]["reason"]
    assert "2027-06-31" in rows["JW315-impossible-date.xml"]["reason"]
    assert "RetourCode" in rows["JW318-retourcode-outside-wrapper.xml"]["reason"]
    assert rows["JW315-impossible-date.xml"]["code"] == "JW315"
    assert rows["JW315-impossible-date.xml"]["identificatie"] == "123456789012"
    assert rows["JW315-impossible-date.xml"]["reason_nl"]


def test_without_xsd_a_note_is_printed_once(tmp_path, examples_dir):
    result = run([str(examples_dir), str(examples_dir / "JW301.xml"), "--db",
                  str(tmp_path / "s.duckdb")])  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr.count("only the built-in rules") == 1
    assert "received" in result.stdout


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_quarantine_listing_formats(tmp_path, examples_dir, fmt):
    db = tmp_path / "s.duckdb"
    run([str(examples_dir / "invalid"), "--db", str(db)])
    out = CliRunner().invoke(quarantine_command, ["--db", str(db), "--format", fmt])
    assert out.exit_code == 0
    if fmt == "csv":
        header = out.stdout.splitlines()[0].split(";")
        assert header[:7] == ["source", "member", "code", "identificatie", "rule", "reason",
                              "reason_nl"]  # fmt: skip
        assert len(out.stdout.splitlines()) == 3
    elif fmt == "json":
        assert len(json.loads(out.stdout)) == 2
    else:
        assert "JW315" in out.stdout


def test_missing_key_exits_2_before_reading(tmp_path, examples_dir):
    db = tmp_path / "s.duckdb"
    env = {**ENV, "WIJKZICHT_PSEUDONYM_KEY": ""}
    result = run([str(examples_dir), "--db", str(db)], env=env)
    assert result.exit_code == 2
    assert "WIJKZICHT_PSEUDONYM_KEY" in result.stderr
    assert not db.exists()


def test_key_file_is_used_and_gives_the_same_pseudonyms(tmp_path, examples_dir):
    key_file = tmp_path / "key.txt"
    key_file.write_text(KEY + "\n")
    env = {**ENV, "WIJKZICHT_PSEUDONYM_KEY": "", "WIJKZICHT_PSEUDONYM_KEY_FILE": str(key_file)}
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    counts(run([str(examples_dir / "JW305.xml"), "--db", str(a), "--json"], env=env))
    counts(run([str(examples_dir / "JW305.xml"), "--db", str(b), "--json"]))
    query = "SELECT client FROM starts"
    with duckdb.connect(str(a), read_only=True) as ca, duckdb.connect(str(b), read_only=True) as cb:
        assert ca.execute(query).fetchall() == cb.execute(query).fetchall()
