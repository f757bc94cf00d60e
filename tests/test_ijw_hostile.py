"""The safe reader against hostile and broken input: a clear IjwError, fast, and no data leaks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from wijkzicht.ijw import IjwError, read_message

CANARY = "WIJKZICHT-CANARY-7f3a9c"
DECL = '<?xml version="1.0" encoding="UTF-8"?>'


@pytest.fixture(scope="module")
def jw301(examples_dir: Path) -> str:
    text = (examples_dir / "JW301.xml").read_text(encoding="utf-8")
    assert text.startswith(DECL)
    return text


def refused(data: bytes, rule: str | None = None) -> IjwError:
    """Read ``data``, expect an IjwError of rule XML or XSD, and return it."""
    with pytest.raises(IjwError) as info:
        read_message(data)
    err = info.value
    assert err.rule in {"XML", "XSD"}
    if rule is not None:
        assert err.rule == rule
    assert err.en and err.nl and err.path
    return err


def everything_said(err: IjwError) -> str:
    return " ".join(map(str, (err, repr(err), err.rule, err.path, err.en, err.nl, err.value)))


# --------------------------------------------------------------------------- entities / DTDs


def _xxe(jw301: str, canary_file: Path) -> str:
    doctype = f'<!DOCTYPE jw301:Bericht [<!ENTITY xxe SYSTEM "{canary_file.as_uri()}">]>'
    text = jw301.replace(DECL, DECL + "\n" + doctype, 1)
    return text.replace("<ijw:Achternaam>Wit<", "<ijw:Achternaam>&xxe;<", 1)


@pytest.fixture
def canary_file(tmp_path: Path) -> Path:
    path = tmp_path / "canary.txt"
    path.write_text(CANARY, encoding="utf-8")
    return path


def test_xxe_is_refused_and_does_not_leak(jw301: str, canary_file: Path) -> None:
    err = refused(_xxe(jw301, canary_file).encode("utf-8"), "XML")
    assert "DOCTYPE" in err.en
    assert CANARY not in everything_said(err)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_xxe_in_utf16_is_refused_and_does_not_leak(
    jw301: str, canary_file: Path, encoding: str
) -> None:
    """A byte-level DOCTYPE check does not see ``<!DOCTYPE`` in UTF-16; the reader still must."""
    text = _xxe(jw301, canary_file).replace(DECL, DECL.replace("UTF-8", "UTF-16"), 1)
    err = refused(text.encode(encoding), "XML")
    assert "DOCTYPE" in err.en
    assert CANARY not in everything_said(err)


def test_unused_doctype_in_utf16_is_refused(jw301: str) -> None:
    text = jw301.replace(DECL, '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x>', 1)
    assert "DOCTYPE" in refused(text.encode("utf-16"), "XML").en


def test_doctype_after_a_long_prolog_is_refused(jw301: str) -> None:
    """A DOCTYPE pushed past the first bytes by a comment is still found."""
    padding = "<!--" + "x" * 10_000 + "-->"
    text = jw301.replace(DECL, f"{DECL}\n{padding}\n<!DOCTYPE jw301:Bericht>", 1)
    assert "DOCTYPE" in refused(text.encode("utf-8"), "XML").en


def _billion_laughs() -> str:
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return f"{DECL}\n<!DOCTYPE lolz [{''.join(entities)}]>\n<lolz>&lol9;</lolz>"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_billion_laughs_fails_fast(encoding: str) -> None:
    text = _billion_laughs()
    if encoding != "utf-8":
        text = text.replace("UTF-8", "UTF-16", 1)
    start = time.perf_counter()
    err = refused(text.encode(encoding), "XML")
    assert time.perf_counter() - start < 1.0
    assert "lol" not in err.en.replace("lolz", "")  # nothing expanded into the message
    assert len(str(err)) < 500


# --------------------------------------------------------------------------- size and garbage


def test_30_mb_text_node_is_refused_by_size(jw301: str) -> None:
    big = jw301.replace("Commentaar client", "A" * (30 * 1024 * 1024), 1)
    start = time.perf_counter()
    err = refused(big.encode("utf-8"), "XML")
    assert time.perf_counter() - start < 2.0
    assert "25 MB" in err.en or "maximum" in err.en
    assert "AAAA" not in everything_said(err)


def test_12_mb_text_node_under_the_file_limit_is_refused(jw301: str) -> None:
    big = jw301.replace("Commentaar client", "A" * (12 * 1024 * 1024), 1)
    err = refused(big.encode("utf-8"), "XML")
    assert "not well-formed" in err.en
    assert "AAAA" not in everything_said(err)


def test_truncated_xml_is_refused(jw301: str) -> None:
    data = jw301.encode("utf-8")
    err = refused(data[: len(data) // 2], "XML")
    assert "not well-formed" in err.en
    assert err.path.startswith("line ")


@pytest.mark.parametrize("data", [b"", b"   \n\t  "], ids=["empty", "whitespace"])
def test_empty_file_is_refused(data: bytes) -> None:
    assert "empty" in refused(data, "XML").en


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 8, b"PK\x03\x04" + b"\xff" * 64],
    ids=["png", "all-bytes", "zip"],
)
def test_binary_junk_is_refused(data: bytes) -> None:
    assert "not well-formed" in refused(data, "XML").en


def test_plain_text_is_refused() -> None:
    assert "not well-formed" in refused(b"BSN 999900006 Wit, Tom", "XML").en


# --------------------------------------------------------------------------- wrong messages


def test_wrong_namespace_is_refused(jw301: str) -> None:
    text = jw301.replace("ijw/3_2/jw301/schema", "ijw/3_1/jw301/schema")
    err = refused(text.encode("utf-8"), "XSD")
    assert "not an iJw 3.2 Bericht" in err.en
    assert "3_1/jw301" in err.en


def test_foreign_root_is_refused() -> None:
    err = refused(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', "XSD")
    assert "html" in err.en and "not an iJw 3.2 Bericht" in err.en


def test_unknown_message_code_is_refused(jw301: str) -> None:
    text = jw301.replace("jw301", "jw399")
    err = refused(text.encode("utf-8"), "XSD")
    assert "unknown iJw message JW399" in err.en
    assert err.value == "JW399"


def test_wrong_berichtcode_is_refused(jw301: str) -> None:
    text = jw301.replace("<jw301:BerichtCode>436<", "<jw301:BerichtCode>437<", 1)
    err = refused(text.encode("utf-8"), "XSD")
    assert err.path.endswith("BerichtCode")
    assert "BerichtCode 437" in err.en
    assert "JW301" in err.en and "436" in err.en and "JW302" in err.en


def test_wrong_version_is_refused(jw301: str) -> None:
    text = jw301.replace("<jw301:BerichtSubversie>2<", "<jw301:BerichtSubversie>1<", 1)
    err = refused(text.encode("utf-8"), "XSD")
    assert "BerichtSubversie" in err.en and "requires 2" in err.en


def test_wrong_party_type_is_refused(jw301: str) -> None:
    """JW301 comes from a gemeente (4 digits), not from an AGB code (8 digits)."""
    text = jw301.replace("<jw301:Afzender>0384<", "<jw301:Afzender>12345678<", 1)
    err = refused(text.encode("utf-8"), "XSD")
    assert "Afzender" in err.en and "12345678" in err.en


def test_element_in_wrong_order_is_refused(jw301: str) -> None:
    geslacht = "<jw301:Geslacht>1</jw301:Geslacht>"
    start = jw301.index("<jw301:Geboortedatum>")
    end = jw301.index(geslacht, start) + len(geslacht)
    block = jw301[start:end]
    geboorte = block[: block.index(geslacht)].rstrip()
    swapped = jw301[:start] + geslacht + "\n\t\t" + geboorte + jw301[end:]
    assert swapped != jw301
    err = refused(swapped.encode("utf-8"), "XSD")
    assert "unexpected element Geslacht" in err.en
    assert "expected Geboortedatum" in err.en
    assert "/Client" in err.path


def test_unknown_element_is_refused(jw301: str) -> None:
    text = jw301.replace(
        "<jw301:Geslacht>1</jw301:Geslacht>",
        "<jw301:Geslacht>1</jw301:Geslacht><jw301:Huisdier>kat</jw301:Huisdier>",
        1,
    )
    err = refused(text.encode("utf-8"), "XSD")
    assert "unexpected element Huisdier" in err.en
    assert err.path.endswith("/Huisdier")


def test_element_in_wrong_namespace_is_refused(jw301: str) -> None:
    text = jw301.replace("<jw301:Bsn>999900006</jw301:Bsn>", "<ijw:Bsn>999900006</ijw:Bsn>", 1)
    err = refused(text.encode("utf-8"), "XSD")
    assert "Bsn" in err.en and "basisschema" in err.en


def test_trailing_element_is_refused(jw301: str) -> None:
    text = jw301.replace("</jw301:Client>", "</jw301:Client><jw301:Client/>", 1)
    err = refused(text.encode("utf-8"), "XSD")
    assert "unexpected element Client" in err.en


def test_missing_required_element_is_refused(jw301: str) -> None:
    text = jw301.replace("<jw301:Bsn>999900006</jw301:Bsn>", "", 1)
    err = refused(text.encode("utf-8"), "XSD")
    assert "Bsn" in err.en


def test_bad_value_is_named(jw301: str) -> None:
    text = jw301.replace("<jw301:Geslacht>1<", "<jw301:Geslacht>7<", 1)
    err = refused(text.encode("utf-8"), "XSD")
    assert "Geslacht" in err.en and "'7'" in err.en and "Geslacht" in err.nl


def test_long_bad_value_is_shortened(jw301: str) -> None:
    text = jw301.replace("<jw301:Bsn>999900006<", f"<jw301:Bsn>{'9' * 5000}<", 1)
    err = refused(text.encode("utf-8"), "XSD")
    assert "Bsn" in err.en
    assert len(err.en) < 200


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_message_is_accepted(jw301: str, encoding: str) -> None:
    utf8 = read_message(jw301.encode("utf-8"))
    text = jw301.replace(DECL, '<?xml version="1.0" encoding="UTF-16"?>', 1)
    data = text.encode(encoding)
    assert data != jw301.encode("utf-8")
    assert read_message(data) == utf8


def test_accented_text_survives_utf16(jw301: str) -> None:
    text = jw301.replace("<ijw:Achternaam>Wit<", "<ijw:Achternaam>Özdemir-Brëe<", 1)
    text = text.replace(DECL, '<?xml version="1.0" encoding="UTF-16"?>', 1)
    msg = read_message(text.encode("utf-16"))
    assert msg.client.naam.geslachtsnaam.achternaam == "Özdemir-Brëe"
