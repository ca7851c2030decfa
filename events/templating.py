"""The one Jinja environment for pages, mails and reports."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from events.lib import formatting, i18n
from events.lib.settings import Environment as Deployment
from events.lib.settings import load_settings

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        # Plain-text mails must not turn "&" into "&amp;"; everything else is HTML.
        autoescape=select_autoescape(
            disabled_extensions=("txt.jinja2",), default_for_string=True, default=True
        ),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A template is read and compiled once per process; only development looks at the files
        # again (a stat of every template, layout and include on each render) to pick up edits.
        auto_reload=load_settings().environment is Deployment.DEVELOPMENT,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.plural_form, newstyle=True, pgettext=i18n.pgettext
    )
    env.filters.update(
        day=formatting.format_day,
        time=formatting.format_time,
        period=formatting.format_period,
        moment=formatting.format_moment,
        fiscal_year=formatting.format_fiscal_year,
        paren=formatting.parenthesized,
        label=formatting.as_label,
        round_mark=formatting.circled_number,
        group_letter=formatting.group_letter,
    )
    env.globals.update(
        current_locale=i18n.current_locale,
        locale_names=i18n.LOCALE_NAMES,
        separator=formatting.list_separator,
        range_dash=formatting.range_dash,
    )
    return env


def render(template_name: str, **context: Any) -> str:
    """Render outside a request (mails, reports); pages go through Litestar's Template."""
    return environment().get_template(template_name).render(**context)
