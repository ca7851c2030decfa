"""What the first requests would pay for is done when the application starts."""

from __future__ import annotations

from events.app import create_app
from events.calendars.ics import tokyo_timezone
from events.templating import environment
from tests.conftest import running


async def test_starting_the_application_compiles_every_template_and_builds_the_vtimezone() -> None:
    templates = environment()
    templates.cache.clear()  # type: ignore[union-attr]  # an LRU cache unless disabled
    tokyo_timezone.cache_clear()
    async with running(create_app(run_worker=False)):
        compiled = {name for _, name in templates.cache}  # type: ignore[union-attr]
        assert compiled == set(templates.list_templates(extensions=["jinja2"]))
        assert tokyo_timezone.cache_info().currsize == 1
