"""A table to download, as CSV or as an Excel workbook (.xlsx) made with openpyxl.

A CSV cannot say that a cell is text: a spreadsheet opening it turns the code 011002 into the
number 11002. The workbook stores every text cell as text (shown with the "@" format, so that
editing keeps it text) and never as a formula, and every number we counted as a number.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from events.lib.csv_export import Cell, CsvDownload, csv_bytes

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths in Excel's units (about one half-width character each), within these bounds.
MIN_WIDTH, MAX_WIDTH = 6, 60


class XlsxDownload(CsvDownload):
    """The same three fields as a CSV download; the content is a workbook."""


@dataclass(frozen=True)
class Table:
    """Column headings, rows, and the file name without its extension (ASCII and Japanese)."""

    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    ascii_name: str
    name: str

    def csv(self) -> CsvDownload:
        return CsvDownload(
            content=csv_bytes(self.header, self.rows),
            ascii_name=f"{self.ascii_name}.csv",
            name=f"{self.name}.csv",
        )

    def xlsx(self) -> XlsxDownload:
        return XlsxDownload(
            content=xlsx_bytes(self.header, self.rows),
            ascii_name=f"{self.ascii_name}.xlsx",
            name=f"{self.name}.xlsx",
        )


def xlsx_bytes(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """One sheet: a bold header row that stays in view, then the rows; widths fit the text."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    for values in (header, *rows):
        sheet.append([_cell_value(value) for value in values])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                # openpyxl would store "=..." as a formula; text is text, whatever it starts with.
                cell.data_type = "s"
                cell.number_format = "@"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(_widths([header, *rows]), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_value(value: Cell) -> str | int | None:
    # Control characters cannot be stored in the XML of a workbook.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _widths(rows: Sequence[Sequence[Cell]]) -> list[int]:
    widths: list[int] = []
    for row in rows:
        for index, value in enumerate(row):
            if index == len(widths):
                widths.append(MIN_WIDTH)
            widths[index] = max(widths[index], _display_width(value) + 2)
    return [min(width, MAX_WIDTH) for width in widths]


def _display_width(value: Cell) -> int:
    """Half-width units: kanji and kana take two (East Asian wide and full-width)."""
    text = "" if value is None else str(value)
    return max(
        sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        for line in text.split("\n")
    )
