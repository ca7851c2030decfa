"""The home page: what is coming up and what was reported lately."""

from __future__ import annotations

from litestar import get
from litestar.response import Template

from events.reports.archive import recent
from events.sessions.exchange_sessions import PUBLIC_STATUSES, SessionQuery, list_sessions
from events.web.page_cache import PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT

UPCOMING_ON_HOME = 6


@get("/", name="home", include_in_schema=False, opt=PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT)
async def home() -> Template:
    upcoming = await list_sessions(
        SessionQuery(statuses=PUBLIC_STATUSES, upcoming=True, limit=UPCOMING_ON_HOME)
    )
    return Template(
        "public/home/index.html.jinja2",
        context={"upcoming": upcoming, "reports": await recent(UPCOMING_ON_HOME)},
    )


ROUTES = [home]
