"""Validation against the official iJw XSDs, read from a folder the user points to.

The XSDs are not shipped with Wijkzicht; users download them from the iStandaarden site.
Known quirks of published copies are handled: text before ``<?xml`` is dropped and the
import of ``basisschema.xsd`` is resolved case-insensitively.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from wijkzicht.ijw.errors import IjwError
from wijkzicht.ijw.messages import MESSAGES


def _xsd_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    start = data.find(b"<?xml")
    return data[start:] if start > 0 else data


def _find(folder: Path, name: str) -> Path:
    for p in folder.iterdir():
        if p.name.lower() == name.lower():
            return p
    raise FileNotFoundError(f"{name} not found in XSD folder {folder}")


class _Resolver(etree.Resolver):
    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def resolve(self, url, pubid, context):
        name = Path(str(url)).name
        return self.resolve_string(_xsd_bytes(_find(self.folder, name)), context)


class XsdSet:
    """The 14 message schemas of one XSD folder."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise FileNotFoundError(f"XSD folder {self.folder} does not exist")
        self._schemas: dict[str, etree.XMLSchema] = {}

    def schema(self, code: str) -> etree.XMLSchema:
        if code not in self._schemas:
            parser = etree.XMLParser(no_network=True, resolve_entities=False)
            parser.resolvers.add(_Resolver(self.folder))
            path = _find(self.folder, f"{code}.xsd")
            doc = etree.fromstring(_xsd_bytes(path), parser, base_url=str(path))
            self._schemas[code] = etree.XMLSchema(doc)
        return self._schemas[code]

    def load_all(self) -> XsdSet:
        for code in MESSAGES:
            self.schema(code)
        return self

    def validate(self, code: str, root: etree._Element) -> None:
        """Raise IjwError (rule ``XSD``) with the first error the schema reports."""
        schema = self.schema(code)
        if schema.validate(root):
            return
        err = schema.error_log.last_error
        msg = err.message if err is not None else "invalid"
        path = err.path if err is not None and err.path else "/"
        raise IjwError(
            "XSD",
            path,
            f"{code} does not validate against its XSD (line {err.line if err else '?'}): {msg}",
            f"{code} voldoet niet aan de XSD (regel {err.line if err else '?'}): {msg}",
        )


@cache
def xsd_set(folder: str) -> XsdSet:
    """A cached XsdSet per folder (schemas are compiled once per process)."""
    return XsdSet(folder)
