"""Write the message traffic: one XML file per message, or one zip archive per month and
gemeente (what each gemeente receives; national: ~16,000 archives).

Serialising and writing ~350,000 messages is most of the generator's time, so it runs on
every core: the parent decides every name (so output does not depend on the number of
workers) and forked workers each write whole months.

Every archive is written once, whole. (One archive per month for the whole country, appended
to by each gemeente, made the country quadratic: each append reads and rewrites the archive's
central directory, hundreds of thousands of members at full scale.)
"""

from __future__ import annotations

import multiprocessing
import os
import zipfile
from collections import defaultdict
from pathlib import Path

from wijkzicht.ijw.writer import to_xml
from wijkzicht.synth.traffic import Sent

ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # fixed member timestamps: same seed, same bytes

# (month, name, message) per month; set by the parent just before forking the workers.
_JOBS: list[tuple[Path, bool, list[tuple[str, Sent]]]] = []


def file_name(s: Sent, n: int) -> str:
    h = s.msg.header
    ident = getattr(h, "identificatie_retour", None) or h.bericht_identificatie.identificatie
    return f"{s.msg.code}_{h.afzender}_{ident}_{n:07d}.xml"


def _data(s: Sent) -> bytes:
    return s.raw if s.raw is not None else to_xml(s.msg)


def _write_month(index: int) -> int:
    """Write one month's messages (runs in a worker); returns the bytes written."""
    target, zipped, items = _JOBS[index]
    total = 0
    if zipped:
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "x", zipfile.ZIP_DEFLATED) as zf:
            for name, s in items:
                data = _data(s)
                info = zipfile.ZipInfo(name, ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
                total += len(data)
        return total
    target.mkdir(parents=True, exist_ok=True)
    for name, s in items:
        data = _data(s)
        fd = os.open(target / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        total += len(data)
    return total


class TrafficWriter:
    """Writes messages under ``out/berichten``: ``YYYY/MM/<name>.xml`` or
    ``YYYY-MM/GM<gemeente>.zip``."""

    def __init__(self, out: Path, *, zipped: bool, workers: int | None = None):
        self.root = out / "berichten"
        self.root.mkdir(parents=True, exist_ok=True)
        self.zipped = zipped
        self.workers = workers or os.cpu_count() or 1
        self.count = 0
        self.bytes = 0

    def write(self, sent: list[Sent], gemeente: str) -> list[list[str]]:
        """Write the traffic ``sent`` of ``gemeente`` (its code, 4 digits) in Dagtekening
        order; return the truth rows of deliberate errors."""
        months: dict[str, list[tuple[str, Sent]]] = defaultdict(list)
        errors: list[list[str]] = []
        for n, s in enumerate(sorted(sent, key=lambda s: s.sort_key)):
            name = file_name(s, n)
            month = f"{s.day:%Y-%m}"
            months[month].append((name, s))
            if s.error is not None:
                where = (
                    f"berichten/{month}/GM{gemeente}.zip!{name}"
                    if self.zipped
                    else f"berichten/{s.day:%Y}/{s.day:%m}/{name}"
                )
                h = s.msg.header
                errors.append(
                    [where, s.msg.code, h.afzender, h.bericht_identificatie.identificatie, *s.error]
                )
        _JOBS.clear()
        for month, items in sorted(months.items()):
            year, mm = month.split("-")
            target = (
                self.root / month / f"GM{gemeente}.zip" if self.zipped else self.root / year / mm
            )
            _JOBS.append((target, self.zipped, items))
        order = sorted(range(len(_JOBS)), key=lambda i: -len(_JOBS[i][2]))  # big months first
        if self.workers > 1 and len(_JOBS) > 1:
            with multiprocessing.get_context("fork").Pool(self.workers) as pool:
                sizes = pool.map(_write_month, order, chunksize=1)
        else:
            sizes = [_write_month(i) for i in order]
        self.count += len(sent)
        self.bytes += sum(sizes)
        _JOBS.clear()
        return errors

    def close(self) -> None:
        """Nothing stays open between cities; kept for symmetry with the other writers."""
