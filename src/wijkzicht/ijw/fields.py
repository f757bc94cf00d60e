"""Declarative description of iJw elements: simple types (LDT_…), fields and the model base.

Every message class is a dataclass whose fields are declared with :func:`el`, :func:`sub` or
:func:`many`. The writer, the reader and the Hypothesis strategies all walk these declarations,
so the element order, the cardinality and the value facets are written down exactly once.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any, ClassVar


@dataclass(frozen=True)
class Simple:
    """A simple type of the basisschema (``LDT_…``) with the facets the XSD puts on it."""

    name: str
    py: type = str
    min_len: int | None = None
    max_len: int | None = None
    pattern: str | None = None
    lo: int | None = None
    hi: int | None = None
    codes: str | None = None  # name of a code list in :mod:`wijkzicht.ijw.codes`

    def regex(self) -> re.Pattern[str] | None:
        return _compile(self.pattern) if self.pattern else None


@functools.cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _text(name: str, max_len: int | None = None, min_len: int = 1) -> Simple:
    return Simple(name, str, min_len=min_len, max_len=max_len, pattern=r".*[^\s].*")


# The simple types used by the 14 messages (basisschema.xsd, release 3.2).
DATUM = Simple("LDT_Datum", date)
TIJD = Simple("LDT_Tijd", time)
BSN = Simple("LDT_BurgerServicenummer", str, 1, 9, r"[0-9]{9}")
AGB = Simple("LDT_AgbCode", str, 1, 8, r"[0-9]{8}")
GEMEENTE = Simple("LDT_Gemeente", str, 1, None, r"[0-9]{4}")
NUMMER = Simple("LDT_Nummer", int, lo=0, hi=999_999_999)
BEDRAG = Simple("LDT_Bedrag", int, lo=0, hi=99_999_999)
TOTAALBEDRAG = Simple("LDT_TotaalBedrag", int, lo=0, hi=999_999_999_999)
BUDGET = Simple("LDT_Budget", int, lo=0, hi=99_999_999)
VOLUME = Simple("LDT_Volume", int, lo=0, hi=99_999_999)
HUISNUMMER = Simple("LDT_Huisnummer", int, lo=0, hi=99_999)
VOLGORDE = Simple("LDT_RelatieVolgorde", int, lo=0, hi=99)
VERSIE_NR = Simple("LDT_BerichtVersie", int, lo=0, hi=99)
BERICHTCODE = Simple("LDT_BerichtCode", str, 1, 3, r"[0-9]{3}")
VERSIE = Simple("LDT_Versie", str, 1, None, r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
IDENTIFICATIE = _text("LDT_IdentificatieBericht", 12)
DECLARATIENUMMER = Simple("LDT_IdentificatieDeclaratie", str, 1, 12, r"[a-zA-Z0-9]+")
DECLARATIE_ID = Simple("LDT_IdentificatieDeclaratie", str, 1, 12)
REFERENTIENUMMER = Simple("LDT_ReferentieNummer", str, 1, 20)
REFERENTIE = _text("LDT_Referentie", 36)
COMMENTAAR = Simple("LDT_Commentaar", str, 1, None, r"([.\s]*\S+[.\s]*)+")
NAAM = _text("LDT_Naam", 200)
VOORVOEGSEL = _text("LDT_Voorvoegsel", 10)
VOORLETTERS = Simple("LDT_Voorletters", str, 1, 6, r"([a-zA-ZÀ-ỳ])+")
NAAM_VERWIJZER = _text("LDT_NaamVerwijzer", 64)
ORGANISATIE = _text("LDT_Organisatienaam", 35)
PERSOONSID = _text("LDT_Persoonsid", 20)
POSTCODE = _text("LDT_Postcode", 8)
STRAATNAAM = _text("LDT_Straatnaam", 24)
PLAATSNAAM = _text("LDT_Plaatsnaam", 80)
HUISLETTER = _text("LDT_Huisletter", 1)
TOEVOEGING = _text("LDT_HuisnummerToevoeging", 4)
EMAIL = _text("LDT_Emailadres", 80)
TAAL = _text("LDT_Taal", 25)
LANDNUMMER = _text("LDT_Landnummer", 4)
TELEFOONNUMMER = Simple("LDT_Telefoonnummer", str, 1, 15, r"[0-9]*")
PRODUCTCODE = _text("LDT_ProductCode", 5)
LANDCODE = Simple("LDT_LandCode", str, None, 2, r"[A-Z]{2}")


def code(list_name: str) -> Simple:
    """A simple type whose values come from the code list ``list_name``."""
    return Simple(f"LDT_{list_name}", str, codes=list_name)


@dataclass(frozen=True)
class Spec:
    """How one dataclass field maps onto XML."""

    xml: str  # element name (or wrapper name for lists)
    simple: Simple | None = None  # simple value
    model: type | None = None  # complex child (a Model subclass)
    item: str | None = None  # element name of list items inside the wrapper
    optional: bool = False  # minOccurs = 0 (for lists: the wrapper is optional)
    wrapped: bool = True  # lists: items sit inside a wrapper element


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def el(simple: Simple, *, optional: bool = False, xml: str | None = None) -> Any:
    """A field holding a simple value."""
    spec = Spec(xml or "", simple=simple, optional=optional)
    if optional:
        return dataclasses.field(default=None, metadata={"ijw": spec})
    return dataclasses.field(metadata={"ijw": spec})


def sub(model: type, *, optional: bool = False, xml: str | None = None) -> Any:
    """A field holding one complex child."""
    spec = Spec(xml or "", model=model, optional=optional)
    if optional:
        return dataclasses.field(default=None, metadata={"ijw": spec})
    return dataclasses.field(metadata={"ijw": spec})


def many(
    item: type | Simple,
    item_xml: str,
    *,
    xml: str | None = None,
    optional: bool = False,
    wrapped: bool = True,
) -> Any:
    """A list: ``<Wrapper><Item/>…</Wrapper>`` (1..n items), the wrapper itself 0..1 if optional."""
    if isinstance(item, Simple):
        spec = Spec(xml or "", simple=item, item=item_xml, optional=optional, wrapped=wrapped)
    else:
        spec = Spec(xml or "", model=item, item=item_xml, optional=optional, wrapped=wrapped)
    return dataclasses.field(default_factory=list, metadata={"ijw": spec})


def retour_codes(*, optional: bool = False) -> Any:
    """The ``RetourCodes/RetourCode[1..n]`` list that retour messages append to their classes."""
    return many(code("RetourCode"), "RetourCode", optional=optional)


@dataclass(frozen=True)
class FieldInfo:
    name: str
    spec: Spec


class Model:
    """Base of every iJw class. ``basis`` is True for basisschema types (``CDT_…``), whose
    children live in the basisschema namespace; other classes put their children in the
    namespace of the message they belong to."""

    basis: ClassVar[bool] = False
    _fields_cache: ClassVar[tuple[FieldInfo, ...] | None] = None

    @classmethod
    def xml_fields(cls) -> tuple[FieldInfo, ...]:
        cached = cls.__dict__.get("_fields_cache")
        if cached is not None:
            return cached
        out = []
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            spec: Spec = f.metadata["ijw"]
            if not spec.xml:
                spec = dataclasses.replace(spec, xml=_camel(f.name))
            out.append(FieldInfo(f.name, spec))
        result = tuple(out)
        cls._fields_cache = result
        return result


def model(cls: type) -> type:
    """Class decorator: a keyword-only dataclass that is an iJw model."""
    return dataclass(kw_only=True)(cls)
