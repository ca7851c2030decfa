"""Work every process does once, done at start instead of in the first requests.

The first registration after a start took 190 ms against 5 ms for the next ones, most of it
under the session's lock: compiling the mail and calendar templates, building Tokyo's
VTIMEZONE and loading the date names of a locale. Every request that came in meanwhile waited.
"""

from __future__ import annotations

from babel import Locale

from events.calendars.ics import tokyo_timezone
from events.lib.i18n import LOCALES
from events.templating import environment


def warm_up() -> None:
    """Compile every template (about 1.5 s), build the VTIMEZONE, load the locales' data."""
    templates = environment()
    for name in templates.list_templates(extensions=["jinja2"]):
        templates.get_template(name)
    tokyo_timezone()
    for locale in LOCALES:
        Locale.parse(locale).days  # noqa: B018 (loads the locale's data, which Babel keeps)
