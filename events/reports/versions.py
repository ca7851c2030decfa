"""Published report versions as the public pages, downloads and the worker read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.lib.errors import NotFoundError
from events.lib.i18n import N_
from events.reports.blocks import Block, loads, to_markdown
from events.reports.drafts import tags_of
from events.tables import Registration, Report, ReportVersion


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
    # A municipality's consent to be named changed after this version was published: the
    # version stays as published, and says so.
    consent_changed_since: bool = False
    # ...and the latest version, published after that change, reflects it.
    consent_reflected_in_latest: bool = False

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


async def _last_consent_change(session_id: int) -> dt.datetime | None:
    row = await (
        Registration.select(Registration.report_consent_changed_at)
        .where(
            Registration.exchange_session == session_id,
            Registration.report_consent_changed_at.is_not_null(),
        )
        .order_by(Registration.report_consent_changed_at, ascending=False)
        .first()
    )
    return None if row is None else row["report_consent_changed_at"]


async def _latest_published_at(report_id: int, latest: int) -> dt.datetime | None:
    row = await (
        ReportVersion.select(ReportVersion.published_at)
        .where(ReportVersion.report == report_id, ReportVersion.number == latest)
        .first()
    )
    return None if row is None else row["published_at"]


async def _view(row: dict[str, Any]) -> VersionView:
    changed_at = await _last_consent_change(row["session_id"])
    changed_since = changed_at is not None and changed_at > row["published_at"]
    latest_at = await _latest_published_at(row["report"], row["latest"]) if changed_since else None
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
        consent_changed_since=changed_since,
        consent_reflected_in_latest=(
            changed_at is not None and latest_at is not None and latest_at > changed_at
        ),
    )


async def get_version(report_id: int, number: int) -> VersionView:
    row = await (
        ReportVersion.select(*_COLUMNS)
        .where(ReportVersion.report == report_id, ReportVersion.number == number)
        .first()
    )
    if row is None:
        raise NotFoundError(N_("レポートが見つかりません。"), field="report")
    return await _view(row)


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
