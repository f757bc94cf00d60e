"""Check a synth output: every message against the official XSDs and the in-message rules,
and every failure against the deliberate errors the generator tagged in ``truth/fouten.csv``."""

from __future__ import annotations

import csv
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wijkzicht.ijw import IjwError, parse_xml, read_message, xsd_set
from wijkzicht.ijw.rules import check_message

RETOURS = {"JW302", "JW306", "JW308", "JW316", "JW318", "JW320"}


def messages(out: Path) -> Iterator[tuple[str, bytes]]:
    """(location as written in truth/fouten.csv, bytes) for every message file or zip member."""
    base = out / "berichten"
    for path in sorted(base.rglob("*")):
        if path.suffix == ".xml":
            yield path.relative_to(out).as_posix(), path.read_bytes()
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                for name in sorted(zf.namelist()):
                    yield f"{path.relative_to(out).as_posix()}!{name}", zf.read(name)


@dataclass
class Verdict:
    total: Counter[str] = field(default_factory=Counter)  # messages per type
    valid: Counter[str] = field(default_factory=Counter)  # … that break no rule
    found: Counter[str] = field(default_factory=Counter)  # rule → failures found
    tagged: Counter[str] = field(default_factory=Counter)  # rule → deliberate errors tagged
    surprises: list[str] = field(default_factory=list)  # untagged failures, missed errors

    @property
    def share_valid(self) -> float:
        return sum(self.valid.values()) / max(1, sum(self.total.values()))


def verify(out: Path, xsd_dir: Path) -> Verdict:
    """Validate every message of a synth output folder; see :class:`Verdict`."""
    xsd = xsd_set(str(xsd_dir))
    with (out / "truth" / "fouten.csv").open() as f:
        tagged = {row["bestand"]: row["regel"] for row in csv.DictReader(f, delimiter=";")}
    v = Verdict(tagged=Counter(tagged.values()))
    seen: set[tuple[str, str, str]] = set()
    for where, data in messages(out):
        code = Path(where.split("!")[-1]).name[:5]
        v.total[code] += 1
        try:
            root = parse_xml(data)
            xsd.validate(code, root)
            msg = read_message(root)
            rules = {e.rule for e in check_message(msg)}
            h = msg.header
            key = (code, h.afzender, h.bericht_identificatie.identificatie)
            if code not in RETOURS:  # TR056: Identificatie unique per type per sender
                if key in seen:
                    rules.add("TR056")
                seen.add(key)
        except IjwError as e:
            rules = {e.rule}
        v.found.update(rules)
        if not rules:
            v.valid[code] += 1
        expected = tagged.get(where)
        if (expected is None and rules) or (expected is not None and expected not in rules):
            v.surprises.append(f"{where}: tagged {expected}, found {sorted(rules)}")
    return v
