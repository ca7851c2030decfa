"""The page an organizer lands on: their series, and their sessions by status with head counts."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency, Provide
from litestar.response import Template

from events.accounts.organizers import OrganizerIdentity
from events.organizing.dashboard import dashboard
from events.web.auth import NO_STORE, page_organizer
from events.web.organizer.sign_in import DASHBOARD_PATH


@get(
    DASHBOARD_PATH,
    name="organizer_dashboard",
    include_in_schema=False,
    dependencies={"organizer": Provide(page_organizer)},
    cache_control=NO_STORE,
)
async def organizer_dashboard(organizer: NamedDependency[OrganizerIdentity]) -> Template:
    return Template(
        "organizer/dashboard.html.jinja2",
        context={"organizer": organizer, "dashboard": await dashboard(organizer)},
    )


ROUTES = [organizer_dashboard]
