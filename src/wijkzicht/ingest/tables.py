"""The non-iJw inputs (see ``docs/synthetic-output.md``): BIJ, BRP, population, pc6, survey
and area characteristics (kerncijfers) CSVs and GeoJSON boundaries — recognised by their
header, validated, pseudonymised.

A CSV file is one item: one bad row quarantines the file, with the row, the column and (for
non-personal columns) the value in the reason. Names in the BRP extract are never read into a
row; BSNs become pseudonyms; birth dates become birth months.

A file of :data:`CHUNK_ROWS` rows or more is gathered into Arrow tables of that many rows as it
is read (:class:`Chunks`): a BRP extract of 439,000 rows takes a fraction of the memory of
Python tuples and crosses from a worker process to the writer as buffers, not objects. Smaller
files keep tuples, which go with the batch's appenders.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from wijkzicht.formats import CSV_HEADERS
from wijkzicht.ijw.bsn import is_valid_bsn
from wijkzicht.ijw.errors import IjwError
from wijkzicht.ingest.ijw_rows import normal_postcode
from wijkzicht.store.keys import Keys

if TYPE_CHECKING:  # imported where used: ~35 MB in every worker that never sees a CSV
    import pyarrow as pa

HEADERS = CSV_HEADERS
PC6_HEADER = re.compile(r"pc6;huisnummer;buurt(\d{4});wijk\1;gemeente\1")
CSV_KINDS = ("bij", "brp", "bevolking", "pc6", "ervaring", "kerncijfers")
# Columns whose values never appear in a reason.
PERSONAL = {"bsn", "bsn_gezagsdrager", "geslachtsnaam", "voornamen", "geboortedatum", "postcode",
            "huisnummer"}  # fmt: skip


def decode_text(data: bytes) -> str:
    """CSV/JSON text: UTF-8 (with or without BOM), else UTF-16 with a BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IjwError(
            "CSV",
            f"byte {exc.start}",
            f"the file is not UTF-8 text (byte {exc.start})",
            f"het bestand is geen UTF-8-tekst (byte {exc.start})",
        ) from None


def csv_kind(first_line: str) -> str | None:
    """Which CSV a header row belongs to."""
    header = first_line.strip().lower().replace(" ", "")
    if PC6_HEADER.fullmatch(header):
        return "pc6"
    for kind, cols in HEADERS.items():
        if header == ";".join(cols):
            return kind
    return None


class _Row:
    """One CSV row with helpers that raise IjwError naming row, column and (safe) value."""

    def __init__(self, lineno: int, values: dict[str, str]):
        self.lineno = lineno
        self.values = values

    def fail(self, col: str, en: str, nl: str, rule: str = "CSV") -> IjwError:
        raw = self.values.get(col, "")
        shown_en = "" if col in PERSONAL else f" '{raw}'"
        return IjwError(
            rule,
            f"line {self.lineno}/{col}",
            f"line {self.lineno}, column {col}: value{shown_en} {en}",
            f"regel {self.lineno}, kolom {col}: waarde{shown_en} {nl}",
        )

    def text(self, col: str, *, required: bool = True) -> str | None:
        v = self.values.get(col, "").strip()
        if not v:
            if required:
                raise self.fail(col, "is empty", "is leeg")
            return None
        return v

    def integer(self, col: str, *, required: bool = True, lo=None, hi=None) -> int | None:
        v = self.text(col, required=required)
        if v is None:
            return None
        if not re.fullmatch(r"[+-]?\d+", v):
            raise self.fail(col, "is not a whole number", "is geen geheel getal")
        n = int(v)
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            raise self.fail(col, f"is outside {lo}..{hi}", f"ligt buiten {lo}..{hi}")
        return n

    def day(self, col: str, *, required: bool = True) -> date | None:
        v = self.text(col, required=required)
        if v is None:
            return None
        try:
            if re.fullmatch(r"\d{8}", v):
                return date(int(v[:4]), int(v[4:6]), int(v[6:]))
            return date.fromisoformat(v)
        except ValueError:
            raise self.fail(
                col, "is not an existing date (YYYY-MM-DD or JJJJMMDD)", "is geen bestaande datum"
            ) from None

    def birth(self, col: str) -> tuple[date | None, str | None]:
        """Birth month and DatumGebruik from ``JJJJMMDD`` (00 = unknown) or ISO."""
        v = self.text(col)
        assert v is not None
        m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", v)
        if not m:
            raise self.fail(col, "is not a date", "is geen datum")
        y, mo, d = (int(x) for x in m.groups())
        if y == 0:
            return None, "3"
        if mo == 0:
            return date(y, 1, 1), "2"
        try:
            date(y, mo, d if d else 1)
        except ValueError:
            raise self.fail(col, "is not an existing date", "is geen bestaande datum") from None
        return date(y, mo, 1), ("1" if d == 0 else None)

    def bsn(self, col: str, keys: Keys, *, required: bool = True) -> str | None:
        v = self.text(col, required=required)
        if v is None:
            return None
        if v in ("999999999", "000000000"):
            return None
        if not is_valid_bsn(v):
            raise self.fail(
                col,
                "is not a valid BSN (nine digits, eleven-test)",
                "is geen geldig BSN (negen cijfers, elfproef)",
                rule="CS002",
            )
        return keys.pseudonym(v)

    def percentage(self, col: str) -> float | None:
        """0-100 with a decimal comma or point; empty or ``.`` (CBS: secret/unknown) → None."""
        v = self.values.get(col, "").strip()
        if v in ("", "."):
            return None
        if not re.fullmatch(r"\d{1,3}(?:[.,]\d+)?", v):
            raise self.fail(col, "is not a percentage (e.g. 21,3)", "is geen percentage (bv. 21,3)")
        x = float(v.replace(",", "."))
        if x > 100:
            raise self.fail(col, "is above 100", "is groter dan 100")
        return x

    def code(self, col: str, allowed: set[str] | None = None, *, required=True) -> str | None:
        v = self.text(col, required=required)
        if v is not None and allowed is not None and v not in allowed:
            raise self.fail(
                col,
                f"is not one of {', '.join(sorted(allowed))}",
                f"is niet een van {', '.join(sorted(allowed))}",
            )
        return v


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time, split at ``\\n`` as a file would be (an
    ``io.StringIO`` copy would take four bytes a character)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def _rows(text: str, expected: int) -> Iterator[_Row]:
    reader = csv.reader(_lines(text), delimiter=";")
    header = [h.strip().lower() for h in next(reader)]
    for values in reader:
        if not values or (len(values) == 1 and not values[0].strip()):
            continue
        lineno = reader.line_num
        if len(values) != expected:
            raise IjwError(
                "CSV",
                f"line {lineno}",
                f"line {lineno} has {len(values)} fields; the header has {expected}",
                f"regel {lineno} heeft {len(values)} velden; de kopregel heeft er {expected}",
            )
        yield _Row(lineno, dict(zip(header, values, strict=True)))


def area_code(prefix: str, width: int, text: str | None) -> str | None:
    """CBS area code: ``GM0344`` from ``344``, ``0344`` or ``GM0344`` (StatLine spaces dropped)."""
    if text is None:
        return None
    t = text.strip().upper()
    if not t:
        return None
    if t.startswith(prefix):
        t = t[len(prefix) :]
    if not t.isdigit() or len(t) > width:
        raise ValueError(f"'{text}' is not a {prefix} code")
    return prefix + t.zfill(width)


def _area(row: _Row, col: str, prefix: str, width: int, *, required=True) -> str | None:
    try:
        return area_code(prefix, width, row.text(col, required=required))
    except ValueError:
        raise row.fail(col, f"is not a {prefix} code", f"is geen {prefix}-code") from None


GESLACHT_CSV = {"V", "M", "O"}
CHUNK_ROWS = 50_000
Tables = dict[str, list["pa.Table"]]


class Chunks:
    """Rows of one item: tuples while there are fewer than :data:`CHUNK_ROWS` (they go with
    the batch's appenders, cheapest for the many small files), else Arrow tables of
    :data:`CHUNK_ROWS` rows. Arrow columns are named ``c0, c1, …`` and typed by inference: the
    writer inserts them by position, and DuckDB casts (a column all NULL has the null type).
    ``arrow=True`` always gives Arrow (the reference tables, which the writer upserts)."""

    def __init__(self, *, arrow: bool = False) -> None:
        self.arrow = arrow
        self.tables: list[pa.Table] = []
        self._rows: list[tuple] = []

    def add(self, row: tuple) -> None:
        self._rows.append(row)
        if len(self._rows) >= CHUNK_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            import pyarrow as pa

            columns = list(zip(*self._rows, strict=True))
            names = [f"c{i}" for i in range(len(columns))]
            self.tables.append(pa.table([_array(c) for c in columns], names=names))
            self._rows = []

    def done(self) -> list[tuple] | list[pa.Table]:
        if not self.tables and not self.arrow:
            return self._rows
        self._flush()
        return self.tables


def split(rows: dict[str, list]) -> tuple[dict[str, list[tuple]], Tables]:
    """:func:`table_rows` apart: tables of tuples, tables of Arrow chunks (empty ones left out)."""
    tuples = {t: r for t, r in rows.items() if r and isinstance(r[0], tuple)}
    arrow = {t: r for t, r in rows.items() if r and not isinstance(r[0], tuple)}
    return tuples, arrow


def _array(values: tuple) -> pa.Array:
    """An Arrow array; a text column with few distinct values (the item key, codes) is
    dictionary-encoded, which stores each value once."""
    import pyarrow as pa

    array = pa.array(values)
    if pa.types.is_string(array.type) and len(set(values)) * 4 < len(values):
        return array.dictionary_encode()
    return array


def table_rows(kind: str, data: bytes, key: str, keys: Keys) -> dict[str, list]:
    """Rows per store table for one CSV or GeoJSON item (see :class:`Chunks`); addresses still to
    resolve to a buurt go to ``address_pending`` (tabel, key, pos, postcode, huisnummer)."""
    text = decode_text(data)
    if kind == "geojson":
        return {"areas": _chunked(_geojson(text))}
    first = text.split("\n", 1)[0]
    if kind == "pc6":
        m = PC6_HEADER.fullmatch(first.strip().lower().replace(" ", ""))
        if not m:
            raise _bad_header(kind, first)
        return {"pc6_adressen": _chunked(_pc6(text, int(m.group(1))))}
    if csv_kind(first) != kind:
        raise _bad_header(kind, first)
    build: Callable = {
        "bij": _bij,
        "brp": _brp,
        "bevolking": _bevolking,
        "ervaring": _ervaring,
        "kerncijfers": _kerncijfers,
    }[kind]
    return build(text, key, keys)


def _chunked(rows: Iterable[tuple]) -> list[pa.Table]:
    chunks = Chunks(arrow=True)
    for row in rows:
        chunks.add(row)
    return chunks.done()


def _bad_header(kind: str, first: str) -> IjwError:
    shown = first[:80]
    want = (
        "PC6;Huisnummer;Buurt<JJJJ>;Wijk<JJJJ>;Gemeente<JJJJ>"
        if kind == "pc6"
        else (";".join(HEADERS[kind]))
    )
    return IjwError(
        "CSV",
        "line 1",
        f"the header row '{shown}' is not the {kind} layout ({want})",
        f"de kopregel '{shown}' is niet de {kind}-indeling ({want})",
    )


def _bij(text: str, key: str, keys: Keys):
    rows, addresses = Chunks(), Chunks()
    for pos, r in enumerate(_rows(text, len(HEADERS["bij"]))):
        maand, gebruik = r.birth("geboortedatum")
        postcode = r.text("postcode", required=False)
        rows.add(
            (
                key,
                pos,
                r.bsn("bsn", keys),
                maand,
                gebruik,
                r.code("geslacht", GESLACHT_CSV),
                _area(r, "gemeentecode", "GM", 4, required=False),
                None,
                None,
                r.text("aanbieder"),
                r.text("verwijzer", required=False),
                r.text("hulpvorm"),
                r.code("gestart_met_crisis", {"01", "02"}, required=False),
                r.day("datum_aanvang"),
                r.day("datum_einde", required=False),
                r.text("reden_beeindiging", required=False),
            )
        )
        if postcode:
            addresses.add(("bij_records", key, pos, normal_postcode(postcode), None))
    return {"bij_records": rows.done(), "address_pending": addresses.done()}


def _brp(text: str, key: str, keys: Keys):
    rows, addresses = Chunks(), Chunks()
    for pos, r in enumerate(_rows(text, len(HEADERS["brp"]))):
        maand, gebruik = r.birth("geboortedatum")
        postcode = r.text("postcode", required=False)
        huisnummer = r.integer("huisnummer", required=False, lo=0, hi=99_999)
        rows.add(
            (
                key,
                pos,
                "brp",
                r.bsn("bsn", keys),
                maand,
                gebruik,
                r.code("geslacht", GESLACHT_CSV),
                r.bsn("bsn_gezagsdrager", keys, required=False),
                r.day("datum_aanvang"),
                r.day("datum_einde", required=False),
                _area(r, "gemeentecode", "GM", 4, required=False),
                None,
                None,
            )
        )
        if postcode:
            addresses.add(("address_history", key, pos, normal_postcode(postcode), huisnummer))
    return {"address_history": rows.done(), "address_pending": addresses.done()}


def _bevolking(text: str, key: str, keys: Keys):
    rows = Chunks(arrow=True)
    for r in _rows(text, len(HEADERS["bevolking"])):
        rows.add(
            (
                r.integer("jaar", lo=1900, hi=2200),
                _area(r, "gemeentecode", "GM", 4),
                _area(r, "wijkcode", "WK", 6),
                _area(r, "buurtcode", "BU", 8),
                r.integer("leeftijd_van", lo=0, hi=150),
                r.integer("leeftijd_tot", lo=0, hi=150),
                r.integer("aantal", lo=0),
            )
        )
    return {"population": rows.done()}


def _kerncijfers(text: str, key: str, keys: Keys):
    rows = Chunks(arrow=True)
    for r in _rows(text, len(HEADERS["kerncijfers"])):
        soort = r.code("soort", set(_PREFIX))
        assert soort is not None
        rows.add(
            (
                _area(r, "gebiedscode", *_PREFIX[soort]),
                r.integer("jaar", lo=1900, hi=2200),
                r.integer("inwoners", required=False, lo=0),
                r.integer("huishoudens", required=False, lo=0),
                r.percentage("pct_laag_inkomen"),
                r.percentage("pct_eenouder"),
                r.percentage("pct_uitkering"),
            )
        )
    return {"area_kenmerken": rows.done()}


def _pc6(text: str, jaar: int) -> Iterator[tuple]:
    cols = ["pc6", "huisnummer", "buurt", "wijk", "gemeente"]
    reader = csv.reader(_lines(text), delimiter=";")
    next(reader)
    for values in reader:
        if not values:
            continue
        r = _Row(reader.line_num, dict(zip(cols, values, strict=False)))
        if len(values) != 5:
            raise r.fail(
                "pc6", "is on a line without 5 fields", "staat op een regel zonder 5 velden"
            )
        pc = normal_postcode(r.text("pc6") or "")
        if not re.fullmatch(r"[1-9]\d{3}[A-Z]{2}", pc):
            raise r.fail("pc6", "is not a postcode (1234AB)", "is geen postcode (1234AB)")
        yield (
            jaar,
            pc,
            r.integer("huisnummer", lo=0, hi=99_999),
            _area(r, "buurt", "BU", 8),
            _area(r, "wijk", "WK", 6),
            _area(r, "gemeente", "GM", 4),
        )


def _ervaring(text: str, key: str, keys: Keys):
    rows = Chunks()
    janee = {"ja": True, "nee": False}
    for pos, r in enumerate(_rows(text, len(HEADERS["ervaring"]))):
        zonder = r.code("zonder_hulp_verder", set(janee), required=False)
        rows.add(
            (
                key,
                pos,
                r.bsn("bsn", keys),
                r.text("aanbieder"),
                r.integer("jaar", lo=1900, hi=2200),
                r.integer("nut_effect", required=False, lo=1, hi=5),
                r.integer("tevredenheid", required=False, lo=1, hi=5),
                janee.get(zonder) if zonder else None,
            )
        )
    return {"ervaring": rows.done()}


_PREFIX = {"gemeente": ("GM", 4), "wijk": ("WK", 6), "buurt": ("BU", 8)}


def _geojson(text: str) -> list[tuple]:
    def bad(where: str, en: str, nl: str) -> IjwError:
        return IjwError("GEOJSON", where, en, nl)

    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad(
            f"line {exc.lineno}",
            f"the file is not valid JSON: {exc.msg} (line {exc.lineno})",
            f"het bestand is geen geldige JSON: {exc.msg} (regel {exc.lineno})",
        ) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise bad("/type", "the JSON is not a GeoJSON FeatureCollection",
                  "de JSON is geen GeoJSON FeatureCollection")  # fmt: skip
    crs = None
    if isinstance(doc.get("crs"), dict):
        crs = (doc["crs"].get("properties") or {}).get("name")
    out: dict[str, tuple] = {}
    for n, feature in enumerate(doc.get("features") or []):
        props: dict[str, Any] = (feature or {}).get("properties") or {}
        where = f"/features/{n}/properties"
        soort = str(props.get("soort", "")).strip().lower()
        if soort not in _PREFIX:
            raise bad(where + "/soort", f"soort '{soort}' is not gemeente, wijk or buurt",
                      f"soort '{soort}' is geen gemeente, wijk of buurt")  # fmt: skip
        try:
            code = area_code(*_PREFIX[soort], str(props.get("statcode", "")))
            gm = area_code("GM", 4, _opt(props.get("gemeentecode")))
            wk = area_code("WK", 6, _opt(props.get("wijkcode")))
        except ValueError as exc:
            raise bad(where, f"feature {n}: {exc}", f"feature {n}: {exc}") from None
        geometry = feature.get("geometry")
        out[code] = (
            code,
            soort,
            _opt(props.get("statnaam")),
            gm if soort != "gemeente" else code,
            wk if soort == "buurt" else (code if soort == "wijk" else None),
            json.dumps(geometry, separators=(",", ":")) if geometry is not None else None,
            crs,
        )
    return [out[c] for c in sorted(out)]


def _opt(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
