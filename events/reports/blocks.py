"""Report blocks: a heading and a text body with simple formatting (paragraphs, lists, links).

A text body is plain text, never HTML: blank lines separate paragraphs, lines starting with
"- " form a list, and http(s) URLs become links. It renders to escaped HTML and to Markdown
from the same parse, so an organizer's edit can never inject markup into a public page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from markupsafe import Markup, escape

from events.enums import BlockKind
from events.surveys.summary import SurveySummary, summary_from_data

MAX_HEADING = 200
MAX_BODY = 20_000
_URL = re.compile(r"https?://[^\s<>\"'「」（）()、。]+")
_LIST_ITEM = re.compile(r"^\s*[-・*]\s+")


@dataclass(frozen=True)
class Block:
    """One section of a report; `key` names it stably across edits (e.g. "discussion:12")."""

    key: str
    kind: str
    heading: str
    body: str
    # Numbers a block shows besides its text (the survey's chart data), frozen with the version.
    data: dict[str, Any] | None = None
    # False for an optional block the organizer turned off (the survey results): kept, not shown.
    shown: bool = True

    @property
    def is_visible(self) -> bool:
        """Shown to readers: turned on and with a text (an empty section is left out)."""
        return self.kind == BlockKind.TITLE or (self.shown and bool(self.body.strip()))

    @property
    def survey(self) -> SurveySummary | None:
        """The survey results frozen into this block, for its charts; None for other blocks."""
        if self.kind != BlockKind.SURVEY or not self.data:
            return None
        return summary_from_data(self.data)


def dumps(blocks: Sequence[Block]) -> str:
    return json.dumps([asdict(block) for block in blocks], ensure_ascii=False)


def loads(text: str) -> tuple[Block, ...]:
    return tuple(Block(**item) for item in json.loads(text or "[]"))


def title_of(blocks: Sequence[Block]) -> str:
    return next((block.heading for block in blocks if block.kind == BlockKind.TITLE), "")


def _parts(body: str) -> list[tuple[str, list[str]]]:
    """("p", lines) and ("ul", items) in order; a blank line ends either."""
    parts: list[tuple[str, list[str]]] = []
    for raw in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            parts.append(("", []))
            continue
        kind = "ul" if _LIST_ITEM.match(line) else "p"
        text = _LIST_ITEM.sub("", line) if kind == "ul" else line.strip()
        if parts and parts[-1][0] == kind:
            parts[-1][1].append(text)
        else:
            parts.append((kind, [text]))
    return [(kind, lines) for kind, lines in parts if kind]


def _linked(text: str) -> Markup:
    """Escaped text with its http(s) URLs as links."""
    pieces: list[Markup] = []
    position = 0
    for match in _URL.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        url = escape(match.group(0))
        pieces.append(Markup('<a href="{0}">{0}</a>').format(url))
        position = match.end()
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def to_html(body: str) -> Markup:
    """The body as <p> and <ul> elements, every character of the text escaped."""
    html: list[Markup] = []
    for kind, lines in _parts(body):
        if kind == "ul":
            items = Markup("").join(Markup("<li>{}</li>").format(_linked(item)) for item in lines)
            html.append(Markup("<ul>{}</ul>").format(items))
        else:
            html.append(Markup("<p>{}</p>").format(Markup("<br>").join(map(_linked, lines))))
    return Markup("\n").join(html)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _markdown_text(text: str) -> str:
    """Characters Markdown would read as markup are escaped; URLs stay as they are."""
    pieces, position = [], 0
    for match in _URL.finditer(text):
        pieces.append(_MARKDOWN_SPECIAL.sub(r"\\\1", text[position : match.start()]))
        pieces.append(f"<{match.group(0)}>")
        position = match.end()
    pieces.append(_MARKDOWN_SPECIAL.sub(r"\\\1", text[position:]))
    return "".join(pieces)


def shown(blocks: Iterable[Block]) -> list[Block]:
    """The blocks a reader sees: a section left empty (no closing words, say) is not shown."""
    return [block for block in blocks if block.is_visible]


def to_markdown(blocks: Iterable[Block]) -> str:
    out: list[str] = []
    for block in shown(blocks):
        level = "#" if block.kind == BlockKind.TITLE else "##"
        if block.heading:
            out.append(f"{level} {_markdown_text(block.heading)}")
        for kind, lines in _parts(block.body):
            if kind == "ul":
                out.append("\n".join(f"- {_markdown_text(item)}" for item in lines))
            else:
                out.append("  \n".join(_markdown_text(line) for line in lines))
    return "\n\n".join(out) + "\n"


def plain_text(blocks: Iterable[Block]) -> str:
    """Headings and bodies as one text, for search."""
    return "\n".join(f"{block.heading}\n{block.body}" for block in blocks)


@dataclass(frozen=True)
class RenderedBlock:
    """A block with its body as escaped HTML, for pages and the PDF."""

    block: Block
    html: Markup


def rendered(blocks: Iterable[Block]) -> list[RenderedBlock]:
    return [RenderedBlock(block, to_html(block.body)) for block in blocks]
