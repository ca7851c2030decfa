"""The attendee list of a session as a table (CSV or .xlsx): one row per attendee, columns named
in Japanese."""

from __future__ import annotations

from events.accounts.organizers import OrganizerIdentity
from events.enums import RegistrationStatus as R
from events.lib.csv_export import Cell
from events.lib.formatting import in_tokyo
from events.lib.i18n import N_, gettext
from events.lib.spreadsheet import Table
from events.registrations.overview import (
    RegistrationLine,
    SessionRegistrations,
    session_registrations,
)
from events.registrations.queries import AttendeeView

LEADING_COLUMNS = (
    N_("団体コード"),
    N_("自治体名"),
    N_("都道府県"),
    N_("氏名"),
    N_("所属"),
    N_("職位"),
    N_("DX部門"),
    N_("メールアドレス"),
    N_("状態"),
    N_("キャンセル待ち順位"),
)
TOPIC_COLUMN = N_("希望テーマ%(rank)d")
# よみがな last, so that spreadsheets that read the other columns by position keep working.
TRAILING_COLUMNS = (N_("計画策定状況"), N_("連絡先共有の同意"), N_("よみがな"))


def yes_no(value: bool) -> str:
    return gettext("はい") if value else gettext("いいえ")


async def attendee_export(
    organizer: OrganizerIdentity, session_id: int, *, include_cancelled: bool = False
) -> Table:
    """The attendee list of a session the organizer owns (any session, for an admin)."""
    report = await session_registrations(organizer, session_id)
    return attendee_table(report, include_cancelled=include_cancelled)


def attendee_table(report: SessionRegistrations, *, include_cancelled: bool = False) -> Table:
    """Attendees in municipality code order, then registration order; cancelled ones on request.

    There is one 希望テーマ column per discussion topic of the session, holding topic titles.
    """
    session = report.session
    topics = {segment.id: segment.title for segment in session.discussions}
    header = [
        *(gettext(column) for column in LEADING_COLUMNS),
        *(gettext(TOPIC_COLUMN, rank=rank) for rank in range(1, len(topics) + 1)),
        *(gettext(column) for column in TRAILING_COLUMNS),
    ]
    rows = [
        _row(registration, attendee, topics)
        for registration in report.registrations
        for attendee in registration.attendees
        if include_cancelled or attendee.status != R.CANCELLED
    ]
    day = in_tokyo(session.starts_at).strftime("%Y%m%d")
    return Table(
        header=header,
        rows=rows,
        ascii_name=f"registrations-session-{session.id}-{day}",
        name=gettext("参加者一覧_%(day)s_%(title)s", day=day, title=session.title),
    )


def _row(
    registration: RegistrationLine, attendee: AttendeeView, topics: dict[int | None, str]
) -> list[Cell]:
    preferences = [topics[segment] for segment in attendee.topic_preferences if segment in topics]
    return [
        registration.municipality_code,
        registration.municipality_name,
        registration.prefecture,
        attendee.name,
        attendee.department,
        gettext(attendee.position_label),
        yes_no(attendee.is_digital_department),
        attendee.email,
        gettext(attendee.status_label),
        attendee.waitlist_position,
        *preferences,
        *([None] * (len(topics) - len(preferences))),
        gettext(registration.plan_status_label),
        yes_no(attendee.share_contact),
        attendee.reading,
    ]
