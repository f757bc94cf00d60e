"""Deliberate errors in the synthetic traffic, each tagged with the rule it breaks.

A small share of heenberichten is first sent wrong and then resent correctly (a rejected
message counts as "not sent", OP286), so the ground truth stays recoverable from the valid
messages. The wrong copy gets the retour the standard prescribes: RetourCode 0001 for an
in-message (level 2) error, the rule's own code for TR056, none for an XSD error.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable
from datetime import timedelta

from wijkzicht.ijw import messages as m
from wijkzicht.ijw.xmlio import to_xml
from wijkzicht.synth.traffic import RETOUR, Sent, Traffic

_DATUM = re.compile(rb"(<ijw:Datum>)(\d{4})-\d{2}-\d{2}(</ijw:Datum>)")


def _bad_bsn(bsn: str) -> str:
    last = (int(bsn[-1]) + 1) % 10
    return bsn[:-1] + str(last)


def _cs002(msg: m.Message) -> bool:
    client = getattr(msg, "client", None)
    if client is None:
        return False
    client.bsn = _bad_bsn(client.bsn)
    return True


def _cs003(msg: m.Message) -> bool:
    if not isinstance(msg, m.JW301):
        return False
    tp = msg.client.toegewezen_producten[0]
    if tp.reden_wijziging == "13":
        return False
    tp.einddatum = tp.ingangsdatum - timedelta(days=1)
    return True


def _tr018(msg: m.Message) -> bool:
    if not isinstance(msg, m.JW307):
        return False
    sp = msg.client.stop_producten[0]
    sp.einddatum = sp.begindatum - timedelta(days=1)
    return True


def _cs058(msg: m.Message) -> bool:
    if isinstance(msg, m.JW305):
        msg.client.start_producten[-1].status_aanlevering = "2"
        return True
    if isinstance(msg, m.JW307):
        msg.client.stop_producten[-1].status_aanlevering = "2"
        return True
    return False


def _tr134(msg: m.Message) -> bool:
    if not isinstance(msg, m.JW305):
        return False
    sp = msg.client.start_producten[-1]
    sp.begindatum = msg.header.bericht_identificatie.dagtekening + timedelta(days=5)
    return True


def _cs340(msg: m.Message) -> bool:
    if not isinstance(msg, m.JW323):
        return False
    periode = msg.declaratie.declaratie_periode
    periode.begindatum = periode.begindatum + timedelta(days=1)
    return True


# rule → (description, mutation, retour code); XSD and TR056 are handled apart.
MUTATIONS: dict[str, tuple[str, Callable[[m.Message], bool]]] = {
    "CS002": ("BSN voldoet niet aan de elfproef", _cs002),
    "CS003": ("Einddatum toewijzing ligt voor de Ingangsdatum", _cs003),
    "TR018": ("Einddatum stop ligt voor de Begindatum", _tr018),
    "CS058": ("StatusAanlevering 2 is niet toegestaan in start/stop", _cs058),
    "TR134": ("Begindatum start ligt na de Dagtekening", _tr134),
    "CS340": ("DeclaratiePeriode is geen hele kalendermaand", _cs340),
}
XSD_DESCRIPTION = "Geboortedatum is geen bestaande datum (XSD)"
TR056_DESCRIPTION = "Identificatie is al gebruikt voor een eerder bericht van deze afzender"


def inject(tr: Traffic, rate: float, seed: int) -> None:
    """Add wrong copies for about ``rate`` of the heenberichten (in place, deterministic)."""
    rng = random.Random(f"{seed}:mistakes")
    heen = sorted(
        (s for s in tr.sent if s.msg.code in RETOUR or s.msg.code == "JW323"),
        key=lambda s: s.sort_key,
    )
    last_id: dict[tuple[str, str], tuple[str, object]] = {}  # last (identificatie, day) sent
    extra: list[Sent] = []
    for s in heen:
        h = s.msg.header
        key = (s.msg.code, h.afzender)
        previous = last_id.get(key)
        last_id[key] = (h.bericht_identificatie.identificatie, s.day)
        if rng.random() >= rate:
            continue
        rule = rng.choice([*MUTATIONS, "XSD", "TR056"])
        wrong = copy.deepcopy(s.msg)
        if rule == "TR056":
            if previous is None or previous[1] == s.day:  # the original must come first
                continue
            wrong.header.bericht_identificatie.identificatie = previous[0]
            extra.append(Sent(s.day, s.seq, wrong, ("TR056", TR056_DESCRIPTION), order=0))
            continue  # the retour carries 9056 below
        wrong.header.bericht_identificatie.identificatie = tr.ident(s.msg.code, h.afzender)
        if rule == "XSD":
            raw, n = _DATUM.subn(rb"\g<1>\g<2>-02-30\g<3>", to_xml(wrong), count=1)
            if n == 0:
                continue
            extra.append(Sent(s.day, s.seq, wrong, ("XSD", XSD_DESCRIPTION), raw=raw, order=0))
            continue
        description, mutate = MUTATIONS[rule]
        if not mutate(wrong):
            continue
        extra.append(Sent(s.day, s.seq, wrong, (rule, description), order=0))
    for e in extra:
        tr.sent.append(e)
        if e.msg.code in RETOUR and e.error and e.error[0] != "XSD":
            code = "9056" if e.error[0] == "TR056" else "0001"
            tr.retour(e.msg, e.day + timedelta(days=1), [code], order=0)
