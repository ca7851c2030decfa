"""CSV for Japanese Excel: BOM, CRLF, RFC 5987 file names, and no formula injection."""

from __future__ import annotations

import csv
import io

import pytest

from events.lib.csv_export import (
    BOM,
    Cell,
    CsvDownload,
    content_disposition,
    csv_bytes,
    neutralized,
)


def read_back(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example/","x")', '\'=HYPERLINK("http://evil.example/","x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ('＝HYPERLINK("http://evil.example/")', '\'＝HYPERLINK("http://evil.example/")'),
        ("＋1", "'＋1"),
        ("－2", "'－2"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("\u200b=1+1", "'\u200b=1+1"),
        ("\u200b\ufeff＝1", "'\u200b\ufeff＝1"),
        ("\u200b山田", "\u200b山田"),
        ("ー（長音）", "ー（長音）"),
        ("佐藤＆鈴木 <共同>", "佐藤＆鈴木 <共同>"),
        ("ﾊﾝｶｸ", "ﾊﾝｶｸ"),
        ("a=b", "a=b"),
        ("'quoted", "'quoted"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_neutralized_prefixes_only_formula_starts(value: str | int | None, cell: str) -> None:
    assert neutralized(value) == cell


def test_csv_bytes_start_with_the_bom_and_end_lines_with_crlf() -> None:
    content = csv_bytes(["氏名", "所属"], [["山田 太郎", "デジタル推進課"], ["ﾊﾝｶｸ", "-2"]])
    assert content.startswith(b"\xef\xbb\xbf")
    assert content == (BOM + "氏名,所属\r\n山田 太郎,デジタル推進課\r\nﾊﾝｶｸ,'-2\r\n").encode()


def test_csv_bytes_round_trip_quotes_commas_quotes_and_newlines() -> None:
    rows: list[list[Cell]] = [['佐藤＆鈴木 <共同>, "代表"', "一行目\n二行目", "=1+1", 7, None]]
    content = csv_bytes(["a", "b", "c", "d", "e"], rows)
    assert read_back(content) == [
        ["a", "b", "c", "d", "e"],
        ['佐藤＆鈴木 <共同>, "代表"', "一行目\n二行目", "'=1+1", "7", ""],
    ]


def test_content_disposition_has_an_ascii_name_and_the_japanese_one() -> None:
    assert content_disposition("registrations-session-1.csv", "参加者一覧.csv") == (
        'attachment; filename="registrations-session-1.csv"; '
        "filename*=UTF-8''%E5%8F%82%E5%8A%A0%E8%80%85%E4%B8%80%E8%A6%A7.csv"
    )


def test_content_disposition_cleans_unsafe_names() -> None:
    header = content_disposition('bad "name"\r\n.csv', '第3回/情報交換会:"速報"\n.csv')
    assert header == (
        'attachment; filename="bad_name_.csv"; '
        "filename*=UTF-8''%E7%AC%AC3%E5%9B%9E_%E6%83%85%E5%A0%B1%E4%BA%A4%E6%8F%9B%E4%BC%9A_"
        "%E9%80%9F%E5%A0%B1_.csv"
    )


def test_download_headers_carry_the_disposition() -> None:
    download = CsvDownload(content=b"", ascii_name="a.csv", name="あ.csv")
    assert download.headers == {
        "content-disposition": "attachment; filename=\"a.csv\"; filename*=UTF-8''%E3%81%82.csv"
    }
