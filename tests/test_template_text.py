"""Every word a template shows goes through gettext, so that the English UI can translate it."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from jinja2 import Environment

from events.templating import TEMPLATES_DIR, environment

TEMPLATES = sorted(TEMPLATES_DIR.rglob("*.jinja2"))
_TAG = re.compile(r"<[^<>]*>")
_ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
# Attributes a macro writes outside of a tag, e.g. aria-invalid="true".
_ATTRIBUTE = re.compile(r'[\w:-]+="[^"]*"')
_EXPRESSION = "\x00"


def visible_text(env: Environment, source: str) -> str:
    """The literal text between template tags, HTML markup and entities removed."""
    pieces = []
    for _, token_type, value in env.lex(source):
        if token_type == "data":
            pieces.append(value)
        elif token_type in {"variable_begin", "block_begin"}:
            pieces.append(_EXPRESSION)
    return _ATTRIBUTE.sub(" ", _ENTITY.sub(" ", _TAG.sub(" ", "".join(pieces))))


def words(text: str) -> list[str]:
    return [
        chunk
        for chunk in re.split(r"[\s\x00]+", text)
        if any(unicodedata.category(ch).startswith("L") for ch in chunk)
    ]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(TEMPLATES_DIR)))
def test_template_has_no_untranslatable_text(path: Path) -> None:
    text = visible_text(environment(), path.read_text(encoding="utf-8"))
    assert words(text) == []
