"""Write the message traffic: one XML file per message, or one zip archive per month."""

from __future__ import annotations

import zipfile
from pathlib import Path

from wijkzicht.ijw.xmlio import to_xml
from wijkzicht.synth.traffic import Sent

ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # fixed member timestamps: same seed, same bytes


def file_name(s: Sent, n: int) -> str:
    h = s.msg.header
    ident = getattr(h, "identificatie_retour", None) or h.bericht_identificatie.identificatie
    return f"{s.msg.code}_{h.afzender}_{ident}_{n:07d}.xml"


class TrafficWriter:
    """Writes messages under ``out/berichten``; keeps monthly archives open when zipping."""

    def __init__(self, out: Path, *, zipped: bool):
        self.root = out / "berichten"
        self.root.mkdir(parents=True, exist_ok=True)
        self.zipped = zipped
        self._zips: dict[str, zipfile.ZipFile] = {}
        self.count = 0
        self.bytes = 0

    def write(self, sent: list[Sent], *, prefix: str = "") -> list[list[str]]:
        """Write ``sent`` in Dagtekening order; return the truth rows of deliberate errors."""
        errors: list[list[str]] = []
        for n, s in enumerate(sorted(sent, key=lambda s: s.sort_key)):
            name = prefix + file_name(s, n)
            data = s.raw if s.raw is not None else to_xml(s.msg)
            month = f"{s.day:%Y-%m}"
            if self.zipped:
                zf = self._zips.get(month)
                if zf is None:
                    zf = zipfile.ZipFile(self.root / f"{month}.zip", "w", zipfile.ZIP_DEFLATED)
                    self._zips[month] = zf
                info = zipfile.ZipInfo(name, ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
                where = f"berichten/{month}.zip!{name}"
            else:
                folder = self.root / f"{s.day:%Y}" / f"{s.day:%m}"
                folder.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data)
                where = f"berichten/{s.day:%Y}/{s.day:%m}/{name}"
            self.count += 1
            self.bytes += len(data)
            if s.error is not None:
                h = s.msg.header
                errors.append(
                    [where, s.msg.code, h.afzender, h.bericht_identificatie.identificatie, *s.error]
                )
        return errors

    def close(self) -> None:
        for zf in self._zips.values():
            zf.close()
        self._zips.clear()
