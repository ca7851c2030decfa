"""Board posts as text: limits, theme tags, and rendering as escaped HTML with links and lists.

A post is plain text. Rendering escapes everything, then adds only paragraphs, line breaks,
lists (lines starting with 「・」, 「-」 or 「*」, or 「1.」) and links for http(s) URLs, so no HTML
that someone typed ever reaches a page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from markupsafe import Markup, escape

from events.lib.errors import Problems
from events.lib.i18n import N_

MAX_TITLE = 120
MAX_BODY = 4000
MAX_THEMES = 5
MAX_THEME = 20
_URL = re.compile(r"https?://[^\s<>\"'、。「」（）()]+")
_BULLET = re.compile(r"^\s*(?:[・\-*•])\s*(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)．]\s*(.*)$")
_THEME_SEPARATORS = re.compile(r"[,、，\s#＃]+")
# Tabs and newlines are text; other control characters (NUL, escape sequences) are not.
_LIST_TAGS = {"ul": (Markup("<ul>"), Markup("</ul>")), "ol": (Markup("<ol>"), Markup("</ol>"))}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Line endings made \\n, control characters dropped, surrounding blanks trimmed."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def check_title(title: str, problems: Problems, field: str = "title") -> None:
    if not title:
        problems.add(field, N_("件名を入力してください。"))
    elif len(title) > MAX_TITLE or "\n" in title:
        problems.add(field, N_("件名は1行・%(max)d文字以内にしてください。"), max=MAX_TITLE)


def check_body(body: str, problems: Problems, field: str = "body") -> None:
    if not body:
        problems.add(field, N_("本文を入力してください。"))
    elif len(body) > MAX_BODY:
        problems.add(
            field,
            N_("本文は%(max)d文字以内にしてください（現在%(length)d文字）。"),
            max=MAX_BODY,
            length=len(body),
        )


def normalize_theme(theme: str) -> str:
    return unicodedata.normalize("NFKC", theme).strip().lstrip("#").strip()


def parse_themes(text: str) -> tuple[str, ...]:
    """Tags typed as 「人事, KPI」 or 「#人事 #KPI」: each once, in the order typed."""
    found: list[str] = []
    for part in _THEME_SEPARATORS.split(unicodedata.normalize("NFKC", text)):
        theme = normalize_theme(part)
        if theme and theme not in found:
            found.append(theme)
    return tuple(found)


def check_themes(themes: tuple[str, ...], problems: Problems, field: str = "themes") -> None:
    if len(themes) > MAX_THEMES:
        problems.add(field, N_("テーマは%(max)d個までにしてください。"), max=MAX_THEMES)
    if any(len(theme) > MAX_THEME for theme in themes):
        problems.add(field, N_("テーマは1つ%(max)d文字以内にしてください。"), max=MAX_THEME)


def render(text: str) -> Markup:
    """The post as HTML: escaped text, paragraphs, line breaks, lists and links only."""
    return Markup("\n").join(_blocks(text.split("\n")))


def _blocks(lines: list[str]) -> Iterator[Markup]:
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush_paragraph() -> Iterator[Markup]:
        if paragraph:
            yield Markup("<p>{}</p>").format(Markup("<br>\n").join(map(_inline, paragraph)))
            paragraph.clear()

    def flush_list() -> Iterator[Markup]:
        if items:
            inner = Markup("").join(Markup("<li>{}</li>").format(_inline(i)) for i in items)
            yield _LIST_TAGS[list_tag][0] + inner + _LIST_TAGS[list_tag][1]
            items.clear()

    for line in lines:
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if bullet or numbered:
            tag = "ul" if bullet else "ol"
            yield from flush_paragraph()
            if items and tag != list_tag:
                yield from flush_list()
            list_tag = tag
            items.append((bullet or numbered).group(1))  # type: ignore[union-attr]
        elif line.strip():
            yield from flush_list()
            paragraph.append(line)
        else:
            yield from flush_list()
            yield from flush_paragraph()
    yield from flush_list()
    yield from flush_paragraph()


def _inline(text: str) -> Markup:
    """Escaped text with its http(s) URLs as links that leave the site safely."""
    parts: list[Markup] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0)
        parts.append(escape(text[position : match.start()]))
        parts.append(
            Markup('<a href="{}" rel="nofollow noopener noreferrer ugc">{}</a>').format(url, url)
        )
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def excerpt(text: str, length: int = 80) -> str:
    """The start of a post on one line, for lists and mails."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"
