"""The published example messages: read, round-trip, validate; the two broken ones are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES_DIR
from wijkzicht.ijw import MESSAGES, IjwError, parse_xml, read_message, to_xml, xsd_set

EXAMPLES = sorted(p.name for p in EXAMPLES_DIR.glob("*.xml"))
INVALID = {
    # file: (offending element, words the reason must contain)
    "JW315-impossible-date.xml": ("ToewijzingEinddatum", ("2027-06-31", "not an existing date")),
    "JW318-retourcode-outside-wrapper.xml": ("RetourCode", ("unexpected element", "RetourCodes")),
}


def test_examples_are_there() -> None:
    assert len(EXAMPLES) == 12
    assert sorted(p.name for p in (EXAMPLES_DIR / "invalid").glob("*.xml")) == sorted(INVALID)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_reads_into_its_model(name: str, examples_dir: Path) -> None:
    msg = read_message((examples_dir / name).read_bytes())
    code = name.removesuffix(".xml")
    assert type(msg) is MESSAGES[code]
    assert msg.code == code
    assert msg.header.bericht_code == MESSAGES[code].bericht_code
    assert (msg.header.bericht_versie, msg.header.bericht_subversie) == (3, 2)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_round_trips(name: str, examples_dir: Path) -> None:
    msg = read_message((examples_dir / name).read_bytes())
    written = to_xml(msg)
    assert read_message(written) == msg
    # writing is deterministic: the second generation is byte-identical
    assert to_xml(read_message(written)) == written


@pytest.mark.parametrize("name", EXAMPLES)
def test_written_example_validates(name: str, examples_dir: Path, xsd_dir: Path) -> None:
    msg = read_message((examples_dir / name).read_bytes())
    xsd_set(str(xsd_dir)).validate(msg.code, parse_xml(to_xml(msg)))


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_validates_as_is(name: str, examples_dir: Path, xsd_dir: Path) -> None:
    root = parse_xml((examples_dir / name).read_bytes())
    xsd_set(str(xsd_dir)).validate(name.removesuffix(".xml"), root)


def test_example_keeps_its_data(examples_dir: Path) -> None:
    """Spot-check that values land in the right fields (not only that they round-trip)."""
    msg = read_message((examples_dir / "JW301.xml").read_bytes())
    assert msg.header.afzender == "0384"
    assert msg.header.ontvanger == "42420001"
    assert msg.client.bsn == "999900006"
    assert msg.client.naam.geslachtsnaam.achternaam == "Wit"
    assert msg.client.naam.geslachtsnaam.voorvoegsel == "de"
    assert msg.client.communicatie.taal == "Zweeds"
    assert len(msg.client.toegewezen_producten) >= 1


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_example_is_refused_by_the_reader(name: str, examples_dir: Path) -> None:
    element, words = INVALID[name]
    with pytest.raises(IjwError) as info:
        read_message((examples_dir / "invalid" / name).read_bytes())
    err = info.value
    assert err.rule == "XSD"
    assert err.path.rsplit("/", 1)[-1].startswith(element)
    assert element in err.en
    for word in words:
        assert word in err.en
    assert element in err.nl


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_example_fails_the_xsd(name: str, examples_dir: Path, xsd_dir: Path) -> None:
    element, _ = INVALID[name]
    code = name.split("-", 1)[0]
    root = parse_xml((examples_dir / "invalid" / name).read_bytes())
    with pytest.raises(IjwError) as info:
        xsd_set(str(xsd_dir)).validate(code, root)
    assert info.value.rule == "XSD"
    assert element in info.value.en
