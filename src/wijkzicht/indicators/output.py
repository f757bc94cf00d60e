"""Indicator rows out: CSV, JSON, a terminal table, Excel and Parquet (same columns)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from wijkzicht.indicators.run import COLUMNS, SCHEMA

FORMATS = ("csv", "json", "table")
EXPORT_FORMATS = {".csv": "csv", ".xlsx": "excel", ".parquet": "parquet"}
EXCEL_MAX_ROWS = 1_048_576  # rows of one worksheet, the header included


def number(x: float | int | None) -> str:
    """A figure as text: whole numbers without decimals, others to 6 decimals; empty = none."""
    if x is None:
        return ""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.6f}".rstrip("0")


Rows = Sequence[dict] | pa.Table  # dicts with COLUMNS, or a table of them (no dicts made)


def _records(rows: Rows) -> Iterable[tuple]:
    """The rows as tuples in COLUMNS order (a table column by column: millions of dicts of a
    national run cost more than writing them)."""
    if isinstance(rows, pa.Table):
        return zip(*(rows[c].to_pylist() for c in COLUMNS), strict=True)
    return (tuple(r[c] for c in COLUMNS) for r in rows)


def to_csv(rows: Rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for ind, area, period, num, den, value, suppressed in _records(rows):
        w.writerow([ind, area, period, number(num), number(den), number(value),
                    "true" if suppressed else "false"])  # fmt: skip
    return buf.getvalue()


def to_json(rows: Rows) -> str:
    return json.dumps(
        [dict(zip(COLUMNS, r, strict=True)) for r in _records(rows)], ensure_ascii=False, indent=1
    )


def _arrow(rows: Rows) -> pa.Table:
    # run.SCHEMA with plain strings for its dictionary-encoded key columns
    schema = pa.schema(
        f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in SCHEMA
    )
    if isinstance(rows, pa.Table):
        return rows.select(list(COLUMNS)).cast(schema)
    return pa.Table.from_pylist([dict(r) for r in rows], schema=schema)


def export(rows: Rows, path: Path) -> str:
    """Write ``rows`` to ``path``; the format follows the suffix (.csv, .xlsx, .parquet)."""
    kind = EXPORT_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(f"{path.name}: use .csv, .xlsx or .parquet")
    if kind == "excel" and len(rows) >= EXCEL_MAX_ROWS:
        raise ValueError(
            f"{len(rows):,} rows do not fit in an Excel sheet ({EXCEL_MAX_ROWS - 1:,} at most): "
            "choose fewer (period, level, area or indicator) or write .csv or .parquet"
        )
    if kind == "csv":
        path.write_text(to_csv(rows), encoding="utf-8")
    elif kind == "parquet":
        pq.write_table(_arrow(rows), path)
    else:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("indicatoren")
        ws.append(list(COLUMNS))
        for r in _records(rows):
            ws.append(list(r))
        wb.save(path)
    return kind
