"""JW305 Start and JW307 Stop: CS058, TR018, TR134, TR101."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from builders import Case, Cases, jw305, jw307, only
from wijkzicht.ijw.basis import Product
from wijkzicht.ijw.rules import check_message

CASES = Cases()
SP1 = "JW305/Client/StartProducten/StartProduct[1]"
ST1 = "JW307/Client/StopProducten/StopProduct[1]"


@CASES("CS058", jw305, "StatusAanlevering", "2", path=f"{SP1}/StatusAanlevering")
def start_marked_as_changed(m):
    m.client.start_producten[0].status_aanlevering = "2"


@CASES("CS058", jw307, "StatusAanlevering", "9", path=f"{ST1}/StatusAanlevering")
def stop_marked_not_applicable(m):
    m.client.stop_producten[0].status_aanlevering = "9"


@CASES("TR018", jw307, "Einddatum", "2025-03-16", path=f"{ST1}/Einddatum")
def stop_before_start(m):
    m.client.stop_producten[0].einddatum = date(2025, 3, 16)


@CASES("TR134", jw305, "Begindatum", "2025-04-08", path=f"{SP1}/Begindatum")
def start_after_dagtekening(m):
    m.client.start_producten[0].begindatum = date(2025, 4, 8)


@CASES("TR134", jw307, "Einddatum", "2025-10-07", path=f"{ST1}/Einddatum")
def stop_after_dagtekening(m):
    m.client.stop_producten[0].einddatum = date(2025, 10, 7)


@CASES(
    "TR101",
    jw305,
    "ToewijzingNummer 2025001",
    "45/45A03",
    path="JW305/Client/StartProducten/StartProduct[2]",
)
def start_sent_twice(m):
    m.client.start_producten[1] = copy.deepcopy(m.client.start_producten[0])


@CASES("TR101", jw305, "Begindatum", "2025-03-17")
def taakgericht_start_twice(m):
    # Taakgericht: no ToewijzingNummer, the key is Product + Begindatum.
    for sp in m.client.start_producten:
        sp.toewijzing_nummer, sp.toewijzing_ingangsdatum = None, None
        sp.product, sp.begindatum = Product(categorie="45", code="45A03"), date(2025, 3, 17)


@CASES(
    "TR101",
    jw307,
    "RedenBeeindiging",
    "2025-10-03",
    path="JW307/Client/StopProducten/StopProduct[2]",
)
def stop_sent_twice(m):
    m.client.stop_producten[1] = copy.deepcopy(m.client.stop_producten[0])


def test_delete_and_new_delivery_in_one_message():
    """A correction: the wrong start deleted (3) and the right one sent (1) with another date."""
    m = jw305()
    wrong = copy.deepcopy(m.client.start_producten[0])
    wrong.status_aanlevering, wrong.begindatum = "3", date(2025, 3, 14)
    m.client.start_producten.insert(0, wrong)
    assert check_message(m) == []


def test_temporary_and_final_stop_differ_in_key():
    m = jw307()
    temporary = copy.deepcopy(m.client.stop_producten[0])
    temporary.reden_beeindiging, temporary.einddatum = "20", date(2025, 7, 18)
    m.client.stop_producten.insert(0, temporary)
    assert check_message(m) == []


def test_stop_on_its_start_date_passes():
    m = jw307()
    m.client.stop_producten[0].einddatum = m.client.stop_producten[0].begindatum
    assert check_message(m) == []


def test_start_on_dagtekening_passes():
    m = jw305()
    m.client.start_producten[1].begindatum = m.header.bericht_identificatie.dagtekening
    assert check_message(m) == []


def test_several_errors_in_one_stop_are_all_reported():
    m = jw307()
    sp = m.client.stop_producten[1]
    sp.einddatum, sp.status_aanlevering = date(2025, 3, 1), "2"
    errors = check_message(m)
    assert sorted(e.rule for e in errors) == ["CS058", "TR018"]
    assert all("StopProduct[2]" in e.path for e in errors)


@pytest.mark.parametrize("case", CASES.params())
def test_breaks_only_this_rule(case: Case):
    case.run()


def test_only_helper_rejects_a_second_rule():
    m = jw305()
    m.client.start_producten[0].status_aanlevering = "2"
    m.client.bsn = "999900032"
    with pytest.raises(AssertionError):
        only(m, "CS058")
