"""The in-message (level-2) rules of iJw 3.2: conditions (CD), constraints (CS) and the
technical rules (TR) that the official XSLT checks inside one message (retour code 0001).

``check_message(msg)`` walks a message once and returns every violation as an
:class:`~wijkzicht.ijw.errors.IjwError`; an empty list means the message passes level 2.
``RULES`` describes each rule (code, messages, Dutch and English text) for documentation.

Scope: the rules apply to the heenberichten (301, 305, 307, 315, 317, 319, 323) and to JW325,
as the specification lists them. Retour messages (302/306/308/316/318/320) copy a heenbericht
that has already passed these checks; ``check_message`` returns no violations for them.
Rules that need earlier messages (level 3) or external sources such as the system date or the
CBS municipality list (level 4) are not part of this package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wijkzicht.ijw.errors import IjwError
from wijkzicht.ijw.messages import Message
from wijkzicht.ijw.rules import (
    addresses,
    dates,
    declaratie,
    keys,
    persons,
    products,
    regie,
    toewijzing,
    verzoek,
)
from wijkzicht.ijw.rules.base import RULES, Ctx, Rule

__all__ = ["CHECKERS", "RULES", "Rule", "check_message", "rules_for"]

_ = (addresses, dates, keys, persons, products)  # imported for their rule registrations

CHECKERS: dict[str, Callable[[Ctx, Any], None]] = {
    "JW301": toewijzing.check_jw301,
    "JW305": regie.check_jw305,
    "JW307": regie.check_jw307,
    "JW315": verzoek.check_jw315,
    "JW317": verzoek.check_jw317,
    "JW319": verzoek.check_jw319,
    "JW323": declaratie.check_jw323,
    "JW325": declaratie.check_jw325,
}


def check_message(msg: Message) -> list[IjwError]:
    """All level-2 rule violations of ``msg`` (empty when it passes)."""
    checker = CHECKERS.get(msg.code)
    if checker is None:
        return []
    ctx = Ctx(msg.code, msg.header.bericht_identificatie.dagtekening)
    checker(ctx, msg)
    return ctx.errors


def rules_for(message_code: str) -> list[Rule]:
    """The rules that apply to one message type, e.g. ``rules_for("JW301")``."""
    return [r for r in RULES.values() if message_code in r.messages]
