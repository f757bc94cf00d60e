"""Indicator rows out: CSV, JSON, a terminal table, Excel and Parquet (same columns)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from wijkzicht.indicators.run import COLUMNS

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


def to_csv(rows: Sequence[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow(
            [r["indicator"], r["area_code"], r["period"], number(r["numerator"]),
             number(r["denominator"]), number(r["value"]), "true" if r["suppressed"] else "false"]
        )  # fmt: skip
    return buf.getvalue()


def to_json(rows: Sequence[dict]) -> str:
    return json.dumps([dict(r) for r in rows], ensure_ascii=False, indent=1)


def _arrow(rows: Sequence[dict]) -> pa.Table:
    schema = pa.schema(
        [("indicator", pa.string()), ("area_code", pa.string()), ("period", pa.string()),
         ("numerator", pa.float64()), ("denominator", pa.float64()), ("value", pa.float64()),
         ("suppressed", pa.bool_())]
    )  # fmt: skip
    return pa.Table.from_pylist([dict(r) for r in rows], schema=schema)


def export(rows: Sequence[dict], path: Path) -> str:
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
        for r in rows:
            ws.append([r[c] for c in COLUMNS])
        wb.save(path)
    return kind
