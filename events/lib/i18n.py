"""Languages of the UI and mail: Japanese msgids, an English catalog, the current locale."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.core import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from networking.errors import N_

__all__ = ["DEFAULT_LOCALE", "LOCALES", "N_", "gettext", "ngettext", "pgettext", "use_locale"]

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DEFAULT_LOCALE = "ja"
LOCALES = ("ja", "en")
LOCALE_NAMES = {"ja": "日本語", "en": "English"}

_current: ContextVar[str] = ContextVar("tsunagu_locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: str) -> NullTranslations:
    """The catalog for `locale`, compiled from its .po file (msgids are the Japanese text)."""
    po_file = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT_LOCALE or not po_file.exists():
        return NullTranslations()
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


def current_locale() -> str:
    return _current.get()


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Render pages or mails in `locale` for the duration of the block."""
    token = _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def set_locale(locale: str) -> None:
    """Set the locale for the rest of the current task (one request)."""
    _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def gettext(message: str, **params: object) -> str:
    text = translations(_current.get()).ugettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, count: int, **params: object) -> str:
    return plural_form(singular, plural, count) % {"num": count, **params}


def plural_form(singular: str, plural: str, count: int) -> str:
    """The form of the message for `count`, unformatted (Jinja fills in the placeholders)."""
    text: str = translations(_current.get()).ungettext(singular, plural, count)
    return text


def pgettext(context: str, message: str, **params: object) -> str:
    """A msgid that English must translate differently in `context` (a list, not one item)."""
    text = translations(_current.get()).upgettext(context, message)
    return text % params if params else text


def negotiate(chosen: str | None, accept_language: str | None) -> str:
    """The switcher's choice first, then the browser's Accept-Language, then Japanese."""
    if chosen in LOCALES:
        return chosen
    if accept_language:
        found = negotiate_locale(_by_quality(accept_language), list(LOCALES), sep="-")
        if found:
            return found
    return DEFAULT_LOCALE


def _by_quality(accept_language: str) -> list[str]:
    """Language tags of an Accept-Language header, best first (q=1 when not given)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, parameters = part.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]
