"""No BSN, name, street, phone number or e-mail address of the input appears anywhere in the
DuckDB file — neither in its bytes nor in any column — while the raw archive still gives the
original bytes back to whoever holds the key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from lxml import etree

from wijkzicht import settings as settings_mod
from wijkzicht.ingest import ingest
from wijkzicht.ingest.samples import write_variants
from wijkzicht.store import Keys, connect, read_raw

KEY = "wijkzicht-test-key-0123456789"
PERSONAL = {"Bsn", "Achternaam", "Voornamen", "Straatnaam", "Emailadres", "Telefoonnummer",
            "Plaatsnaam", "Commentaar", "Organisatie"}  # fmt: skip
BRP = (
    "bsn;geslachtsnaam;voornamen;geboortedatum;geslacht;bsn_gezagsdrager;postcode;huisnummer;"
    "gemeentecode;datum_aanvang;datum_einde\n"
    "999900031;Zwanenburgh;Gerbrandina;2012-03-04;V;999900043;1234AB;12;0344;2012-03-04;\n"
)


def _personal_values(folder: Path) -> set[str]:
    values = set()
    for path in folder.rglob("*.xml"):
        root = etree.fromstring(path.read_bytes())
        for el in root.iter():
            if isinstance(el.tag, str) and etree.QName(el).localname in PERSONAL and el.text:
                values.add(el.text.strip())
    return values | {"999900031", "999900043", "Zwanenburgh", "Gerbrandina"}


def test_no_personal_data_in_the_store_file(tmp_path, examples_dir):
    folder = tmp_path / "in"
    shutil.copytree(examples_dir, folder)
    write_variants(examples_dir, folder / "variants", 60)
    (folder / "brp.csv").write_text(BRP)
    values = {v for v in _personal_values(folder) if len(v) >= 5}
    assert {"999900006", "Van Woustraat", "abc@def.com", "Bakker", "0201234567"} <= values
    db = tmp_path / "s.duckdb"
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY})
    con = connect(db)
    _, counts = ingest([folder], con, Keys(KEY), s)
    assert counts.accepted > 60 and counts.quarantined >= 2  # invalid examples included
    con.execute("CHECKPOINT")
    # every column of every table, as text
    text_dump = []
    for (table,) in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall():
        rows = con.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608 - catalog names
        text_dump.append(repr(rows))
    dump = "\n".join(text_dump)
    # the raw archive still holds the originals, for the key holder
    key = con.execute("SELECT key FROM raw_items WHERE kind = 'brp'").fetchone()[0]
    assert read_raw(con, key, Keys(KEY)).decode() == BRP
    con.close()
    blob = db.read_bytes()
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        blob += wal.read_bytes()
    leaks = sorted(v for v in values if v.encode() in blob or v in dump)
    assert leaks == []
    # no nine-digit BSN shape of the input anywhere in the text columns
    bsns = {v for v in values if re.fullmatch(r"\d{9}", v)}
    assert not bsns & set(re.findall(r"(?<!\d)\d{9}(?!\d)", dump))
