"""The reader's fast path reads exactly what the strict reader reads, and gives way to it on
anything the strict reader would refuse (which then names the element and the value)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from lxml import etree

from strategies import message_strategy
from wijkzicht.ijw import MESSAGES, to_xml
from wijkzicht.ijw.errors import IjwError
from wijkzicht.ijw.messages import namespace
from wijkzicht.ijw.xmlio import _FAIL, _read, _read_fast, parse_xml

CODES = sorted(MESSAGES)


def _both(root: etree._Element):
    cls = MESSAGES[etree.QName(root).namespace.rsplit("/", 2)[-2].upper()]
    ns = namespace(cls.code)
    fast = _read_fast(cls, root, ns)
    try:
        strict = _read(cls, root, ns, f"/{cls.code}")
    except IjwError:
        strict = _FAIL
    return fast, strict


def _mutations(root: etree._Element, rng: random.Random):
    """Copies of the tree, each broken (or not) in one way: an element dropped, two siblings
    swapped, an unknown element added, a value replaced by junk, a value emptied."""
    elements = [e for e in root.iter() if e is not root]
    for kind in ("drop", "swap", "add", "junk", "empty"):
        tree = etree.fromstring(etree.tostring(root))
        targets = [e for e in tree.iter() if e is not tree]
        e = targets[rng.randrange(len(elements))]
        parent = e.getparent()
        if kind == "drop":
            parent.remove(e)
        elif kind == "swap" and e.getnext() is not None:
            e.addprevious(e.getnext())
        elif kind == "add":
            e.addnext(etree.Element(f"{{{etree.QName(e).namespace}}}Onbekend"))
        elif kind == "junk" and len(e) == 0:
            e.text = "x\u00e9!?"
        elif kind == "empty" and len(e) == 0:
            e.text = ""
        yield kind, tree


@pytest.mark.parametrize("code", CODES)
def test_fast_equals_strict_on_valid_and_broken_messages(code: str) -> None:
    @settings(max_examples=15, deadline=None)
    @given(msg=message_strategy(MESSAGES[code]))
    def check(msg) -> None:
        root = parse_xml(to_xml(msg))
        fast, strict = _both(root)
        assert fast is not _FAIL and fast == strict == msg
        rng = random.Random(repr(msg))
        for kind, broken in _mutations(root, rng):
            fast, strict = _both(broken)
            # never a model the strict reader would not give; a refusal by both is fine
            assert fast is _FAIL or fast == strict, kind
            if strict is _FAIL:
                assert fast is _FAIL, kind

    check()


def test_examples_read_the_same(examples_dir) -> None:
    """The valid examples are read by the fast path; the invalid ones are left to the strict
    reader, which refuses them."""
    for path in sorted(examples_dir.rglob("*.xml")):
        fast, strict = _both(parse_xml(path.read_bytes()))
        if path.parent.name == "invalid":
            assert fast is _FAIL and strict is _FAIL, path.name
        else:
            assert fast is not _FAIL and fast == strict, path.name
