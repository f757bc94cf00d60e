"""Many distinct, valid messages derived from a folder of example messages — for ingest tests
and throughput measurements (the synthetic city in :mod:`wijkzicht.synth` is the realistic
source; this is the quick one).

Each variant is an example read into the model, given a new Identificatie and a new (valid,
test-range) BSN with :func:`dataclasses.replace`, and written back with ``to_xml``. The variants
also pass the cross-message rules (:mod:`wijkzicht.ingest.crosscheck`): consecutive variants
form groups of one variant per example that share a client (BSN) and shift every
ToewijzingNummer by 1,000 × group, so a number never changes client (TR332) and the JW307 of a
group stops the start of its own JW305 (TR382).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from wijkzicht.ijw.bsn import is_valid_bsn
from wijkzicht.ijw.messages import Message
from wijkzicht.ijw.xmlio import read_message, to_xml


def _bsns(start: int) -> Iterator[str]:
    """Valid BSNs of the test range 9999xxxxx, cycling (the range holds about 9,000)."""
    candidate = 999_900_000 + (start * 11) % 100_000
    while True:
        text = str(candidate)
        if is_valid_bsn(text):
            yield text
        candidate = candidate + 1 if candidate < 999_999_999 else 999_900_000


def valid_templates(examples: Path) -> list[Message]:
    """The example messages that pass the reader and the in-message rules."""
    from wijkzicht.ijw.rules import check_message

    out = []
    for path in sorted(Path(examples).glob("*.xml")):
        msg = read_message(path.read_bytes())
        if not check_message(msg):
            out.append(msg)
    return out


def _group_bsn(group: int) -> str:
    return next(_bsns(group * 9))


def _shift_toewijzingen(obj, offset: int):
    """``obj`` with every ``toewijzing_nummer`` below it increased by ``offset``."""
    if isinstance(obj, list):
        return [_shift_toewijzingen(o, offset) for o in obj]
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    changes = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name == "toewijzing_nummer" and isinstance(value, int):
            changes[f.name] = value + offset
        elif isinstance(value, list) or dataclasses.is_dataclass(value):
            changes[f.name] = _shift_toewijzingen(value, offset)
    return dataclasses.replace(obj, **changes) if changes else obj


def _with_bsn(obj, bsn: str):
    if obj is None:
        return None
    if hasattr(obj, "bsn"):
        return dataclasses.replace(obj, bsn=bsn)
    return obj


def variant(msg: Message, n: int, bsn: str, toewijzing_offset: int = 0) -> Message:
    """``msg`` with Identificatie ``n`` (12 digits), client BSN ``bsn`` and every
    ToewijzingNummer increased by ``toewijzing_offset``."""
    if toewijzing_offset:
        msg = _shift_toewijzingen(msg, toewijzing_offset)
    ident = f"{n:012d}"
    header = msg.header
    bid = dataclasses.replace(header.bericht_identificatie, identificatie=ident)
    header = dataclasses.replace(header, bericht_identificatie=bid)
    if hasattr(header, "identificatie_retour"):
        header = dataclasses.replace(header, identificatie_retour=f"R{n:011d}")
    changes: dict = {"header": header}
    if getattr(msg, "client", None) is not None:
        changes["client"] = _with_bsn(msg.client, bsn)
    if getattr(msg, "declaratie", None) is not None:
        d = msg.declaratie
        changes["declaratie"] = dataclasses.replace(
            d, clienten=[_with_bsn(c, bsn) for c in d.clienten]
        )
    return dataclasses.replace(msg, **changes)


def variants(examples: Path, count: int, *, start: int = 0) -> Iterator[tuple[str, bytes]]:
    """``count`` distinct valid messages as (file name, XML bytes)."""
    templates = valid_templates(examples)
    for n in range(start, start + count):
        msg = templates[n % len(templates)]
        group = n // len(templates)
        xml = to_xml(variant(msg, n, _group_bsn(group), 1000 * group))
        yield f"{msg.code}_{n:07d}.xml", xml


def write_variants(examples: Path, out: Path, count: int, *, start: int = 0) -> list[Path]:
    """Write :func:`variants` into folder ``out``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, xml in variants(examples, count, start=start):
        path = out / name
        path.write_bytes(xml)
        paths.append(path)
    return paths
