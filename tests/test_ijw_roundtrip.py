"""Property tests: every generated model survives writer → reader and satisfies the official XSD."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from strategies import message_strategy
from wijkzicht.ijw import CODE_LISTS, MESSAGES, WriteError, parse_xml, read_message, to_xml, xsd_set
from wijkzicht.ijw.messages import NS_BASIS, namespace

XS = "{http://www.w3.org/2001/XMLSchema}"
PROPERTY = settings(
    max_examples=30,
    deadline=None,
)
CODES = sorted(MESSAGES)


def test_all_fourteen_messages_are_modelled() -> None:
    assert CODES == [
        "JW301", "JW302", "JW305", "JW306", "JW307", "JW308", "JW315",
        "JW316", "JW317", "JW318", "JW319", "JW320", "JW323", "JW325",
    ]  # fmt: skip


@pytest.mark.parametrize("code", CODES)
def test_model_to_xml_to_model(code: str, xsd_dir: Path) -> None:
    cls = MESSAGES[code]
    schemas = xsd_set(str(xsd_dir))

    @PROPERTY
    @given(msg=message_strategy(cls))
    def roundtrip(msg) -> None:
        data = to_xml(msg)
        back = read_message(data)
        assert type(back) is cls
        assert back == msg
        # the writer's output is what the official XSD wants: namespaces, order, no empty elements
        schemas.validate(code, parse_xml(data))
        # compact output reads back the same
        assert read_message(to_xml(msg, pretty=False)) == msg

    roundtrip()


@pytest.mark.parametrize("code", CODES)
def test_root_uses_ijw_and_message_prefixes(code: str) -> None:
    cls = MESSAGES[code]

    @settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
    @given(msg=message_strategy(cls))
    def check(msg) -> None:
        data = to_xml(msg)
        root = etree.fromstring(data)
        prefix = code.lower()
        assert root.tag == f"{{{namespace(code)}}}Bericht"
        assert root.nsmap == {"ijw": NS_BASIS, prefix: namespace(code)}
        assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        assert f"<{prefix}:Bericht ".encode() in data
        assert f"<{prefix}:Header>".encode() in data
        assert b"<ijw:Identificatie>" in data
        # no element anywhere is empty (RS033)
        for el in root.iter():
            assert len(el) or (el.text or "").strip(), etree.QName(el).localname

    check()


def _example_model(code: str):
    """One arbitrary but fixed valid instance, for the writer's negative tests."""
    found = []

    @settings(max_examples=1, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(msg=message_strategy(MESSAGES[code]))
    def grab(msg) -> None:
        found.append(msg)

    grab()
    return found[-1]


def test_writer_refuses_a_missing_required_field() -> None:
    msg = _example_model("JW301")
    broken = dataclasses.replace(msg, client=dataclasses.replace(msg.client, bsn=None))
    with pytest.raises(WriteError, match=r"JW301/Client/Bsn is required"):
        to_xml(broken)


def test_writer_refuses_a_missing_required_child() -> None:
    msg = _example_model("JW305")
    broken = dataclasses.replace(msg, header=dataclasses.replace(msg.header, xsd_versie=None))
    with pytest.raises(WriteError, match=r"JW305/Header/XsdVersie is required"):
        to_xml(broken)


def test_writer_refuses_an_empty_required_list() -> None:
    msg = _example_model("JW323")
    broken = dataclasses.replace(msg, declaratie=dataclasses.replace(msg.declaratie, clienten=[]))
    with pytest.raises(WriteError, match=r"JW323/Declaratie/Clienten is required"):
        to_xml(broken)


def test_writer_refuses_an_empty_required_retour_codes() -> None:
    msg = _example_model("JW325")
    broken = dataclasses.replace(msg, header=dataclasses.replace(msg.header, retour_codes=[]))
    with pytest.raises(WriteError, match=r"JW325/Header/RetourCodes is required"):
        to_xml(broken)


def test_writer_refuses_an_empty_string() -> None:
    msg = _example_model("JW319")
    broken = dataclasses.replace(
        msg, antwoord=dataclasses.replace(msg.antwoord, referentie_aanbieder="")
    )
    with pytest.raises(WriteError, match=r"ReferentieAanbieder would be an empty element"):
        to_xml(broken)


def test_writer_omits_an_empty_optional_list() -> None:
    msg = _example_model("JW317")
    verzoek = dataclasses.replace(
        msg.client.verzoek, ongewijzigde_producten=[], te_wijzigen_producten=[]
    )
    data = to_xml(dataclasses.replace(msg, client=dataclasses.replace(msg.client, verzoek=verzoek)))
    assert b"OngewijzigdeProducten" not in data
    assert b"TeWijzigenProducten" not in data


def _xsd_enumerations(xsd_dir: Path) -> dict[str, set[str]]:
    doc = etree.parse(str(xsd_dir / "basisschema.xsd"))
    out = {}
    for simple in doc.iter(f"{XS}simpleType"):
        values = {e.get("value") for e in simple.iter(f"{XS}enumeration")}
        if values:
            out[simple.get("name")] = values
    return out


@pytest.mark.parametrize("name", sorted(CODE_LISTS))
def test_code_list_equals_xsd_enumeration(name: str, xsd_dir: Path) -> None:
    enums = _xsd_enumerations(xsd_dir)
    assert f"LDT_{name}" in enums
    assert set(CODE_LISTS[name]) == enums[f"LDT_{name}"]
