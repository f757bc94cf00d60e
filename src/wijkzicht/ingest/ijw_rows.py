"""From an accepted iJw message to the rows the store keeps: pseudonymised, minimised.

What is dropped on purpose: names, addresses (kept only as postcode + huisnummer until resolved
to a buurt, see ``docs/store.md``), phone numbers, e-mail addresses, free-text comments,
relations, the verwijzer's name and the day of birth.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from wijkzicht.ijw.fields import Model
from wijkzicht.ijw.messages import Message
from wijkzicht.store.keys import Keys

GESLACHT = {"1": "M", "2": "V", "0": "O"}
# Contact soorten in order of preference for the client's living address.
_ADRES_VOORKEUR = ("01", "03", "02", "04")


def birth_month(geboortedatum: Any) -> tuple[date | None, str | None]:
    """Birth date reduced to the 1st of its month, and the DatumGebruik code."""
    if geboortedatum is None:
        return None, None
    gebruik = geboortedatum.datum_gebruik
    if gebruik == "3":
        return None, gebruik
    return geboortedatum.datum.replace(day=1), gebruik


def _client(keys: Keys, client: Any) -> tuple:
    maand, gebruik = birth_month(getattr(client, "geboortedatum", None))
    geslacht = getattr(client, "geslacht", None)
    return (keys.pseudonym(client.bsn), maand, gebruik, GESLACHT.get(geslacht, geslacht))


def _product(product: Any) -> tuple[str | None, str | None]:
    return (product.categorie, product.code) if product is not None else (None, None)


def _omvang(omvang: Any) -> tuple[int | None, str | None, str | None]:
    if omvang is None:
        return None, None, None
    return omvang.volume, omvang.eenheid, omvang.frequentie


def header_row(msg: Message, keys: Keys) -> dict[str, Any]:
    """The ``messages`` columns of one message (without key, seq and status)."""
    h = msg.header
    ident, dag = h.bericht_identificatie.identificatie, h.bericht_identificatie.dagtekening
    ref_id = ref_dag = None
    if msg.retour_of is not None:
        ref_id, ref_dag = ident, dag
        ident, dag = h.identificatie_retour, h.dagtekening_retour
    elif msg.code == "JW325":
        ref_id = h.declaratie_identificatie.identificatie
        ref_dag = h.declaratie_identificatie.dagtekening
    client = getattr(msg, "client", None)
    return {
        "code": msg.code,
        "afzender": h.afzender,
        "ontvanger": h.ontvanger,
        "identificatie": ident,
        "dagtekening": dag,
        "ref_identificatie": ref_id,
        "ref_dagtekening": ref_dag,
        "client": keys.pseudonym(client.bsn) if client is not None else None,
    }


def message_rows(msg: Message, key: str, keys: Keys) -> dict[str, list[tuple]]:
    """Rows per table for one accepted message; an address still to resolve to a buurt goes to
    ``address_pending`` (tabel, key, pos, postcode, huisnummer), as for the CSV inputs."""
    rows: dict[str, list[tuple]] = {}
    h = msg.header
    if msg.retour_of is not None or msg.code == "JW325":
        rows["retourcodes"] = _retourcodes(msg, key, keys)
        if msg.code == "JW325":
            rows["declaratie_antwoorden"] = [_declaratie_antwoord(msg, key)]
        return rows
    _HANDLERS[msg.code](msg, key, keys, rows, h)
    return rows


def _jw301(msg, key, keys, rows, h) -> None:
    c = msg.client
    who = _client(keys, c)
    rows["toewijzingen"] = [
        (
            key,
            pos,
            h.afzender,
            h.ontvanger,
            *who,
            c.juridische_status,
            c.wettelijke_vertegenwoordiging,
            p.toewijzing_nummer,
            p.referentie_aanbieder,
            *_product(p.product),
            p.toewijzingsdatum,
            p.toewijzingstijd,
            p.ingangsdatum,
            p.einddatum,
            p.reden_wijziging,
            *_omvang(p.omvang),
            p.budget,
        )
        for pos, p in enumerate(c.toegewezen_producten)
    ]
    adres = _living_address(c.contactgegevens)
    if adres is not None:
        rows["address_history"] = [
            (
                key,
                0,
                "jw301",
                *who,
                None,
                h.bericht_identificatie.dagtekening,
                None,
                f"GM{h.afzender}",
                None,
                None,
            )
        ]
        rows["address_pending"] = [("address_history", key, 0, *adres)]


def _living_address(contacts: list) -> tuple[str, int | None] | None:
    by_soort = {}
    for contact in contacts:
        a = contact.adres
        if a is None or not a.postcode or (a.land_code not in (None, "NL")):
            continue
        by_soort.setdefault(contact.soort, a)
    for soort in _ADRES_VOORKEUR:
        a = by_soort.get(soort)
        if a is not None:
            return normal_postcode(a.postcode), a.huis.huisnummer if a.huis else None
    return None


def normal_postcode(text: str) -> str:
    return text.replace(" ", "").upper()


def _jw305(msg, key, keys, rows, h) -> None:
    c = msg.client
    who = _client(keys, c)
    rows["starts"] = [
        (
            key,
            pos,
            h.afzender,
            h.ontvanger,
            *who,
            p.toewijzing_nummer,
            *_product(p.product),
            p.toewijzing_ingangsdatum,
            p.begindatum,
            p.status_aanlevering,
        )
        for pos, p in enumerate(c.start_producten)
    ]


def _jw307(msg, key, keys, rows, h) -> None:
    c = msg.client
    who = _client(keys, c)
    rows["stops"] = [
        (
            key,
            pos,
            h.afzender,
            h.ontvanger,
            *who,
            p.toewijzing_nummer,
            *_product(p.product),
            p.toewijzing_ingangsdatum,
            p.begindatum,
            p.reden_beeindiging,
            p.einddatum,
            p.status_aanlevering,
        )
        for pos, p in enumerate(c.stop_producten)
    ]


def _jw315(msg, key, keys, rows, h) -> None:
    c = msg.client
    who = _client(keys, c)
    rows["verzoeken"] = [
        (
            key,
            pos,
            h.afzender,
            h.ontvanger,
            *who,
            c.gezagsdrager_bekend,
            p.referentie_aanbieder,
            p.beschikking_nummer,
            *_product(p.product),
            p.beschikking_ingangsdatum,
            p.toewijzing_ingangsdatum,
            p.toewijzing_einddatum,
            *_omvang(p.omvang),
            p.budget,
            p.verwijzer.type,
            p.verwijzer.zorgverlener_code,
            p.raamcontract,
        )
        for pos, p in enumerate(c.aangevraagde_producten)
    ]


def _jw317(msg, key, keys, rows, h) -> None:
    c = msg.client
    v = c.verzoek
    out: list[tuple] = []
    for p in v.ongewijzigde_producten:
        out.append(
            ("ongewijzigd", p.toewijzing_nummer, None, None, None, None, *_omvang(None), None)
        )
    for p in v.te_wijzigen_producten:
        out.append(
            (
                "te_wijzigen",
                p.toewijzing_nummer,
                None,
                None,
                p.gewenste_ingangsdatum,
                p.einddatum,
                *_omvang(p.omvang),
                p.budget,
            )
        )
    for p in v.nieuwe_producten:
        out.append(
            (
                "nieuw",
                None,
                *_product(p.product),
                p.gewenste_ingangsdatum,
                p.einddatum,
                *_omvang(p.omvang),
                p.budget,
            )
        )
    base = (h.afzender, h.ontvanger, keys.pseudonym(c.bsn), v.referentie_aanbieder, v.reden_verzoek)
    rows["verzoek_wijzigingen"] = [(key, pos, *base, *r) for pos, r in enumerate(out)]


def _jw319(msg, key, keys, rows, h) -> None:
    a = msg.antwoord
    rows["antwoorden"] = [
        (
            key,
            h.afzender,
            h.ontvanger,
            a.referentie_aanbieder,
            a.verzoek_antwoord,
            a.reden_afwijzing_verzoek,
            a.woonplaatsbeginsel.gemeente if a.woonplaatsbeginsel else None,
        )
    ]


def _jw323(msg, key, keys, rows, h) -> None:
    d = msg.declaratie
    out = []
    for c in d.clienten:
        client = keys.pseudonym(c.bsn)
        for p in c.prestaties:
            out.append(
                (
                    key,
                    len(out),
                    h.afzender,
                    h.ontvanger,
                    d.declaratie_nummer,
                    d.declaratie_periode.begindatum,
                    d.declaratie_periode.einddatum,
                    d.declaratie_dagtekening,
                    client,
                    p.product_referentie.referentie_nummer,
                    p.product_referentie.vorig_referentie_nummer,
                    p.toewijzing_nummer,
                    p.product_categorie,
                    p.product_code,
                    p.product_periode.begindatum,
                    p.product_periode.einddatum,
                    p.geleverd_volume,
                    p.eenheid,
                    p.product_tarief,
                    p.ingediend_bedrag.bedrag,
                    p.ingediend_bedrag.debet_credit,
                )
            )
    rows["prestaties"] = out


def _declaratie_antwoord(msg, key) -> tuple:
    h = msg.header
    da = msg.declaratie_antwoord
    return (
        key,
        h.afzender,
        h.ontvanger,
        h.declaratie_identificatie.identificatie,
        h.declaratie_identificatie.dagtekening,
        da.declaratie_nummer if da else None,
        da.totaal_ingediend_bedrag.totaal_bedrag if da else None,
        da.totaal_ingediend_bedrag.debet_credit if da else None,
        da.totaal_toegekend_bedrag.totaal_bedrag if da else None,
        da.totaal_toegekend_bedrag.debet_credit if da else None,
    )


def _klasse(obj: Model) -> str:
    name = type(obj).__name__
    name = name.removesuffix("Retour").rstrip("0123456789")
    return {"RetourHeader": "Header", "DeclaratieAntwoordHeader": "Header"}.get(
        type(obj).__name__, name
    )


def _sleutel(obj: Any) -> str | None:
    for attr in ("toewijzing_nummer", "referentie_aanbieder", "declaratie_nummer"):
        value = getattr(obj, attr, None)
        if value is not None:
            return str(value)
    ref = getattr(obj, "product_referentie", None)
    if ref is not None:
        return ref.referentie_nummer
    return None


_WALK: dict[type, tuple[bool, bool, tuple[str, ...]]] = {}


def _walk_plan(cls: type) -> tuple[bool, bool, tuple[str, ...]]:
    """Per model class: has a ``bsn`` field, has ``retour_codes``, its model-valued fields."""
    plan = _WALK.get(cls)
    if plan is None:
        fields = cls.xml_fields()  # type: ignore[attr-defined]
        names = {f.name for f in fields}
        plan = _WALK[cls] = (
            "bsn" in names,
            "retour_codes" in names,
            tuple(f.name for f in fields if f.spec.model is not None),
        )
    return plan


def _retourcodes(msg: Message, key: str, keys: Keys) -> list[tuple]:
    out: list[tuple] = []

    def walk(obj: Any, client: str | None) -> None:
        if isinstance(obj, list):
            for item in obj:
                walk(item, client)
            return
        if not isinstance(obj, Model):
            return
        has_bsn, has_codes, children = _walk_plan(type(obj))
        if has_bsn:
            bsn = obj.bsn  # type: ignore[attr-defined]
            if isinstance(bsn, str):
                client = keys.pseudonym(bsn)
        if has_codes:
            for code in obj.retour_codes or []:  # type: ignore[attr-defined]
                out.append((key, len(out), msg.code, _klasse(obj), _sleutel(obj), client, code))
        for name in children:
            walk(getattr(obj, name), client)

    walk(msg, None)
    return out


_HANDLERS = {
    "JW301": _jw301,
    "JW305": _jw305,
    "JW307": _jw307,
    "JW315": _jw315,
    "JW317": _jw317,
    "JW319": _jw319,
    "JW323": _jw323,
}
