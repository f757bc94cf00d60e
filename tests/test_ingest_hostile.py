"""Hostile and broken input: each item is quarantined with a precise reason, the run completes
(exit 0), the rest of the input is stored, and nothing secret leaks into the store or output."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from wijkzicht.cli.ingest import command as ingest_command
from wijkzicht.cli.quarantine import command as quarantine_command
from wijkzicht.store.archive import read_raw
from wijkzicht.store.keys import Keys

KEY = "wijkzicht-test-key-0123456789"
ENV = {"WIJKZICHT_PSEUDONYM_KEY": KEY, "WIJKZICHT_PSEUDONYM_KEY_FILE": "",
       "WIJKZICHT_IJW_XSD_DIR": ""}  # fmt: skip
SECRET = "TOPSECRET-XXE-CONTENT-4242"  # noqa: S105 - a marker, not a password
NS301 = "http://www.istandaarden.nl/ijw/3_2/jw301/schema"


def ingest(paths: list[Path], db: Path, *extra: str, env: dict | None = None):
    args = [*(str(p) for p in paths), "--db", str(db), "--json", *extra]
    result = CliRunner().invoke(ingest_command, args, env=env or ENV, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result


def quarantined(db: Path) -> dict[str, dict]:
    out = CliRunner().invoke(quarantine_command, ["--db", str(db), "--format", "json"])
    assert out.exit_code == 0
    return {
        (Path(r["source"]).name + (f"!/{r['member']}" if r["member"] else "")): r
        for r in json.loads(out.stdout)
    }


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def hostile(tmp_path: Path, examples_dir: Path) -> tuple[Path, Path]:
    """A folder of hostile files (and one valid message), plus a file only XXE points at."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    folder = tmp_path / "in"
    folder.mkdir()
    valid = (examples_dir / "JW305.xml").read_bytes()
    files = {
        "xxe.xml": (
            f'<?xml version="1.0"?><!DOCTYPE b [<!ENTITY x SYSTEM "file://{secret}">]>'
            f'<jw301:Bericht xmlns:jw301="{NS301}">&x;</jw301:Bericht>'
        ).encode(),
        "bomb.xml": (
            '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                      for p, c in zip("abcdefgh", "bcdefghi", strict=True))
            + f']><jw301:Bericht xmlns:jw301="{NS301}">&i;</jw301:Bericht>'
        ).encode(),
        "huge.xml": valid.replace(b"<jw305:Bsn>", b"<jw305:X>" + b"a" * (30 * 1024 * 1024)
                                  + b"</jw305:X><jw305:Bsn>"),
        "truncated.xml": valid[: len(valid) // 2],
        "empty.xml": b"",
        "junk.bin": bytes(range(256)) * 20,
        "wrongns.xml": b'<?xml version="1.0"?><Bericht xmlns="urn:other"><a/></Bericht>',
        "unknown.xml": (
            b'<?xml version="1.0"?><jw999:Bericht '
            b'xmlns:jw999="http://www.istandaarden.nl/ijw/3_2/jw999/schema"/>'
        ),
        "utf16.xml": valid.decode("utf-8")
        .replace('encoding="UTF-8"', 'encoding="UTF-16"')
        .replace("<jw305:Begindatum>", "<jw305:Begindatum>", 1)
        .encode("utf-16"),
        "traversal.zip": _zip({"../x.xml": valid.replace(b"2024", b"2024"),
                               "ok/JW307.xml": (examples_dir / "JW307.xml").read_bytes()}),
        "nested.zip": _zip({"inner.zip": _zip({"JW319.xml":
                                              (examples_dir / "JW319.xml").read_bytes(),
                                              "deeper.zip": _zip({"a.xml": valid})})}),
    }  # fmt: skip
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder, secret


def test_hostile_items_are_quarantined_with_precise_reasons(tmp_path, hostile):
    folder, _ = hostile
    db = tmp_path / "s.duckdb"
    summary, _ = ingest([folder], db)
    q = quarantined(db)
    expect = {
        "xxe.xml": ("XML", "DOCTYPE"),
        "bomb.xml": ("XML", "DOCTYPE"),
        "huge.xml": ("XML", "more than the iJw maximum"),
        "truncated.xml": ("XML", "not well-formed"),
        "empty.xml": ("KIND", "empty"),
        "junk.bin": ("KIND", "binary"),
        "wrongns.xml": ("XSD", "not an iJw 3.2 Bericht"),
        "unknown.xml": ("XSD", "unknown iJw message JW999"),
        "traversal.zip!/../x.xml": ("ZIP-PATH", "../x.xml"),
        "nested.zip!/inner.zip!/deeper.zip": ("ZIP-NEST", "deeper.zip"),
    }
    assert set(q) == set(expect), q.keys()
    for name, (rule, words) in expect.items():
        assert q[name]["rule"] == rule, (name, q[name])
        assert words in q[name]["reason"], (name, q[name]["reason"])
        assert q[name]["reason_nl"]
    # utf16.xml, traversal.zip!/ok/JW307.xml, nested.zip!/inner.zip!/JW319.xml are accepted
    assert summary == {"received": 13, "accepted": 3, "quarantined": 10, "duplicates": 0}
    with duckdb.connect(str(db), read_only=True) as con:
        codes = sorted(r[0] for r in con.execute(
            "SELECT code FROM messages WHERE status = 'accepted'").fetchall())  # fmt: skip
        assert codes == ["JW305", "JW307", "JW319"]


def test_xxe_target_never_reaches_store_or_output(tmp_path, hostile):
    folder, _ = hostile
    db = tmp_path / "s.duckdb"
    _, result = ingest([folder / "xxe.xml"], db)
    listing = CliRunner().invoke(quarantine_command, ["--db", str(db), "--format", "csv"])
    assert SECRET not in result.output + listing.output
    assert SECRET.encode() not in db.read_bytes()
    wal = db.with_name(db.name + ".wal")
    assert not wal.exists() or SECRET.encode() not in wal.read_bytes()


def test_zip_bomb_by_ratio_is_refused_without_unpacking(tmp_path, examples_dir):
    zpath = tmp_path / "bomb.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("bomb.xml", "w") as fh:
            block = b"\0" * (1024 * 1024)
            for _ in range(60):
                fh.write(block)
        zf.write(examples_dir / "JW305.xml", "JW305.xml")
    summary, _ = ingest([zpath], tmp_path / "s.duckdb")
    assert summary == {"received": 2, "accepted": 1, "quarantined": 1, "duplicates": 0}
    row = quarantined(tmp_path / "s.duckdb")["bomb.zip!/bomb.xml"]
    assert row["rule"] == "ZIP-RATIO"
    assert "zip bomb" in row["reason"] and "bomb.xml" in row["reason"]


def test_zip_member_over_the_size_limit(tmp_path, examples_dir):
    zpath = tmp_path / "big.zip"
    zpath.write_bytes(_zip({"big.xml": b"<a>" + b" " * (3 * 1024 * 1024) + b"</a>",
                            "JW305.xml": (examples_dir / "JW305.xml").read_bytes()}))  # fmt: skip
    env = {**ENV, "WIJKZICHT_ZIP_MAX_MEMBER_BYTES": str(2 * 1024 * 1024)}
    summary, _ = ingest([zpath], tmp_path / "s.duckdb", env=env)
    assert summary["accepted"] == 1 and summary["quarantined"] == 1
    row = quarantined(tmp_path / "s.duckdb")["big.zip!/big.xml"]
    assert row["rule"] == "ZIP-SIZE"
    assert "2,097,152" in row["reason"]


def test_zip_with_lying_sizes_is_caught_while_reading(tmp_path):
    data = _zip({"lie.xml": b"<a>" + b"x" * (5 * 1024 * 1024) + b"</a>"})
    declared = (5 * 1024 * 1024 + 7).to_bytes(4, "little")
    assert data.count(declared) == 2  # local header and central directory
    data = data.replace(declared, (1000).to_bytes(4, "little"))
    zpath = tmp_path / "lie.zip"
    zpath.write_bytes(data)
    summary, _ = ingest([zpath], tmp_path / "s.duckdb")
    assert summary["quarantined"] == 1
    row = quarantined(tmp_path / "s.duckdb")["lie.zip!/lie.xml"]
    assert row["rule"] in ("ZIP-SIZE", "ZIP-CORRUPT", "ZIP-RATIO"), row


def test_too_many_members_and_too_large_total(tmp_path):
    zpath = tmp_path / "many.zip"
    zpath.write_bytes(_zip({f"m{i}.xml": b"<a/>" for i in range(5)}))
    env = {**ENV, "WIJKZICHT_ZIP_MAX_MEMBERS": "3"}
    summary, _ = ingest([zpath], tmp_path / "a.duckdb", env=env)
    assert summary == {"received": 1, "accepted": 0, "quarantined": 1, "duplicates": 0}
    assert quarantined(tmp_path / "a.duckdb")["many.zip"]["rule"] == "ZIP-COUNT"
    env = {**ENV, "WIJKZICHT_ZIP_MAX_TOTAL_BYTES": "10"}
    summary, _ = ingest([zpath], tmp_path / "b.duckdb", env=env)
    row = quarantined(tmp_path / "b.duckdb")["many.zip"]
    assert (row["rule"], row["member"]) == ("ZIP-TOTAL", None)
    # the refused archive is kept whole, under the sha256 of its bytes
    key = hashlib.sha256(zpath.read_bytes()).hexdigest()
    with duckdb.connect(str(tmp_path / "b.duckdb"), read_only=True) as con:
        assert read_raw(con, key, Keys(KEY)) == zpath.read_bytes()


def test_corrupt_zip_is_one_quarantined_item(tmp_path):
    zpath = tmp_path / "broken.zip"
    zpath.write_bytes(b"PK\x03\x04" + b"garbage" * 10)
    summary, _ = ingest([zpath], tmp_path / "s.duckdb")
    assert summary["quarantined"] == 1
    assert quarantined(tmp_path / "s.duckdb")["broken.zip"]["rule"] == "ZIP-CORRUPT"


def test_personal_values_are_masked_in_reasons(tmp_path, examples_dir):
    bad = (
        (examples_dir / "JW305.xml")
        .read_bytes()
        .replace(b"<jw305:Bsn>999900006</jw305:Bsn>", b"<jw305:Bsn>12345678X</jw305:Bsn>")
    )
    path = tmp_path / "badbsn.xml"
    path.write_bytes(bad)
    ingest([path], tmp_path / "s.duckdb")
    row = quarantined(tmp_path / "s.duckdb")["badbsn.xml"]
    assert row["rule"] == "XSD" and "Bsn" in row["reason"]
    assert "12345678X" not in row["reason"] + row["reason_nl"]


def test_an_item_crosses_to_a_worker_with_every_field():
    import pickle

    from wijkzicht.ijw.errors import IjwError
    from wijkzicht.ingest.sources import Item

    refusal = IjwError("SIZE", "a.zip", "too big", "te groot")
    item = Item("a.zip", "x/b.xml", None, "0" * 64, 12, refusal, container=True)
    back = pickle.loads(pickle.dumps(item))  # noqa: S301 - our own bytes
    assert (back.source, back.member, back.data, back.key, back.size, back.container) == (
        "a.zip", "x/b.xml", None, "0" * 64, 12, True)  # fmt: skip
    assert (back.refusal.rule, back.refusal.path, back.refusal.en) == ("SIZE", "a.zip", "too big")
    plain = Item("c.xml", None, b"<a/>", "1" * 64, 4)
    assert pickle.loads(pickle.dumps(plain)) == plain  # noqa: S301
