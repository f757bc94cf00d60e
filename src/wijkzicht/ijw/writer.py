"""The writer: model → iJw XML exactly as the XSD wants it.

Namespaces and prefixes as in the published examples (``ijw`` for the basisschema, ``jwNNN``
for the message), element order from the field declarations, optional parts omitted, never an
empty element. The text is built directly (no tree), which is several times faster than
building an lxml tree; the tests validate its output against the official XSDs.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from lxml import etree

from wijkzicht.ijw.fields import Model
from wijkzicht.ijw.messages import NS_BASIS, Message, namespace

_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class WriteError(ValueError):
    """A model that cannot be written as valid iJw XML (a required part is missing)."""


def format_value(value: Any) -> str:
    """The XML text of a simple value."""
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _escape(text: str, path: str) -> str:
    if _SPECIAL.search(text) is None:
        return text
    if _CONTROL.search(text):
        raise WriteError(f"{path} holds a control character that XML cannot carry")
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def to_xml(msg: Message, *, pretty: bool = True) -> bytes:
    """Serialise a message to UTF-8 XML bytes with an XML declaration."""
    prefix = msg.code.lower()
    nl = "\n" if pretty else ""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<{prefix}:Bericht xmlns:ijw="{NS_BASIS}" xmlns:{prefix}="{namespace(msg.code)}">{nl}',
    ]
    _emit(msg, prefix, parts, 1 if pretty else 0, pretty, msg.code)
    parts.append(f"</{prefix}:Bericht>{nl}")
    return "".join(parts).encode("utf-8")


def to_element(msg: Message) -> etree._Element:
    """The lxml tree of a message (for validation or inspection)."""
    return etree.fromstring(to_xml(msg, pretty=False))


def _emit(obj: Model, mp: str, parts: list[str], depth: int, pretty: bool, path: str) -> None:
    p = "ijw" if obj.basis else mp
    ind = "\t" * depth if pretty else ""
    nl = "\n" if pretty else ""
    for f in obj.xml_fields():
        spec = f.spec
        value = getattr(obj, f.name)
        name = spec.xml
        here = f"{path}/{name}"
        if value is None or (spec.item is not None and not value):
            if spec.optional:
                continue
            raise WriteError(f"{here} is required but empty")
        if spec.item is not None:
            item = spec.item
            parts.append(f"{ind}<{p}:{name}>{nl}")
            ind2 = "\t" * (depth + 1) if pretty else ""
            for v in value:
                if spec.model is not None:
                    parts.append(f"{ind2}<{mp}:{item}>{nl}")
                    _emit(v, mp, parts, depth + 2, pretty, f"{here}/{item}")
                    parts.append(f"{ind2}</{mp}:{item}>{nl}")
                else:
                    text = _escape(format_value(v), here)
                    if not text:
                        raise WriteError(f"{here}/{item} would be an empty element")
                    parts.append(f"{ind2}<{mp}:{item}>{text}</{mp}:{item}>{nl}")
            parts.append(f"{ind}</{p}:{name}>{nl}")
        elif spec.model is not None:
            parts.append(f"{ind}<{p}:{name}>{nl}")
            _emit(value, mp, parts, depth + 1, pretty, here)
            parts.append(f"{ind}</{p}:{name}>{nl}")
        else:
            text = _escape(format_value(value), here)
            if not text:
                raise WriteError(f"{here} would be an empty element")
            parts.append(f"{ind}<{p}:{name}>{text}</{p}:{name}>{nl}")
