"""The iJw 3.2 standard: message models, code lists, reading, writing and XSD validation.

No storage lives here; :mod:`wijkzicht.ingest` builds on it.
"""

from wijkzicht.ijw.codes import CODE_LISTS, meaning
from wijkzicht.ijw.errors import IjwError
from wijkzicht.ijw.messages import MESSAGES, Message
from wijkzicht.ijw.xmlio import WriteError, parse_xml, read_message, to_element, to_xml
from wijkzicht.ijw.xsd import XsdSet, xsd_set

__all__ = [
    "CODE_LISTS",
    "MESSAGES",
    "IjwError",
    "Message",
    "WriteError",
    "XsdSet",
    "meaning",
    "parse_xml",
    "read_message",
    "to_element",
    "to_xml",
    "xsd_set",
]
