"""Reading .xlsx downloads back with openpyxl, and checking that they hold what the CSV beside
them holds, cell for cell."""

from __future__ import annotations

import csv
import io

import httpx
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from events.lib.csv_export import neutralized
from events.lib.spreadsheet import XLSX_MEDIA_TYPE


def xlsx_sheet(response: httpx.Response) -> Worksheet:
    """The one sheet of a workbook download, after the headers every download must carry."""
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    assert response.headers["cache-control"] == "no-store"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="')
    assert ".xlsx\"; filename*=UTF-8''" in disposition
    assert disposition.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def sheet_rows(sheet: Worksheet) -> list[list[str | int | None]]:
    rows: list[list[str | int | None]] = []
    for row in sheet.iter_rows():
        values = [cell.value for cell in row]
        assert all(value is None or isinstance(value, (str, int)) for value in values)
        rows.append([value for value in values if value is None or isinstance(value, (str, int))])
    return rows


def assert_same_as_csv(sheet: Worksheet, csv_response: httpx.Response) -> None:
    """Every cell as the CSV writes it; text cells stored as text (never a formula)."""
    text = csv_response.content.decode("utf-8-sig")
    expected = [_trimmed(row) for row in csv.reader(io.StringIO(text, newline=""))]
    got = [_trimmed([neutralized(value) for value in row]) for row in sheet_rows(sheet)]
    assert got == expected
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                assert (cell.data_type, cell.number_format) == ("s", "@"), cell.coordinate
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"


def _trimmed(row: list[str]) -> list[str]:
    """Without trailing empty cells: a sheet's rows all reach its widest one, a CSV's do not."""
    while row and row[-1] == "":
        row = row[:-1]
    return row
