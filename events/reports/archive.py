"""The public archive of published reports: by fiscal year, region, series, tag and municipality.

Search is a substring match through the pair index of events.reports.search, so 2-character
Japanese words such as 人事 are found and "%" or "_" typed by a visitor are ordinary characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from events.lib.database import is_sqlite
from events.lib.errors import Problems
from events.lib.i18n import N_
from events.lib.numbers import is_digits
from events.lib.raw_sql import placeholders
from events.reports.drafts import tags_of
from events.reports.search import word_conditions
from events.tables import ReportArchiveEntry, ReportVersion, Series

MAX_QUERY = 200
MAX_TERMS = 5
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class ArchiveQuery:
    text: str = ""
    fiscal_year: int | None = None
    region: str = ""
    series_id: int | None = None
    tag: str = ""
    municipality: str = ""
    page: int = 1
    per_page: int = PAGE_SIZE

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.text.casefold().split()))[:MAX_TERMS]


@dataclass(frozen=True)
class ArchiveItem:
    report_id: int
    session_id: int
    version: int
    title: str
    lead: str
    starts_at: dt.datetime
    fiscal_year: int
    region: str
    series_id: int
    series_title: str
    tags: tuple[str, ...]
    municipality_names: str
    published_at: dt.datetime

    @property
    def path(self) -> str:
        return f"/reports/{self.report_id}/v{self.version}"

    @property
    def url(self) -> str:
        return self.path


@dataclass(frozen=True)
class ArchivePage:
    query: ArchiveQuery
    items: tuple[ArchiveItem, ...]
    total: int

    @property
    def pages(self) -> int:
        return max((self.total + self.query.per_page - 1) // self.query.per_page, 1)


def check_query(query: ArchiveQuery) -> None:
    """Refuse what cannot be a search: too long a text, a page out of range."""
    problems = Problems()
    if len(query.text) > MAX_QUERY:
        problems.add(
            "q",
            N_("検索語は%(max)d文字以内にしてください（%(length)d文字が入力されました）。"),
            max=MAX_QUERY,
            length=len(query.text),
        )
    if query.page < 1 or query.page > 10_000:
        problems.add("page", N_("ページ番号が正しくありません。"))
    if not 1 <= query.per_page <= MAX_PAGE_SIZE:
        problems.add(
            "per_page", N_("1ページの件数は1〜%(max)d件にしてください。"), max=MAX_PAGE_SIZE
        )
    if query.municipality and not is_digits(query.municipality, 6):
        problems.add("municipality", N_("団体コードは6桁の数字で指定してください。"))
    problems.raise_if_any()


def _contains(column: str, value: str) -> WhereRaw:
    function = "instr({}, {{}}) > 0" if is_sqlite() else "strpos({}, {{}}) > 0"
    return WhereRaw(function.format(column), value)


async def _conditions(query: ArchiveQuery) -> list[Any]:
    conditions: list[Any] = []
    for word in query.terms:
        conditions.extend(await word_conditions(word))
    if query.fiscal_year is not None:
        conditions.append(ReportArchiveEntry.fiscal_year == query.fiscal_year)
    if query.region:
        conditions.append(ReportArchiveEntry.region == query.region)
    if query.series_id is not None:
        conditions.append(ReportArchiveEntry.series == query.series_id)
    if query.tag:
        conditions.append(_contains("tags", f"|{query.tag.strip()}|"))
    if query.municipality:
        conditions.append(_contains("municipality_codes", f"|{query.municipality}|"))
    return conditions


_LIST_COLUMNS = (
    ReportArchiveEntry.report,
    ReportArchiveEntry.report.exchange_session.as_alias("session_id"),
    ReportArchiveEntry.version,
    ReportArchiveEntry.title,
    ReportArchiveEntry.lead,
    ReportArchiveEntry.starts_at,
    ReportArchiveEntry.fiscal_year,
    ReportArchiveEntry.region,
    ReportArchiveEntry.series,
    ReportArchiveEntry.series_title,
    ReportArchiveEntry.tags,
    ReportArchiveEntry.municipality_names,
    ReportArchiveEntry.published_at,
)


def _item(row: dict[str, Any]) -> ArchiveItem:
    return ArchiveItem(
        report_id=row["report"],
        session_id=row["session_id"],
        version=row["version"],
        title=row["title"],
        lead=row["lead"],
        starts_at=row["starts_at"],
        fiscal_year=row["fiscal_year"],
        region=row["region"],
        series_id=row["series"],
        series_title=row["series_title"],
        tags=tags_of(row["tags"]),
        municipality_names=row["municipality_names"],
        published_at=row["published_at"],
    )


async def search(query: ArchiveQuery) -> ArchivePage:
    """One page of matching reports, the latest sessions first."""
    check_query(query)
    conditions = await _conditions(query)
    # Ids first (read from the (starts_at, id) index), then the columns of one page only:
    # a deep page then skips index entries, not whole rows.
    select = ReportArchiveEntry.select(ReportArchiveEntry.id)
    count = ReportArchiveEntry.count()
    if conditions:
        select = select.where(*conditions)
        count = count.where(*conditions)
    ids = [
        row["id"]
        for row in await select.order_by(ReportArchiveEntry.starts_at, ascending=False)
        .order_by(ReportArchiveEntry.id, ascending=False)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ]
    rows = {
        row["id"]: row
        for row in await ReportArchiveEntry.select(ReportArchiveEntry.id, *_LIST_COLUMNS).where(
            ReportArchiveEntry.id.is_in(ids or [0])
        )
    }
    return ArchivePage(query, tuple(_item(rows[i]) for i in ids), await count)


async def fiscal_years() -> list[int]:
    rows = await ReportArchiveEntry.select(ReportArchiveEntry.fiscal_year).distinct()
    return sorted((row["fiscal_year"] for row in rows), reverse=True)


async def series_options() -> list[tuple[int, str]]:
    """Series with a published report (distinct ids from an index, then their titles)."""
    ids = [
        row["series"]
        for row in await ReportArchiveEntry.select(ReportArchiveEntry.series).distinct()
    ]
    rows = await Series.select(Series.id, Series.title).where(Series.id.is_in(ids or [0]))
    return sorted((row["id"], row["title"]) for row in rows)


async def reports_of_municipality(code: str, limit: int = 50) -> list[ArchiveItem]:
    """Published reports of the sessions a municipality attended, latest first."""
    page = await search(ArchiveQuery(municipality=code, per_page=min(limit, MAX_PAGE_SIZE)))
    return list(page.items)


# _LIST_COLUMNS written out: a session page asks for its report on every first render, and
# the query builder took longer to build this join than the database to answer it.
_OF_SESSIONS = """
SELECT entry.report, report.exchange_session AS session_id, entry.version, entry.title,
       entry.lead, entry.starts_at, entry.fiscal_year, entry.region, entry.series,
       entry.series_title, entry.tags, entry.municipality_names, entry.published_at
FROM report_archive_entry AS entry
JOIN report ON report.id = entry.report
WHERE report.exchange_session IN ({sessions})
"""


async def reports_of_sessions(session_ids: Sequence[int]) -> dict[int, ArchiveItem]:
    """The published report of each of these sessions that has one, by session id."""
    if not session_ids:
        return {}
    ids = list(dict.fromkeys(session_ids))
    sql = _OF_SESSIONS.format(sessions=placeholders(len(ids)))
    return {row["session_id"]: _item(row) for row in await ReportArchiveEntry.raw(sql, *ids)}


async def reports_on_themes(themes: Sequence[str], limit: int = 5) -> list[ArchiveItem]:
    """Published reports tagged with, or mentioning, any of the themes; latest sessions first."""
    found: dict[int, ArchiveItem] = {}
    for theme in themes:
        for query in (
            ArchiveQuery(tag=theme, per_page=limit),
            ArchiveQuery(text=theme, per_page=limit),
        ):
            for item in (await search(query)).items:
                found.setdefault(item.report_id, item)
    latest = sorted(found.values(), key=lambda item: item.starts_at, reverse=True)
    return latest[:limit]


async def recent(limit: int = 30) -> list[ArchiveItem]:
    """For the Atom feed: the most recently published (or corrected) reports."""
    rows = await (
        ReportArchiveEntry.select(*_LIST_COLUMNS)
        .order_by(ReportArchiveEntry.published_at, ascending=False)
        .order_by(ReportArchiveEntry.id, ascending=False)
        .limit(limit)
    )
    return [_item(row) for row in rows]


async def version_count(report_id: int) -> int:
    count: int = await ReportVersion.count().where(ReportVersion.report == report_id)
    return count
