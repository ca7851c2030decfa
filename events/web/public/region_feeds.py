"""Region calendar feeds and the page that explains how to subscribe to them."""

from __future__ import annotations

from litestar import Response, get
from litestar.params import FromPath
from litestar.response import Template

from events.calendars import region_feeds
from events.web.page_cache import PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT


@get(
    "/regions/{slug:str}/calendar.ics",
    name="region_calendar",
    include_in_schema=False,
    opt=PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT,
)
async def region_calendar(slug: FromPath[str]) -> Response[bytes]:
    """text/calendar; the public page cache adds the ETag and answers 304 to revalidations."""
    content = await region_feeds.region_feed(slug)
    # inline: calendar apps subscribe to the URL; a browser may still save it under this name.
    disposition = f'inline; filename="tsunagu-{slug}.ics"'
    return Response(
        content, media_type="text/calendar", headers={"content-disposition": disposition}
    )


@get(
    "/calendars",
    name="region_calendars",
    include_in_schema=False,
    opt=PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT,
)
async def calendars_page() -> Template:
    return Template(
        "public/regions/calendars.html.jinja2", context={"feeds": region_feeds.feed_links()}
    )


ROUTES = [region_calendar, calendars_page]
