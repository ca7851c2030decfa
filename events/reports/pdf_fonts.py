"""Whether report PDFs can show Japanese: a font fontconfig knows, and no .notdef glyph drawn.

WeasyPrint never fails for a missing glyph: without a Japanese font every character becomes
a box (glyph 0, .notdef) in an otherwise valid PDF. So the worker reads each PDF back and
refuses one that draws any character with glyph 0, and the processes that render say at
start when fontconfig finds no Japanese font at all.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, NameObject, StreamObject

log = logging.getLogger(__name__)

FONT_PACKAGE = "fonts-noto-cjk"
_FC_LIST_SECONDS = 30
# The pairs WeasyPrint writes in its CMaps: "<code> <unicode>" in ToUnicode's bfchar sections
# and "<code> cid" in the cidchar sections of its own encodings.
_BFCHAR = (re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL), re.compile(rb"<(\w+)>\s*<(\w+)>"))
_CIDCHAR = (re.compile(rb"begincidchar(.*?)endcidchar", re.DOTALL), re.compile(rb"<(\w+)>\s+(\d+)"))


def japanese_font_families() -> list[str]:
    """The font families fontconfig offers for Japanese; empty without fontconfig's fc-list."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    result = subprocess.run(  # noqa: S603 - a fixed command, no user input
        [fc_list, ":lang=ja", "family"],
        capture_output=True,
        text=True,
        timeout=_FC_LIST_SECONDS,
        check=False,
    )
    families = {line.split(",")[0].strip() for line in result.stdout.splitlines()}
    return sorted(family for family in families if family)


def log_font_check() -> bool:
    """One log line at start when report PDFs cannot show Japanese; True when they can."""
    families = japanese_font_families()
    if not families:
        log.warning(
            "report PDFs: fontconfig finds no Japanese font, so PDFs cannot be rendered "
            "readably; install one (%s on Debian/Ubuntu), then run `tsunagu render-pdfs`",
            FONT_PACKAGE,
        )
    return bool(families)


def _pairs(
    stream: StreamObject, patterns: tuple[re.Pattern[bytes], re.Pattern[bytes]]
) -> dict[int, bytes]:
    section, pair = patterns
    return {
        int(code, 16): value
        for text in section.findall(stream.get_data())
        for code, value in pair.findall(text)
    }


def _font_notdef(font: DictionaryObject) -> set[str]:
    """Characters this font draws with glyph 0."""
    to_unicode = font.get("/ToUnicode")
    if to_unicode is None:
        return set()
    characters = {
        code: bytes.fromhex(value.decode()).decode("utf-16-be", errors="replace")
        for code, value in _pairs(to_unicode.get_object(), _BFCHAR).items()
    }
    encoding = font.get("/Encoding")
    if isinstance(encoding, NameObject) or encoding is None:
        # Identity-H: the code is the glyph id.
        return {characters[0]} if 0 in characters else set()
    cids = _pairs(encoding.get_object(), _CIDCHAR)
    return {characters[code] for code, cid in cids.items() if cid == b"0" and code in characters}


def notdef_characters(pdf: bytes) -> str:
    """Every character the PDF draws as .notdef (a box), in order of first use; "" if none."""
    found: dict[str, None] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for font in (fonts.get_object() if fonts is not None else {}).values():
            found.update(dict.fromkeys(sorted(_font_notdef(font.get_object()))))
    return "".join(found)
