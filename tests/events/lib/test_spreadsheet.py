"""Workbooks read back with openpyxl: codes stay text, nothing becomes a formula, widths fit."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from events.lib.spreadsheet import Table, xlsx_bytes


def test_codes_and_formula_like_text_stay_text_and_counts_stay_numbers() -> None:
    content = xlsx_bytes(
        ["団体コード", "自治体名", "メモ", "人数"],
        [["011002", "札幌市", "=1+1", 3], ["012025", "函館市\x00", None, 0]],
    )
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["団体コード", "自治体名", "メモ", "人数"],
        ["011002", "札幌市", "=1+1", 3],
        ["012025", "函館市", None, 0],
    ]
    assert [(cell.data_type, cell.number_format) for cell in sheet[2]] == [
        ("s", "@"),
        ("s", "@"),
        ("s", "@"),
        ("n", "General"),
    ]
    assert [cell.font.bold for cell in sheet[1]] == [True] * 4
    assert sheet.freeze_panes == "A2"


def test_column_widths_count_kanji_as_two_and_stay_bounded() -> None:
    content = xlsx_bytes(["団体コード", "長文"], [["011002", "あ" * 100]])
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.column_dimensions["A"].width == 12  # 団体コード: 5 wide characters + 2
    assert sheet.column_dimensions["B"].width == 60


def test_a_table_downloads_as_csv_and_xlsx_under_the_same_names() -> None:
    table = Table(header=["団体コード"], rows=[["011002"]], ascii_name="codes", name="コード一覧")
    assert (table.csv().ascii_name, table.csv().name) == ("codes.csv", "コード一覧.csv")
    assert (table.xlsx().ascii_name, table.xlsx().name) == ("codes.xlsx", "コード一覧.xlsx")
    assert table.csv().content == "\ufeff団体コード\r\n011002\r\n".encode()
    sheet = load_workbook(io.BytesIO(table.xlsx().content)).worksheets[0]
    assert sheet["A2"].value == "011002"
