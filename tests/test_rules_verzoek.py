"""JW315 VOT, JW317 VOW, JW319 antwoord: CD043, CD066–CD068, TR383, TR352, TR353, TR380,
CD085, CD086, TR377, TR409, TR101 on the VOW classes."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from builders import Case, Cases, jw315, jw317, jw319, jw319_in_onderzoek, nieuw_product
from wijkzicht.ijw.basis import Verwijzer
from wijkzicht.ijw.messages import OngewijzigdProduct, Woonplaatsbeginsel
from wijkzicht.ijw.rules import check_message

CASES = Cases()
AP = "JW315/Client/AangevraagdeProducten/AangevraagdProduct"
VZ = "JW317/Client/Verzoek"


def ap(m, i=0):
    return m.client.aangevraagde_producten[i]


# --------------------------------------------------------------------------- JW315


@CASES("CD043", jw315, "BeschikkingNummer", "20250117", path=f"{AP}[2]/BeschikkingIngangsdatum")
def beschikking_number_without_date(m):
    ap(m, 1).beschikking_ingangsdatum = None


@CASES("CD043", jw315, "BeschikkingIngangsdatum", "2025-01-20")
def beschikking_date_without_number(m):
    ap(m).beschikking_ingangsdatum = date(2025, 1, 20)


@CASES("CD066", jw315, "Naam", "Dr. A. de Vries", path=f"{AP}[1]/Verwijzer/Naam")
def huisarts_with_code_and_name(m):
    ap(m).verwijzer.naam = "Dr. A. de Vries"


@CASES("CD067", jw315, "Naam", "03", path=f"{AP}[1]/Verwijzer/Naam")
def jeugdarts_without_code_or_name(m):
    ap(m).verwijzer = Verwijzer(type="03")


@CASES("CD068", jw315, "ZorgverlenerCode", "01012345", path=f"{AP}[2]/Verwijzer/ZorgverlenerCode")
def gemeente_with_zorgverlener_code(m):
    ap(m, 1).verwijzer.zorgverlener_code = "01012345"


@CASES("CD068", jw315, "ZorgverlenerCode", "06")
def self_referral_with_code(m):
    ap(m).verwijzer = Verwijzer(type="06", zorgverlener_code="01012345")


@CASES("TR383", jw315, "ReferentieAanbieder", "VOT-2025-0042", path=f"{AP}[2]/ReferentieAanbieder")
def same_reference_twice(m):
    ap(m, 1).referentie_aanbieder = "VOT-2025-0042"


@pytest.mark.parametrize(
    "verwijzer",
    [
        Verwijzer(type="02", naam="Huisartsenpraktijk Lunetten"),
        Verwijzer(type="05", zorgverlener_code="03034567"),
        Verwijzer(type="08"),
        Verwijzer(type="06", naam="Moeder van Daan"),
    ],
)
def test_valid_verwijzers(verwijzer):
    m = jw315()
    ap(m).verwijzer = verwijzer
    assert check_message(m) == []


# --------------------------------------------------------------------------- JW317


@CASES("TR352", jw317, "TeWijzigenProduct", "1", path=VZ)
def only_new_products(m):
    v = m.client.verzoek
    v.ongewijzigde_producten, v.te_wijzigen_producten = [], []


@CASES("TR353", jw317, "NieuwProduct", "1", path=VZ)
def nothing_to_change(m):
    v = m.client.verzoek
    v.te_wijzigen_producten, v.nieuwe_producten = [], []


@CASES(
    "TR380",
    jw317,
    "GewensteIngangsdatum",
    "2025-06-02",
    path=f"{VZ}/NieuweProducten/NieuwProduct[1]/GewensteIngangsdatum",
)
def new_product_starting_on_dagtekening(m):
    m.client.verzoek.nieuwe_producten[0].gewenste_ingangsdatum = date(2025, 6, 2)


@CASES("TR380", jw317, "GewensteIngangsdatum", "2025-05-01")
def new_product_in_the_past(m):
    m.client.verzoek.nieuwe_producten[0].gewenste_ingangsdatum = date(2025, 5, 1)


@CASES(
    "TR101",
    jw317,
    "ToewijzingNummer",
    "2025002",
    path=f"{VZ}/OngewijzigdeProducten/OngewijzigdProduct[2]",
)
def unchanged_product_twice(m):
    m.client.verzoek.ongewijzigde_producten.append(OngewijzigdProduct(toewijzing_nummer=2025002))


@CASES("TR101", jw317, "ToewijzingNummer", "2025001")
def changed_product_twice(m):
    v = m.client.verzoek
    later = copy.deepcopy(v.te_wijzigen_producten[0])
    later.gewenste_ingangsdatum = date(2025, 9, 1)
    v.te_wijzigen_producten.append(later)


def test_new_product_key_twice_also_overlaps():
    # Same Product and GewensteIngangsdatum twice: a duplicate (TR101) that always overlaps (TR410).
    m = jw317()
    m.client.verzoek.nieuwe_producten.append(nieuw_product())
    assert {e.rule for e in check_message(m)} == {"TR101", "TR410"}


def test_references_to_current_toewijzingen_are_level_3():
    # Referring to current toewijzingen is level 3 (TR349–TR351); level 2 does not look.
    m = jw317()
    m.client.verzoek.ongewijzigde_producten[0].toewijzing_nummer = 99
    assert check_message(m) == []


# --------------------------------------------------------------------------- JW319


@CASES("CD085", jw319, "RedenAfwijzingVerzoek", "1", path="JW319/Antwoord/RedenAfwijzingVerzoek")
def rejected_without_reason(m):
    m.antwoord.reden_afwijzing_verzoek, m.antwoord.woonplaatsbeginsel = None, None


@CASES(
    "CD086",
    jw319_in_onderzoek,
    "RedenAfwijzingVerzoek",
    "6",
    path="JW319/Antwoord/RedenAfwijzingVerzoek",
)
def investigation_with_reason(m):
    m.antwoord.reden_afwijzing_verzoek = "6"


@CASES("TR377", jw319, "Woonplaatsbeginsel", "8", path="JW319/Antwoord/Woonplaatsbeginsel")
def woonplaatsbeginsel_without_gemeente(m):
    m.antwoord.woonplaatsbeginsel = None


@CASES("TR409", jw319, "Woonplaatsbeginsel", "0363", path="JW319/Antwoord/Woonplaatsbeginsel")
def gemeente_with_other_reason(m):
    m.antwoord.reden_afwijzing_verzoek = "3"


@CASES("TR409", jw319_in_onderzoek, "Woonplaatsbeginsel", "0363")
def gemeente_while_investigating(m):
    m.antwoord.woonplaatsbeginsel = Woonplaatsbeginsel(gemeente="0363")


@pytest.mark.parametrize("reden", [str(r) for r in range(1, 8)] + ["9"])
def test_every_other_rejection_reason_passes(reden):
    m = jw319()
    m.antwoord.reden_afwijzing_verzoek, m.antwoord.woonplaatsbeginsel = reden, None
    assert check_message(m) == []


def test_investigation_answer_passes():
    assert check_message(jw319_in_onderzoek()) == []


@pytest.mark.parametrize("case", CASES.params())
def test_breaks_only_this_rule(case: Case):
    case.run()
