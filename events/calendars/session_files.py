"""A session's calendar files rendered once per version of the session and language.

Rendering a file costs milliseconds; finding out whether the session changed costs one small
query. The version is read from the database by that query (in the request that asks for the
file), so a change committed by any process is seen by the next request. What a file holds
besides the session row: its agenda, saved in the same transaction as a new `updated_at`; its
organizer's name, address and organization, part of the version; the site's address and sender,
and the language, part of the key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.calendars import entries, ics
from events.lib.errors import NotFoundError
from events.lib.i18n import N_, current_locale
from events.lib.lru import LeastRecentlyUsed
from events.lib.settings import load_settings
from events.sessions.exchange_sessions import PUBLIC_STATUSES, ExchangeSessionView, get_session
from events.tables import ExchangeSession

# Columns of a query that joins exchange_session AS s with VERSION_JOINS, named as the fields
# of SessionVersion.
VERSION_COLUMNS = (
    "s.id AS session_id, s.updated_at, s.sequence, s.status, s.title, s.starts_at, s.ends_at,"
    " s.meeting_url, s.meeting_passcode, o.email AS organizer_email,"
    " o.display_name AS organizer_name, o.organization"
)
VERSION_JOINS = "JOIN series ON series.id = s.series JOIN organizer AS o ON o.id = series.owner"
_BY_SESSION = f"""
    SELECT {VERSION_COLUMNS} FROM exchange_session AS s {VERSION_JOINS} WHERE s.id = {{}}
"""  # noqa: S608 (only the constants above are interpolated)


@dataclass(frozen=True)
class _SharedInvitation:
    """One invitation for every attendee of a session version; its `updated_at` takes part
    in each attendee's DTSTAMP."""

    session_updated_at: dt.datetime
    template: ics.PersonalTemplate


_Key = tuple[object, ...]
# A few thousand bytes each; a busy day has a few dozen sessions in two languages.
_invitations: LeastRecentlyUsed[_Key, _SharedInvitation] = LeastRecentlyUsed(max_entries=256)
_public_files: LeastRecentlyUsed[_Key, bytes] = LeastRecentlyUsed(max_entries=256)


@dataclass(frozen=True)
class SessionVersion:
    """A session as its calendar files show it, but for the agenda: that is saved with a new
    `updated_at`. The shown columns are here too, so that even a change made without a new
    `updated_at` (by hand, or by a test with a fixed clock) is never answered from memory."""

    session_id: int
    updated_at: dt.datetime
    sequence: int
    status: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    meeting_url: str
    meeting_passcode: str
    organizer_email: str
    organizer_name: str
    organization: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SessionVersion:
        return cls(**{field.name: row[field.name] for field in dataclasses.fields(cls)})

    @classmethod
    def of(cls, session: ExchangeSessionView) -> SessionVersion:
        shown = {
            field.name: getattr(session, field.name)
            for field in dataclasses.fields(cls)
            if field.name != "session_id"
        }
        return cls(session_id=session.id, **shown)


async def personal_file(
    version: SessionVersion, attendee: ics.Invitee, attendee_updated_at: dt.datetime
) -> bytes:
    """entries.invitation_file without a group. DTSTAMP is the latest change of the session
    or the person, so the bytes (and the ETag) stay the same until one of them changes."""
    shared = _invitations.get(_key(version))
    if shared is None:
        # Kept under the version read now, which is newer if the session just changed.
        shared = _shared_invitation(await get_session(version.session_id))
    return shared.template.fill(attendee, now=max(shared.session_updated_at, attendee_updated_at))


def invitation_file(
    session: ExchangeSessionView, attendee: ics.Invitee, *, now: dt.datetime
) -> bytes:
    """entries.invitation_file without a group, from the copy kept for this session version:
    a registration of several people renders the session's invitation once, not per person."""
    return _shared_invitation(session).template.fill(attendee, now=now)


def _shared_invitation(session: ExchangeSessionView) -> _SharedInvitation:
    key = _key(SessionVersion.of(session))
    shared = _invitations.get(key)
    if shared is None:
        shared = _SharedInvitation(session.updated_at, entries.invitation_template(session))
        _invitations.put(key, shared)
    return shared


async def public_file(session_id: int) -> bytes:
    """entries.public_file of a session anyone may see; drafts do not exist for the public."""
    rows = await ExchangeSession.raw(_BY_SESSION, session_id)
    _require_public(rows[0]["status"] if rows else None)
    content = _public_files.get(_key(SessionVersion.from_row(rows[0])))
    if content is None:
        session = await get_session(session_id)
        _require_public(session.status)
        content = entries.public_file(session)
        _public_files.put(_key(SessionVersion.of(session)), content)
    return content


def _require_public(status: str | None) -> None:
    if status not in PUBLIC_STATUSES:
        raise NotFoundError(N_("情報交換会が見つかりません。"), field="session")


def _key(version: SessionVersion) -> _Key:
    settings = load_settings()
    return (version, current_locale(), settings.base_url, settings.mail_from)
