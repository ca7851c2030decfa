"""Public session pages: the list, one session with its agenda, and its calendar file."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Response, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events.calendars import session_files
from events.lib.errors import NotFoundError
from events.lib.i18n import N_
from events.reports.archive import ArchiveItem, reports_of_sessions
from events.sessions.exchange_sessions import (
    PUBLIC_STATUSES,
    ExchangeSessionView,
    SessionQuery,
    get_session,
    list_sessions,
    series_titles,
)
from events.sessions.participants import participating_municipalities
from events.web.page_cache import (
    PAGE_CACHE_STATE,
    PUBLIC_PAGE_OPT,
    PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT,
    PageCache,
    Subject,
)
from networking.regions import AREAS

LIST_LIMIT = 50


async def public_session(session_id: int) -> ExchangeSessionView:
    """A session anyone may see: drafts do not exist for the public."""
    session = await get_session(session_id)
    if session.status not in PUBLIC_STATUSES:
        raise NotFoundError(N_("情報交換会が見つかりません。"), field="session")
    return session


@get("/sessions", name="sessions", include_in_schema=False, opt=PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT)
async def session_list(
    region: FromQuery[str] = "", series: FromQuery[int | None] = None
) -> Template:
    base = SessionQuery(
        statuses=PUBLIC_STATUSES,
        region=region or None,
        series_id=series,
        limit=LIST_LIMIT,
    )
    upcoming = await list_sessions(SessionQuery(**{**base.__dict__, "upcoming": True}))
    past = await list_sessions(SessionQuery(**{**base.__dict__, "upcoming": False}))
    return Template(
        "public/sessions/list.html.jinja2",
        context={
            "upcoming": upcoming,
            "past": past,
            "session_reports": await reports_of_sessions([session.id for session in past]),
            "areas": AREAS,
            "region": region,
            "series": series,
            "series_titles": await series_titles(),
        },
    )


@dataclass(frozen=True)
class SessionPageData:
    """What the public page of a session shows: the same for every visitor and language."""

    session: ExchangeSessionView
    municipalities: tuple[str, ...]
    report: ArchiveItem | None


async def session_page_data(session_id: int) -> SessionPageData:
    session = await public_session(session_id)
    return SessionPageData(
        session=session,
        municipalities=tuple(await participating_municipalities(session.id)),
        report=(await reports_of_sessions([session.id])).get(session.id),
    )


@get("/sessions/{session_id:int}", name="session", include_in_schema=False, opt=PUBLIC_PAGE_OPT)
async def session_page(session_id: FromPath[int], state: State) -> Template:
    page_cache: PageCache = state[PAGE_CACHE_STATE]
    data = await page_cache.part(
        ("session page", session_id),
        lambda: session_page_data(session_id),
        of=Subject(session_id=session_id),
    )
    return Template(
        "public/sessions/detail.html.jinja2",
        context={
            "session": data.session,
            "municipalities": data.municipalities,
            "report": data.report,
        },
    )


@get(
    "/sessions/{session_id:int}/calendar.ics",
    name="session_calendar",
    include_in_schema=False,
    opt=PUBLIC_PAGE_OPT,
)
async def session_calendar(session_id: FromPath[int]) -> Response[bytes]:
    """The public calendar file (no join link, no people); the public page cache keeps it, adds
    the ETag and answers 304 to revalidations."""
    content = await session_files.public_file(session_id)
    disposition = f'attachment; filename="tsunagu-session-{session_id}.ics"'
    # Litestar adds "; charset=utf-8" to text/* types itself.
    return Response(
        content, media_type="text/calendar", headers={"content-disposition": disposition}
    )


ROUTES = [session_list, session_page, session_calendar]
