"""The public report archive: browsing and search, each version's page, Markdown, PDF, Atom feed."""

from __future__ import annotations

import re
from typing import Any

from litestar import Response, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from events.lib.clock import utcnow
from events.lib.errors import NotFoundError, ValidationError
from events.lib.i18n import N_, gettext
from events.lib.numbers import parse_int
from events.reports.archive import ArchivePage, ArchiveQuery, fiscal_years, search, series_options
from events.reports.blocks import rendered
from events.reports.feed import MEDIA_TYPE, atom_feed
from events.reports.versions import VersionView, get_version, latest_version, version_pdf
from events.web.forms import form_errors
from events.web.page_cache import (
    NO_DELEGATIONS,
    PAGE_CACHE_STATE,
    PUBLIC_PAGE_OPT,
    PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT,
    PageCache,
)
from events.web.requests import download
from networking.regions import AREAS

_VERSION = re.compile(r"^v([1-9][0-9]{0,5})(\.md|\.pdf)?$")
FEED_SIZE = 30


def archive_query(
    q: str, fiscal_year: str, region: str, series: str, tag: str, municipality: str, page: str
) -> ArchiveQuery:
    """Query parameters as typed by people: a number that is not one is simply ignored."""
    return ArchiveQuery(
        text=q,
        fiscal_year=parse_int(fiscal_year),
        region=region,
        series_id=parse_int(series),
        tag=tag.strip(),
        municipality=municipality.strip(),
        page=parse_int(page) or 1,
    )


@get("/reports", name="reports", include_in_schema=False, opt=PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT)
async def report_archive(
    q: FromQuery[str] = "",
    fiscal_year: FromQuery[str] = "",
    region: FromQuery[str] = "",
    series: FromQuery[str] = "",
    tag: FromQuery[str] = "",
    municipality: FromQuery[str] = "",
    page: FromQuery[str] = "1",
    *,
    state: State,
) -> Template:
    query = archive_query(q, fiscal_year, region, series, tag, municipality, page)
    # Results and filter choices are the same for every visitor until a report is published:
    # the same search under another query string (another page's link, a tracking parameter)
    # reads no database.
    page_cache: PageCache = state[PAGE_CACHE_STATE]
    errors = None
    try:
        results = await page_cache.part(
            ("archive search", query), lambda: search(query), of=NO_DELEGATIONS
        )
    except ValidationError as error:
        errors = form_errors(error)
        results = ArchivePage(query, (), 0)
    return Template(
        "public/reports/list.html.jinja2",
        context={
            "results": results,
            "query": query,
            "errors": errors,
            "fiscal_years": await page_cache.part(
                "archive fiscal years", fiscal_years, of=NO_DELEGATIONS
            ),
            "series_options": await page_cache.part(
                "archive series", series_options, of=NO_DELEGATIONS
            ),
            "areas": AREAS,
        },
        status_code=errors.status_code if errors else 200,
    )


@get(
    "/reports/feed.atom",
    name="reports_feed",
    include_in_schema=False,
    opt=PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT,
)
async def report_feed() -> Response[bytes]:
    page = await search(ArchiveQuery(per_page=FEED_SIZE))
    items = sorted(page.items, key=lambda item: item.published_at, reverse=True)
    body = atom_feed(items, title=gettext("つなぐ 開催レポート"), now=utcnow())
    return Response(body, media_type=MEDIA_TYPE)


@get("/reports/{report_id:int}", name="report_latest", include_in_schema=False)
async def report_latest(report_id: FromPath[int]) -> Redirect:
    """The report's current version; version URLs themselves are permanent."""
    return Redirect((await latest_version(report_id)).path)


def _parse(version: str) -> tuple[int, str]:
    match = _VERSION.match(version)
    if match is None:
        raise NotFoundError(N_("レポートが見つかりません。"), field="report")
    return int(match.group(1)), match.group(2) or ""


@get(
    "/reports/{report_id:int}/{version:str}",
    name="report_version",
    include_in_schema=False,
    opt=PUBLIC_PAGE_OPT,
)
async def report_version(report_id: FromPath[int], version: FromPath[str]) -> Response[Any]:
    """/reports/1/v2 (page), /reports/1/v2.md (Markdown) or /reports/1/v2.pdf (PDF)."""
    number, extension = _parse(version)
    view = await get_version(report_id, number)
    if extension == ".md":
        return download(view.markdown.encode("utf-8"), "text/markdown", view.filename("md"))
    if extension == ".pdf":
        return await _pdf(view)
    return Template(
        "public/reports/show.html.jinja2",
        context={"version": view, "blocks": rendered(view.blocks)},
    )


async def _pdf(view: VersionView) -> Response[Any]:
    pdf = await version_pdf(view.report_id, view.number)
    if pdf is None:
        # Rendered by the worker shortly after publishing; the page says so instead of waiting.
        return Template(
            "public/reports/pdf_pending.html.jinja2",
            context={"version": view},
            status_code=503,
            headers={"retry-after": "30"},
        )
    return download(pdf, "application/pdf", view.filename("pdf"))


ROUTES = [report_archive, report_feed, report_latest, report_version]
