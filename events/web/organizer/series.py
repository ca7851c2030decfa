"""The organizer's series pages: the list and the form for a new series."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST

from events.accounts.organizers import OrganizerIdentity
from events.lib.errors import Problem, ValidationError
from events.sessions.series import SeriesInput, create_series, list_series
from events.web.auth import NO_STORE, page_organizer
from events.web.forms import form_fields
from networking.regions import AREAS


def _form_page(
    organizer: OrganizerIdentity, data: SeriesInput, errors: list[Problem] | None = None
) -> Template:
    return Template(
        "organizer/series/new.html.jinja2",
        context={"organizer": organizer, "form": data, "areas": AREAS, "errors": errors or []},
        status_code=HTTP_400_BAD_REQUEST if errors else 200,
    )


class OrganizerSeries(Controller):
    path = "/organizer/series"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    @get("/", name="organizer_series")
    async def index(self, organizer: NamedDependency[OrganizerIdentity]) -> Template:
        return Template(
            "organizer/series/list.html.jinja2",
            context={
                "organizer": organizer,
                "series": await list_series(organizer),
                "areas": AREAS,
            },
        )

    @get("/new", name="organizer_series_new")
    async def new(self, organizer: NamedDependency[OrganizerIdentity]) -> Template:
        return _form_page(organizer, SeriesInput(title="", region=""))

    @post("/new", name="organizer_series_create")
    async def create(
        self, request: Request[Any, Any, Any], organizer: NamedDependency[OrganizerIdentity]
    ) -> Response[Any]:
        form = await form_fields(request)
        data = SeriesInput(
            title=form.get("title", ""),
            region=form.get("region", ""),
            description=form.get("description", ""),
        )
        try:
            row = await create_series(organizer, data)
        except ValidationError as error:
            return _form_page(organizer, data, list(error.problems))
        return Redirect(
            request.app.route_reverse("organizer_session_new") + f"?series={row['id']}",
            status_code=HTTP_303_SEE_OTHER,
        )


ROUTES = [OrganizerSeries]
