"""Keep personal data out of quarantine reasons, which are stored and shown in plain text.

A reason names the element and the value — unless the element holds personal data (BSN,
names, address, phone, e-mail, birth date, free text), then the value is masked. As a second
line of defence every personal value found in the message, every nine-digit run (a BSN
shape) and every e-mail shape is masked wherever it appears in a reason.
"""

from __future__ import annotations

import re

from lxml import etree

PERSONAL_ELEMENTS = frozenset(
    {
        "Bsn",
        "Achternaam",
        "Voorvoegsel",
        "Voornamen",
        "Voorletters",
        "Straatnaam",
        "Plaatsnaam",
        "Postcode",
        "Huisnummer",
        "Huisletter",
        "HuisnummerToevoeging",
        "Emailadres",
        "Telefoonnummer",
        "Landnummer",
        "Naam",
        "Commentaar",
        "Taal",
        "Organisatie",
        "Datum",  # Geboortedatum/Datum
        "Nummer",  # Relatie/Nummer, a person id
    }
)
MASK = "[…]"
_BSN_SHAPE = re.compile(r"(?<!\d)\d{9}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_QUOTED_VALUE = re.compile(r"((?:value|waarde|Value)\s+)'[^']*'")


def personal_values(root: etree._Element | None) -> list[str]:
    """Text of every personal element in a parsed message, longest first."""
    if root is None:
        return []
    found = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).localname in PERSONAL_ELEMENTS and el.text and el.text.strip():
            found.add(el.text.strip())
    return sorted(found, key=len, reverse=True)


def element_of(path: str | None) -> str:
    """The local name of the last step of an error path (``/a:B/a:Bsn[2]`` → ``Bsn``)."""
    if not path:
        return ""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    last = last.split(":")[-1].split("}")[-1]
    return re.sub(r"\[\d+\]$", "", last)


def redact(text: str, values: list[str], *, personal_element: bool) -> str:
    if personal_element:
        text = _QUOTED_VALUE.sub(lambda m: m.group(1) + "'" + MASK + "'", text)
    for value in values:
        if len(value) >= 3:
            text = text.replace(value, MASK)
    text = _BSN_SHAPE.sub(MASK, text)
    return _EMAIL.sub(MASK, text)
