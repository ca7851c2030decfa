"""CSV files that open correctly in Japanese Excel and cannot smuggle formulas: every CSV goes here.

Excel reads a CSV as UTF-8 only when it starts with a byte order mark (otherwise it guesses
Shift_JIS and garbles kanji), expects CRLF line endings, and runs any cell that starts like a
formula. Cells are neutralised as the OWASP "CSV Injection" guidance says: a leading apostrophe
makes Excel and LibreOffice show the text as typed instead of evaluating it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

# Responses add "; charset=utf-8" to every text/ type themselves.
MEDIA_TYPE = "text/csv"
BOM = "\ufeff"
# What a spreadsheet may read as the start of a formula (OWASP): = + - @, tab and carriage return.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters that show nothing: a formula behind them still runs in some spreadsheets.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")
# Characters Windows refuses in file names, and controls: replaced in the Japanese name.
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')

Cell = str | int | None


def neutralized(value: Cell) -> str:
    """The text of one cell; text that a spreadsheet would run as a formula gets an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int):  # numbers we count ourselves, never typed by anyone
        return str(value)
    return f"'{value}" if _starts_like_formula(value) else value


def _starts_like_formula(text: str) -> bool:
    """Also the full-width ＝＋－＠ (Japanese input gives them; spreadsheets read them as the
    ASCII ones) and any of these behind invisible characters."""
    first = text.lstrip(_INVISIBLE)[:1]
    return text.startswith(FORMULA_STARTS) or unicodedata.normalize("NFKC", first).startswith(
        FORMULA_STARTS
    )


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 with BOM and CRLF line endings; every cell, header included, neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralized(cell) for cell in header])
    writer.writerows([neutralized(cell) for cell in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class CsvDownload:
    """A CSV file to send: its bytes, an ASCII file name and the (Japanese) name people see."""

    content: bytes
    ascii_name: str
    name: str

    @property
    def headers(self) -> dict[str, str]:
        return {"content-disposition": content_disposition(self.ascii_name, self.name)}


def content_disposition(ascii_name: str, name: str) -> str:
    """An attachment with an ASCII fallback name and the real one in RFC 5987 `filename*`."""
    fallback = _UNSAFE_ASCII.sub("_", ascii_name).strip("._") or "download.csv"
    readable = _UNSAFE_IN_NAME.sub("_", name).strip() or fallback
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(readable, safe='')}"
