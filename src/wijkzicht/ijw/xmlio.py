"""The reader: iJw XML → model (the writer lives in :mod:`wijkzicht.ijw.writer`).

The reader is safe against hostile XML: no DTDs, no entity resolution, no network, a size
limit, and every structural or value problem becomes an :class:`IjwError` that names the
element path and the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from typing import Any

from lxml import etree

from wijkzicht.ijw.codes import CODE_LISTS
from wijkzicht.ijw.errors import IjwError
from wijkzicht.ijw.fields import Model, Simple
from wijkzicht.ijw.messages import BY_BERICHTCODE, MESSAGES, NS_BASIS, Message, namespace
from wijkzicht.ijw.writer import WriteError, format_value, to_element, to_xml

MAX_BYTES = 25 * 1024 * 1024  # OP179: an iJw file is at most 25 MB
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}:\d{2}(\.\d+)?")
_INT = re.compile(r"[+-]?\d+")
__all__ = ["WriteError", "format_value", "parse_xml", "read_message", "to_element", "to_xml"]

_NS_MESSAGE = re.compile(r"http://www\.istandaarden\.nl/ijw/3_2/(jw\d{3})/schema")


def safe_parser() -> etree.XMLParser:
    """An lxml parser that never resolves entities, loads DTDs or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


_PARSER = safe_parser()


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted bytes into an element tree root, or raise IjwError (rule ``XML``)."""
    if not data.strip():
        raise IjwError("XML", "/", "the file is empty", "het bestand is leeg")
    if len(data) > MAX_BYTES:
        raise IjwError(
            "XML",
            "/",
            f"the file is {len(data):,} bytes, more than the iJw maximum of {MAX_BYTES:,} (OP179)",
            f"het bestand is {len(data):,} bytes, meer dan het iJw-maximum van {MAX_BYTES:,}",
        )
    if b"<!" in data and (b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper()):
        raise _no_dtd()  # (no "<!" at all, as in nearly every message: neither can occur)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise IjwError(
            "XML",
            f"line {exc.lineno}",
            f"the file is not well-formed XML: {exc.msg}",
            f"het bestand is geen geldige XML: {exc.msg}",
        ) from None
    if root is None:
        raise IjwError("XML", "/", "the file holds no XML element", "het bestand bevat geen XML")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # e.g. hidden by UTF-16 encoding
        raise _no_dtd()
    return root


def _no_dtd() -> IjwError:
    return IjwError(
        "XML",
        "/",
        "the document declares a DOCTYPE or entities, which iJw messages never do",
        "het document bevat een DOCTYPE of entiteiten, wat een iJw-bericht nooit heeft",
    )


# --------------------------------------------------------------------------- reader


_CLASS_BY_TAG: dict[str, type[Message]] = {}  # root tags already recognised


def message_class(root: etree._Element) -> type[Message]:
    """Which message a parsed root is, from its namespace (and tag)."""
    tag = root.tag
    found = _CLASS_BY_TAG.get(tag)
    if found is not None:
        return found
    qn = etree.QName(root)
    m = _NS_MESSAGE.fullmatch(qn.namespace or "")
    if qn.localname != "Bericht" or m is None:
        raise IjwError(
            "XSD",
            f"/{qn.localname}",
            f"root element {{{qn.namespace}}}{qn.localname} is not an iJw 3.2 Bericht",
            f"hoofdelement {{{qn.namespace}}}{qn.localname} is geen iJw 3.2-Bericht",
            qn.namespace,
        )
    code = m.group(1).upper()
    cls = MESSAGES.get(code)
    if cls is None:
        raise IjwError(
            "XSD",
            "/Bericht",
            f"unknown iJw message {code}",
            f"onbekend iJw-bericht {code}",
            code,
        )
    _CLASS_BY_TAG[tag] = cls
    return cls


def read_message(data: bytes | etree._Element) -> Message:
    """Read one iJw message from bytes (or a parsed root) into its model."""
    root = parse_xml(data) if isinstance(data, bytes) else data
    cls = message_class(root)
    ns = namespace(cls.code)
    msg = _read_fast(cls, root, ns)
    if msg is _FAIL:  # read again, strictly, for the error that names element and value
        msg = _read(cls, root, ns, f"/{cls.code}")
    header = msg.header
    if header.bericht_code != cls.bericht_code:
        wrong = BY_BERICHTCODE.get(header.bericht_code)
        raise IjwError(
            "XSD",
            "/Header/BerichtCode",
            f"BerichtCode {header.bericht_code} does not belong to {cls.code} "
            f"(expected {cls.bericht_code}{', which is ' + wrong.code if wrong else ''})",
            f"BerichtCode {header.bericht_code} hoort niet bij {cls.code} "
            f"(verwacht {cls.bericht_code})",
            header.bericht_code,
        )
    parties = _PARTIES.get(cls)
    if parties is None:
        parties = _PARTIES[cls] = tuple(
            (_passes(simple), simple, attr, f"{cls.code}/Header/{name}")
            for name, attr, simple in (
                ("Afzender", "afzender", cls.sender),
                ("Ontvanger", "ontvanger", cls.receiver),
            )
        )
    for passes, simple, attr, path in parties:
        text = getattr(header, attr)
        if not passes(text):
            _check(simple, text, path)  # raises
    for name, got, want in (
        ("BerichtVersie", header.bericht_versie, 3),
        ("BerichtSubversie", header.bericht_subversie, 2),
    ):
        if got != want:
            raise IjwError(
                "XSD",
                f"{cls.code}/Header/{name}",
                f"{name} is {got}; iJw 3.2 requires {want}",
                f"{name} is {got}; iJw 3.2 vereist {want}",
                str(got),
            )
    return msg


# per message class: the check of Header/Afzender and Header/Ontvanger (quick check, simple
# type, attribute, path of the error)
_PARTIES: dict[type, tuple[tuple[Callable[[str], bool], Simple, str, str], ...]] = {}


def _children(elem: etree._Element) -> list[etree._Element]:
    return list(elem.iterchildren(etree.Element))


def _unexpected(child: etree._Element, path: str, expected: str | None) -> IjwError:
    qn = etree.QName(child)
    where = f"{path}/{qn.localname}"
    exp_en = f"; expected {expected}" if expected else ""
    exp_nl = f"; verwacht {expected}" if expected else ""
    return IjwError(
        "XSD",
        where,
        f"unexpected element {qn.localname} (namespace {qn.namespace}) in {path}{exp_en}",
        f"onverwacht element {qn.localname} (namespace {qn.namespace}) in {path}{exp_nl}",
        qn.localname,
    )


# A reading plan per (class, message namespace): the fields with their full tags and value
# converters, computed once, so reading a message does no per-field string building.
_Field = tuple[str, str, str, bool, Any, Any, str | None, str | None]
_PLANS: dict[tuple[type, str], tuple[_Field, ...]] = {}


def _plan(cls: type[Model], ns_msg: str) -> tuple[_Field, ...]:
    plan = _PLANS.get((cls, ns_msg))
    if plan is None:
        ns = NS_BASIS if cls.basis else ns_msg
        plan = tuple(
            (
                f.name,
                f"{{{ns}}}{f.spec.xml}",
                f.spec.xml,
                f.spec.optional,
                f.spec.model,
                None if f.spec.simple is None else _converter(f.spec.simple),
                None if f.spec.item is None else f"{{{ns_msg}}}{f.spec.item}",
                f.spec.item,
            )
            for f in cls.xml_fields()
        )
        _PLANS[(cls, ns_msg)] = plan
    return plan


def _read(cls: type[Model], elem: etree._Element, ns_msg: str, path: str) -> Any:
    children = list(elem.iterchildren(etree.Element))
    tags = [c.tag for c in children]
    count = len(children)
    pos = 0
    values: dict[str, Any] = {}
    for name, tag, xml, optional, sub_model, conv, item_tag, item_xml in _plan(cls, ns_msg):
        if pos >= count or tags[pos] != tag:
            if optional:
                continue
            if pos < count:
                raise _unexpected(children[pos], path, xml)
            raise IjwError(
                "XSD",
                f"{path}/{xml}",
                f"required element {xml} is missing in {path}",
                f"verplicht element {xml} ontbreekt in {path}",
            )
        child = children[pos]
        pos += 1
        if item_tag is not None:
            here = f"{path}/{xml}"
            items = list(child.iterchildren(etree.Element))
            if not items:
                raise IjwError(
                    "XSD",
                    here,
                    f"{xml} must contain at least one {item_xml}",
                    f"{xml} moet minstens één {item_xml} bevatten",
                )
            out = []
            for n, item in enumerate(items, 1):
                if item.tag != item_tag:
                    raise _unexpected(item, here, item_xml)
                if sub_model is not None:
                    out.append(_read(sub_model, item, ns_msg, f"{here}/{item_xml}[{n}]"))
                else:
                    out.append(conv(item, here, f"{item_xml}[{n}]"))
            values[name] = out
        elif sub_model is not None:
            values[name] = _read(sub_model, child, ns_msg, f"{path}/{xml}")
        else:
            values[name] = conv(child, path, xml)
    if pos < count:
        raise _unexpected(children[pos], path, None)
    return cls(**values)


# The fast path: for a message that is well-formed by the model (nearly all of them) the same
# values as :func:`_read`, with no per-field path strings, no walk over absent optional fields
# and no error building. Any doubt returns _FAIL, and the strict reader runs instead — so a
# message it accepts is one the strict reader accepts, read into the same model.
#
# Each (class, message namespace) gets one compiled function element → value (or _FAIL); a
# field holds the function of its simple type or of its sub-model directly, so reading a child
# is one call, with no plan look-up and no exception machinery per value.
_FAIL: Any = object()
_FastRead = Callable[[etree._Element], Any]
_FAST_READERS: dict[tuple[type, str], _FastRead] = {}


def _read_fast(cls: type[Model], elem: etree._Element, ns_msg: str) -> Any:
    return _fast_reader(cls, ns_msg)(elem)


def _fast_reader(cls: type[Model], ns_msg: str) -> _FastRead:
    found = _FAST_READERS.get((cls, ns_msg))
    if found is not None:
        return found
    plan = _plan(cls, ns_msg)
    index = {tag: i for i, (_, tag, *_rest) in enumerate(plan)}
    assert len(index) == len(plan), f"{cls.__name__}: two fields with one element name"
    n_required = sum(1 for f in plan if not f[3])
    # name, 1 if required, value function, item tag, and for a simple value the memo of texts
    # already accepted (text → value, shared with the value function, which fills it): a hit
    # is read inline, with no call. Filled in below (after registering, so a model that
    # contained itself would find its own reader).
    fields: list[tuple[str, int, _FastRead, str | None, dict[str, Any] | None]] = []

    def read(elem: etree._Element) -> Any:
        values: dict[str, Any] = {}
        last = -1
        required = n_required
        for child in elem:
            i = index.get(child.tag)  # a comment or PI has a function as tag: not found
            if i is None or i <= last:
                return _FAIL
            last = i
            name, req, value_of, item_tag, memo = fields[i]
            required -= req
            if item_tag is not None:
                value = []
                for item in child:
                    if item.tag != item_tag:
                        return _FAIL
                    v = value_of(item)
                    if v is _FAIL:
                        return _FAIL
                    value.append(v)
                if not value:
                    return _FAIL
            elif memo is not None:
                if len(child):
                    return _FAIL
                value = memo.get(child.text or "", _MISS)
                if value is _MISS:
                    value = value_of(child)
                    if value is _FAIL:
                        return _FAIL
            else:
                value = value_of(child)
                if value is _FAIL:
                    return _FAIL
            values[name] = value
        return cls(**values) if required == 0 else _FAIL

    _FAST_READERS[(cls, ns_msg)] = read
    for f, (name, _, _, optional, sub, _, item_tag, _) in zip(cls.xml_fields(), plan, strict=True):
        memo = None
        if sub is not None:
            value_of = _fast_reader(sub, ns_msg)
        else:
            value_of, memo = _fast_value(f.spec.simple)
        fields.append((name, 0 if optional else 1, value_of, item_tag, memo))
    return read


_MISS = object()
_MEMO_LIMIT = 4096


def _passes(simple: Simple) -> Callable[[str], bool]:
    """The quick check of a text value (code list, or lengths and pattern) both readers make;
    a value it rejects gets the full check (:func:`_check`) or, on the fast path, _FAIL."""
    if simple.codes is not None:
        return CODE_LISTS[simple.codes].__contains__
    min_len = simple.min_len if simple.min_len is not None else 0
    max_len = simple.max_len
    rx = simple.regex()
    fullmatch = rx.fullmatch if rx is not None else None

    def passes(text: str) -> bool:
        return (
            len(text) >= min_len
            and (max_len is None or len(text) <= max_len)
            and (fullmatch is None or fullmatch(text) is not None)
        )

    return passes


def _memo_convert(simple: Simple) -> Callable[[str, str, str], Any]:
    """:func:`convert` for (text, parent path, element name), remembered in a bounded memo:
    dates, times and numbers recur in every message. The path is built only on a miss."""
    memo: dict[str, Any] = {}

    def value(text: str, parent: str, xml: str) -> Any:
        found = memo.get(text, _MISS)
        if found is _MISS:
            found = convert(simple, text, f"{parent}/{xml}")
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[text] = found
        return found

    return value


def _converter(simple: Simple):
    """A function (element, parent path, name) → value that checks the facets of ``simple``
    exactly as :func:`convert` does; dates, times and numbers are remembered in a bounded
    memo (the same values recur in every message), strings are checked each time."""
    if simple.py is not str:
        remembered = _memo_convert(simple)

        def conv_memo(elem: etree._Element, parent: str, xml: str) -> Any:
            if len(elem):
                _value(simple, elem, f"{parent}/{xml}")  # raises the reader's error
            return remembered(elem.text or "", parent, xml)

        return conv_memo
    passes = _passes(simple)

    def conv_text(elem: etree._Element, parent: str, xml: str) -> Any:
        if len(elem):
            _value(simple, elem, f"{parent}/{xml}")  # raises the reader's error
        text = elem.text or ""
        if not passes(text):
            _check(simple, text, f"{parent}/{xml}")  # raises
        return text

    return conv_text


def _remember(memo: dict[str, Any], text: str, value: Any) -> Any:
    """Keep ``text`` → ``value`` in a bounded memo (emptied when full) and return ``value``."""
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[text] = value
    return value


def _fast_value(simple: Simple) -> tuple[_FastRead, dict[str, Any]]:
    """The fast path's function element → value for ``simple`` (the value the converter of
    :func:`_converter` gives, or _FAIL wherever that converter raises) and its bounded memo
    text → value of the texts it accepted, which the caller may look in first."""
    memo: dict[str, Any] = {}
    if simple.py is not str:
        remembered = _memo_convert(simple)

        def value_memo(elem: etree._Element) -> Any:
            if len(elem):
                return _FAIL
            text = elem.text or ""
            try:
                value = remembered(text, "", "")
            except IjwError:
                return _FAIL
            return _remember(memo, text, value)

        return value_memo, memo
    passes = _passes(simple)

    def value_text(elem: etree._Element) -> Any:
        if len(elem):
            return _FAIL
        text = elem.text or ""
        return _remember(memo, text, text) if passes(text) else _FAIL

    return value_text, memo


def _value(simple: Simple, elem: etree._Element, path: str) -> Any:
    if len(elem):
        raise (
            _unexpected(_children(elem)[0], path, None)
            if _children(elem)
            else IjwError(
                "XSD", path, f"{path} must hold a value", f"{path} moet een waarde hebben"
            )
        )
    return convert(simple, elem.text or "", path)


def convert(simple: Simple, text: str, path: str) -> Any:
    """Turn element text into a Python value, checking the simple type's facets."""
    if simple.py is int:
        raw = text.strip()
        if not _INT.fullmatch(raw):
            raise _bad(path, text, "is not a whole number", "is geen geheel getal")
        value = int(raw)
        if (simple.lo is not None and value < simple.lo) or (
            simple.hi is not None and value > simple.hi
        ):
            raise _bad(
                path,
                text,
                f"is outside {simple.lo}..{simple.hi}",
                f"ligt buiten {simple.lo}..{simple.hi}",
            )
        return value
    if simple.py is date:
        raw = text.strip()
        if not _DATE.fullmatch(raw):
            raise _bad(path, text, "is not a date (YYYY-MM-DD)", "is geen datum (JJJJ-MM-DD)")
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise _bad(path, text, "is not an existing date", "is geen bestaande datum") from None
    if simple.py is time:
        raw = text.strip()
        if not _TIME.fullmatch(raw):
            raise _bad(path, text, "is not a time (HH:MM:SS)", "is geen tijd (UU:MM:SS)")
        try:
            return time.fromisoformat(raw)
        except ValueError:
            raise _bad(path, text, "is not an existing time", "is geen bestaande tijd") from None
    _check(simple, text, path)
    return text


def _check(simple: Simple, text: str, path: str) -> None:
    if simple.codes is not None:
        if text not in CODE_LISTS[simple.codes]:
            raise _bad(
                path,
                text,
                f"is not a code in list {simple.codes}",
                f"is geen code uit lijst {simple.codes}",
            )
        return
    if simple.min_len is not None and len(text) < simple.min_len:
        raise _bad(path, text, "is empty", "is leeg")
    if simple.max_len is not None and len(text) > simple.max_len:
        raise _bad(
            path,
            text,
            f"is longer than {simple.max_len} characters",
            f"is langer dan {simple.max_len} tekens",
        )
    rx = simple.regex()
    if rx is not None and not rx.fullmatch(text):
        raise _bad(
            path,
            text,
            f"does not match the pattern of {simple.name}",
            f"voldoet niet aan het patroon van {simple.name}",
        )


def _bad(path: str, value: str, en: str, nl: str) -> IjwError:
    shown = value if len(value) <= 40 else value[:37] + "..."
    element = path.rsplit("/", 1)[-1]
    return IjwError(
        "XSD",
        path,
        f"{element} value '{shown}' {en}",
        f"{element} waarde '{shown}' {nl}",
        shown,
    )
