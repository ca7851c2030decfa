"""Render one kind of e-mail in one language: subject, plain text and HTML from templates/emails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events.lib.i18n import use_locale
from events.templating import render


@dataclass(frozen=True)
class ComposedMail:
    subject: str
    text: str
    html: str


def compose(kind: str, locale: str, **context: Any) -> ComposedMail:
    """templates/emails/<kind>.subject.txt.jinja2, <kind>.txt.jinja2 and <kind>.html.jinja2."""
    with use_locale(locale):
        subject = render(f"emails/{kind}.subject.txt.jinja2", **context)
        text = render(f"emails/{kind}.txt.jinja2", **context)
        html = render(f"emails/{kind}.html.jinja2", **context)
    # A subject is one line: template newlines must not become header folding.
    return ComposedMail(subject=" ".join(subject.split()), text=text, html=html)
