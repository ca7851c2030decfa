"""Published report versions as the public pages, downloads and the worker read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.lib.errors import NotFoundError
from events.lib.i18n import N_
from events.reports.blocks import Block, loads, to_markdown
from events.reports.drafts import tags_of
from events.tables import Report, ReportVersion


@dataclass(frozen=True)
class VersionView:
    report_id: int
    session_id: int
    number: int
    latest: int
    title: str
    blocks: tuple[Block, ...]
    tags: tuple[str, ...]
    published_at: dt.datetime
    pdf_state: str

    @property
    def is_latest(self) -> bool:
        return self.number == self.latest

    @property
    def path(self) -> str:
        return f"/reports/{self.report_id}/v{self.number}"

    @property
    def latest_path(self) -> str:
        return f"/reports/{self.report_id}/v{self.latest}"

    @property
    def markdown(self) -> str:
        return to_markdown(self.blocks)

    def filename(self, extension: str) -> str:
        return f"report-{self.report_id}-v{self.number}.{extension}"


_COLUMNS = (
    ReportVersion.id,
    ReportVersion.report,
    ReportVersion.number,
    ReportVersion.title,
    ReportVersion.blocks,
    ReportVersion.tags,
    ReportVersion.published_at,
    ReportVersion.pdf_state,
    ReportVersion.report.latest_version.as_alias("latest"),
    ReportVersion.report.exchange_session.as_alias("session_id"),
)


def _view(row: dict[str, Any]) -> VersionView:
    return VersionView(
        report_id=row["report"],
        session_id=row["session_id"],
        number=row["number"],
        latest=row["latest"],
        title=row["title"],
        blocks=loads(row["blocks"]),
        tags=tags_of(row["tags"]),
        published_at=row["published_at"],
        pdf_state=row["pdf_state"],
    )


async def get_version(report_id: int, number: int) -> VersionView:
    row = await (
        ReportVersion.select(*_COLUMNS)
        .where(ReportVersion.report == report_id, ReportVersion.number == number)
        .first()
    )
    if row is None:
        raise NotFoundError(N_("レポートが見つかりません。"), field="report")
    return _view(row)


async def latest_version(report_id: int) -> VersionView:
    row = await Report.select(Report.latest_version).where(Report.id == report_id).first()
    if row is None or not row["latest_version"]:
        raise NotFoundError(N_("レポートが見つかりません。"), field="report")
    return await get_version(report_id, row["latest_version"])


async def version_pdf(report_id: int, number: int) -> bytes | None:
    """The rendered PDF, or None while the worker has not rendered it yet."""
    row = await (
        ReportVersion.select(ReportVersion.pdf)
        .where(ReportVersion.report == report_id, ReportVersion.number == number)
        .first()
    )
    if row is None:
        raise NotFoundError(N_("レポートが見つかりません。"), field="report")
    pdf = row["pdf"]
    return bytes(pdf) if pdf is not None else None
