"""check_message as a whole: valid baselines, the reference examples, the registry, coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import test_rules_addresses
import test_rules_declaratie
import test_rules_persons
import test_rules_products
import test_rules_regie
import test_rules_verzoek
from builders import BUILDERS, jw301, jw319_in_onderzoek
from strategies import message_strategy
from wijkzicht.ijw import MESSAGES, read_message, to_element, to_xml, xsd_set
from wijkzicht.ijw.errors import IjwError
from wijkzicht.ijw.rules import CHECKERS, RULES, check_message, rules_for

# The rules of facts.md §6.2 (level 2, retour 0001).
SECTION_6_2 = {
    "CS002", "CS003", "TR018", "TR134", "TR137", "TR002", "CS139", "CS050", "CS318",
    "CD005", "CD025", "CD034", "CS089", "CD009", "TR006", "TR061", "CD007", "CD041",
    "CD079", "CD077", "CD078", "CD075", "CD076", "CD080", "CD095", "CD096", "CS338",
    "CS343", "CS335", "CS336", "TR302", "TR386", "TR410", "CD043", "CD066", "CD067",
    "CD068", "TR383", "TR352", "TR353", "TR380", "CD085", "CD086", "TR377", "TR409",
    "CS058", "CS340", "CS100", "CS337", "TR319", "TR335", "CD087", "CS339", "CD060",
    "TR315", "TR316", "TR416", "TR358", "TR342", "CS325", "TR101",
}  # fmt: skip

# Rules that cannot be broken alone: one condition seen from two elements.
INSEPARABLE = {"CD077", "CD078"}

# Examples that break a rule: the reference examples are real but not all level-2 clean.
EXAMPLE_QUIRKS = {
    # NieuwProduct Einddatum 2024-02-28 lies before its GewensteIngangsdatum 2026-11-01.
    "JW317.xml": {"CS003"},
    # Client 999900018 has ReferentieNummer RN004 twice without VorigReferentieNummer (TR101),
    # and claims toewijzing 10073 / 45A04 / April 2026 that client 999900006 claims as well
    # (TR416 compares the debet prestaties of the whole message).
    "JW323.xml": {"TR101", "TR416"},
}

ALL_CASES = [
    *test_rules_addresses.CASES,
    *test_rules_declaratie.CASES,
    *test_rules_persons.CASES,
    *test_rules_products.CASES,
    *test_rules_regie.CASES,
    *test_rules_verzoek.CASES,
]


@pytest.mark.parametrize("code", sorted(BUILDERS))
def test_baseline_builders_are_valid(code):
    assert check_message(BUILDERS[code]()) == []


@pytest.mark.parametrize("code", sorted(BUILDERS))
def test_baseline_builders_pass_the_xsd_and_round_trip(code, xsd_dir: Path):
    msg = BUILDERS[code]()
    xsd_set(str(xsd_dir)).validate(code, to_element(msg))
    assert read_message(to_xml(msg)) == msg


def test_second_jw319_shape_is_valid():
    assert check_message(jw319_in_onderzoek()) == []


def example_files() -> list[str]:
    from conftest import EXAMPLES_DIR

    return sorted(p.name for p in EXAMPLES_DIR.glob("*.xml"))


@pytest.mark.parametrize("name", example_files())
def test_examples(name, examples_dir: Path):
    msg = read_message((examples_dir / name).read_bytes())
    errors = check_message(msg)
    assert {e.rule for e in errors} == EXAMPLE_QUIRKS.get(name, set()), [
        (e.rule, e.path, e.en) for e in errors
    ]


def test_examples_cover_all_message_types(examples_dir: Path):
    names = {p.stem for p in examples_dir.glob("*.xml")}
    assert set(CHECKERS) <= names | {"JW315"}  # JW315.xml has an impossible date (invalid/)


def test_registry_is_section_6_2():
    assert set(RULES) == SECTION_6_2


@pytest.mark.parametrize("code", sorted(SECTION_6_2))
def test_rule_descriptions(code):
    rule = RULES[code]
    assert rule.code == code
    assert rule.nl and rule.en and "\n" not in rule.nl and "\n" not in rule.en
    assert rule.messages and set(rule.messages) <= set(CHECKERS)
    assert callable(rule.check)
    assert rule.kind in {"conditie", "constraint", "technische regel"}
    assert rule.theme in {
        "addresses", "dates", "declaratie", "keys", "persons", "products", "regie", "verzoek"
    }  # fmt: skip


def test_rules_for_a_message():
    codes = {r.code for r in rules_for("JW319")}
    assert codes == {"CD085", "CD086", "TR377", "TR409"}
    assert "CS002" in {r.code for r in rules_for("JW323")}
    assert rules_for("JW302") == []


def test_every_rule_has_a_case_that_breaks_only_it():
    covered = {c.code for c in ALL_CASES}
    assert covered | INSEPARABLE == SECTION_6_2
    # and every case's rule applies to the message the case breaks
    for c in ALL_CASES:
        assert c.builder().code in RULES[c.code].messages, (c.code, c.mutate.__name__)


@pytest.mark.parametrize("code", ["JW302", "JW306", "JW308", "JW316", "JW318", "JW320"])
def test_retour_messages_are_not_checked(code):
    assert code in MESSAGES and code not in CHECKERS


def test_all_violations_are_reported_not_just_the_first():
    m = jw301()
    m.client.bsn = "999900032"
    m.client.naam.naam_gebruik = "6"
    m.client.communicatie.taal = None
    m.client.toegewezen_producten[0].omvang = None
    m.client.toegewezen_producten[1].reden_wijziging = "01"
    errors = check_message(m)
    assert sorted(e.rule for e in errors) == ["CD007", "CD041", "CS002", "CS318", "CS336"]
    assert all(isinstance(e, IjwError) for e in errors)


def test_violation_fields():
    m = jw301()
    m.client.toegewezen_producten[1].einddatum = m.client.toegewezen_producten[
        1
    ].ingangsdatum.replace(day=1, month=3)
    (e,) = check_message(m)
    assert e.rule == "CS003"
    assert e.path == "JW301/Client/ToegewezenProducten/ToegewezenProduct[2]/Einddatum"
    assert e.en == "Einddatum 2025-03-01 is before Ingangsdatum 2025-04-01 (CS003)"
    assert e.nl == "Einddatum 2025-03-01 ligt vóór Ingangsdatum 2025-04-01 (CS003)"
    assert e.value == "2025-03-01"
    assert str(e).startswith("CS003 at JW301/Client/")


def test_messages_are_not_changed_by_checking():
    m = jw301()
    m.client.bsn = "999900032"
    before = to_xml(m)
    check_message(m)
    assert to_xml(m) == before


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_random_messages_never_crash_the_rules(code):

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
    @given(message_strategy(MESSAGES[code]))
    def check(msg):
        for e in check_message(msg):
            assert e.rule in RULES and msg.code in RULES[e.rule].messages
            assert e.path.startswith(f"{code}/")
            assert e.en.endswith(f"({e.rule})") and e.nl.endswith(f"({e.rule})")

    check()
