"""Hypothesis strategies that build valid iJw model instances.

Everything is derived from the declarations (``cls.xml_fields()`` and the :class:`Simple`
facets), so a field added to the model is generated without touching this file. The only
message-level knowledge is the header: BerichtCode, version and the party types follow the
message class.
"""

from __future__ import annotations

import string
from datetime import date, time
from functools import cache
from typing import Any

from hypothesis import strategies as st

from wijkzicht.ijw import CODE_LISTS, Message
from wijkzicht.ijw.fields import LANDCODE, Model, Simple, Spec
from wijkzicht.ijw.headers import Header

#: Patterns that mean "free text with at least one non-space character". Python's ``\s`` and
#: ``\S`` are wider than XSD's (they include control characters that XML cannot carry), so
#: these are generated from a safe alphabet instead of ``st.from_regex``.
FREE_TEXT_PATTERNS = frozenset({r".*[^\s].*", r"([.\s]*\S+[.\s]*)+"})
SAFE_LETTERS = string.ascii_letters + string.digits + "éëïöüÉ"
SAFE_ALPHABET = SAFE_LETTERS + " "
ISO_COUNTRIES = ("NL", "BE", "DE", "FR", "GB")
MAX_LIST = 3
MAX_TEXT = 20  # keep generated messages small; facets may allow much more


def free_text(max_len: int | None) -> st.SearchStrategy[str]:
    """Text from a safe alphabet with at least one non-space character, within ``max_len``."""
    top = min(max_len or MAX_TEXT, MAX_TEXT)
    return st.text(SAFE_ALPHABET, min_size=1, max_size=top).filter(lambda s: s.strip() != "")


def simple_value(simple: Simple) -> st.SearchStrategy[Any]:
    """A value of one simple type, inside all its facets."""
    if simple.codes is not None:
        return st.sampled_from(sorted(CODE_LISTS[simple.codes]))
    if simple is LANDCODE or simple.name == LANDCODE.name:
        return st.sampled_from(ISO_COUNTRIES)
    if simple.py is int:
        lo = 0 if simple.lo is None else simple.lo
        hi = 10**9 if simple.hi is None else simple.hi
        return st.integers(lo, hi)
    if simple.py is date:
        return st.dates(date(1990, 1, 1), date(2030, 12, 31))
    if simple.py is time:
        return st.builds(
            time, st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)
        )  # naive, no microseconds
    if simple.pattern is None or simple.pattern in FREE_TEXT_PATTERNS:
        return free_text(simple.max_len)
    lo = simple.min_len or 1
    hi = simple.max_len
    return st.from_regex(simple.pattern, fullmatch=True).filter(
        lambda s: len(s) >= lo and (hi is None or len(s) <= hi)
    )


def _field(spec: Spec) -> st.SearchStrategy[Any]:
    if spec.model is not None:
        one = model_strategy(spec.model)
    else:
        assert spec.simple is not None, spec
        one = simple_value(spec.simple)
    if spec.item is not None:
        items = st.lists(one, min_size=1, max_size=MAX_LIST)
        return st.just([]) | items if spec.optional else items
    return st.none() | one if spec.optional else one


@cache
def model_strategy(cls: type[Model]) -> st.SearchStrategy[Model]:
    """A valid instance of any model class, built by walking its XML fields."""
    fields = {f.name: _field(f.spec) for f in cls.xml_fields()}
    return st.fixed_dictionaries(fields).map(lambda kw: cls(**kw))


def header_strategy(msg_cls: type[Message]) -> st.SearchStrategy[Header]:
    """The header of ``msg_cls``: its BerichtCode, version 3.2 and the right party types."""
    spec = next(f.spec for f in msg_cls.xml_fields() if f.name == "header")
    header_cls = spec.model
    assert header_cls is not None and issubclass(header_cls, Header)
    fixed = {
        "bericht_code": st.just(msg_cls.bericht_code),
        "bericht_versie": st.just(3),
        "bericht_subversie": st.just(2),
        "afzender": simple_value(msg_cls.sender),
        "ontvanger": simple_value(msg_cls.receiver),
    }
    fields = {
        f.name: fixed[f.name] if f.name in fixed else _field(f.spec)
        for f in header_cls.xml_fields()
    }
    return st.fixed_dictionaries(fields).map(lambda kw: header_cls(**kw))


@cache
def message_strategy(cls: type[Message]) -> st.SearchStrategy[Message]:
    """A valid instance of the message class ``cls`` (one of ``MESSAGES``)."""
    fields = {
        f.name: header_strategy(cls) if f.name == "header" else _field(f.spec)
        for f in cls.xml_fields()
    }
    return st.fixed_dictionaries(fields).map(lambda kw: cls(**kw))
