"""What an attendee's personal link opens: their own place in one session, and nothing else."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.audit import trail
from events.calendars import ics, session_files
from events.calendars.session_files import VERSION_COLUMNS, VERSION_JOINS, SessionVersion
from events.enums import RegistrationStatus as R
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.errors import ConflictError, NotFoundError
from events.lib.i18n import N_
from events.lib.tokens import INVALID_LINK, hash_token, looks_like_token
from events.registrations.queries import AttendeeView, attendee_views
from events.sessions.exchange_sessions import ExchangeSessionView, get_session
from events.tables import Attendee


@dataclass(frozen=True)
class AttendeeAccess:
    """What a valid attendee link opens: the person's row, and the same person read for pages."""

    attendee: dict[str, Any]
    municipality_code: str
    municipality_name: str
    session: ExchangeSessionView
    view: AttendeeView

    @property
    def is_confirmed(self) -> bool:
        return self.view.is_confirmed

    @property
    def sees_join_details(self) -> bool:
        """Join URL and passcode: for people holding a place in a session still to come."""
        return (
            self.view.is_confirmed
            and not self.session.is_cancelled
            and not self.session.has_taken_place
        )

    @property
    def topic_titles(self) -> tuple[str, ...]:
        titles = {segment.id: segment.title for segment in self.session.discussions}
        return tuple(titles[id_] for id_ in self.view.topic_preferences if id_ in titles)


REMOVED = N_(
    "参加登録は取り消されました。お心当たりのない場合は、貴団体の取りまとめご担当者様にご確認ください。"
)


# Written out: an attendee's page and calendar read it on every visit, and the query builder
# took longer to build this join than the database to answer it. token_hash is unique.
_ATTENDEE_BY_LINK = """
SELECT attendee.*, registration.municipality AS municipality_code,
       municipality.display_name AS municipality_name
FROM attendee
JOIN registration ON registration.id = attendee.registration
JOIN municipality ON municipality.code = registration.municipality
WHERE attendee.token_hash = {}
"""


async def attendee_by_token(token: str) -> AttendeeAccess:
    """The attendee behind a link; one message for unknown, removed or malformed tokens."""
    rows = []
    if looks_like_token(token):
        rows = await Attendee.raw(_ATTENDEE_BY_LINK, hash_token(token))
    if not rows:
        raise NotFoundError(INVALID_LINK)
    row = rows[0]
    if row["status"] == R.CANCELLED:
        # The person holds their own link: telling them why it stopped beats "invalid".
        raise NotFoundError(REMOVED, field="attendee")
    [view] = await attendee_views([row])
    return AttendeeAccess(
        attendee=row,
        municipality_code=row["municipality_code"],
        municipality_name=row["municipality_name"],
        session=await get_session(row["exchange_session"]),
        view=view,
    )


_NOT_CONFIRMED = N_("参加が確定すると、カレンダー登録用ファイルをダウンロードできます。")
# One query instead of attendee_by_token's several: a calendar app may ask for the file often.
_CALENDAR_ROW = f"""
    SELECT a.status AS attendee_status, a.name, a.email, a.updated_at AS attendee_updated_at,
        {VERSION_COLUMNS}
    FROM attendee AS a JOIN exchange_session AS s ON s.id = a.exchange_session {VERSION_JOINS}
    WHERE a.token_hash = {{}}
"""  # noqa: S608 (only the constant columns and joins of session_files are interpolated)


@dataclass(frozen=True)
class AttendeeCalendar:
    session_id: int
    content: bytes


async def calendar_by_token(token: str) -> AttendeeCalendar:
    """The attendee's own invitation (METHOD:REQUEST, or CANCEL once the session is off),
    only while they hold a place; links that do not open one fail as in attendee_by_token."""
    rows = await Attendee.raw(_CALENDAR_ROW, hash_token(token)) if looks_like_token(token) else []
    if not rows:
        raise NotFoundError(INVALID_LINK)
    [row] = rows
    if row["attendee_status"] == R.CANCELLED:
        raise NotFoundError(REMOVED, field="attendee")
    if row["attendee_status"] != R.CONFIRMED:
        raise ConflictError(_NOT_CONFIRMED, field="status")
    version = SessionVersion.from_row(row)
    invitee = ics.Invitee(email=row["email"], name=row["name"])
    content = await session_files.personal_file(version, invitee, row["attendee_updated_at"])
    return AttendeeCalendar(version.session_id, content)


async def change_consent(
    access: AttendeeAccess, share_contact: bool, *, now: dt.datetime | None = None
) -> None:
    """Give or withdraw consent to share contact details with the other municipalities.

    Allowed at any time, deadline or not: withdrawing consent must never be refused.
    """
    now = now or utcnow()
    async with write_transaction():
        await Attendee.update(
            {Attendee.share_contact: share_contact, Attendee.updated_at: now}
        ).where(Attendee.id == access.view.id, Attendee.status != R.CANCELLED)
        await trail.record(
            f"attendee:{access.view.id}",
            "attendee_consent_changed",
            session_id=access.session.id,
            details={"share_contact": share_contact},
        )
