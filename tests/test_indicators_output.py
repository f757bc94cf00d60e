"""The shared writers of indicator rows (CLI export and API exports)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from wijkzicht.indicators.output import EXCEL_MAX_ROWS, export

ROW = {"indicator": "trajecten_begonnen", "area_code": "GM9999", "period": "2020",
       "numerator": 10.0, "denominator": None, "value": 10.0, "suppressed": False}  # fmt: skip


def test_more_rows_than_an_excel_sheet_holds_is_refused_before_writing(tmp_path) -> None:
    path = tmp_path / "alles.xlsx"
    with pytest.raises(ValueError, match="do not fit in an Excel sheet"):
        export([ROW] * EXCEL_MAX_ROWS, path)  # with the header one row too many
    assert not path.exists()
    export([ROW] * 3, path)
    header, *data = load_workbook(path, read_only=True).active.values
    assert header[0] == "indicator" and len(data) == 3
