"""Translation catalog upkeep: `python -m events.lib.catalog update` or `check`.

Msgids are the Japanese text itself (N_/gettext/_ in Python, _() and {% trans %} in
templates); the English catalog lives in events/locale/en/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (ROOT / "events", ROOT / "networking", ROOT / "templates")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
METHODS = [("**.py", "python"), ("**.jinja2", "jinja2")]
OPTIONS = {"**.jinja2": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
LOCALES = ("en",)


def po_path(locale: str) -> Path:
    return ROOT / "events" / "locale" / locale / "LC_MESSAGES" / "messages.po"


def extract() -> Catalog:
    """Every msgid the code and templates use, with where it is used."""
    template = Catalog(project="tsunagu", charset="utf-8")
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            source, METHODS, keywords=KEYWORDS, options_map=OPTIONS
        ):
            location = (str((source / filename).relative_to(ROOT)), lineno)
            template.add(message, locations=[location], auto_comments=comments, context=context)
    return template


def load(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, project="tsunagu", charset="utf-8")
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def update() -> None:
    """Add new msgids (untranslated) to each catalog and drop ones no longer used."""
    template = extract()
    for locale in LOCALES:
        catalog = load(locale)
        created = catalog.creation_date  # a stable header keeps merges of the catalog quiet
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date = created
        catalog.fuzzy = False
        catalog.obsolete.clear()
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as target:
            write_po(target, catalog, sort_output=True, omit_header=False, width=100)


def untranslated(locale: str) -> list[str]:
    """Msgids in use that the catalog does not translate yet."""
    catalog = load(locale)
    missing = []
    for message in extract():
        if not message.id:
            continue
        translated = catalog.get(message.id, context=message.context)
        forms = translated.string if translated is not None else ""
        if translated is None or translated.fuzzy or not all(_as_tuple(forms)):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def _as_tuple(string: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A plural message has one string per form; every form must be translated."""
    if isinstance(string, tuple | list):
        return tuple(string)
    return (string or "",)


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        update()
        return 0
    if argv == ["check"]:
        missing = {locale: untranslated(locale) for locale in LOCALES}
        for locale, messages in missing.items():
            for message in messages:
                print(f"{locale}: untranslated: {message}")
        return 1 if any(missing.values()) else 0
    print("usage: python -m events.lib.catalog update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
