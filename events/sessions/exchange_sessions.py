"""Exchange sessions: scheduling, rescheduling and reading them, with warnings and trail."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.enums import SegmentKind, SessionStatus
from events.lib.clock import utcnow
from events.lib.database import is_sqlite, write_transaction
from events.lib.errors import NotFoundError, Problem
from events.lib.i18n import N_
from events.sessions import agenda
from events.sessions.agenda import Segment
from events.sessions.checks import SessionInput, calendar_warnings, check
from events.sessions.lifecycle import require_editable
from events.sessions.series import actor, get_series, require_owner
from events.tables import ExchangeSession, Series
from networking.regions import Area, area_by_slug

# Changes that make calendars and participants need an update (SEQUENCE is bumped).
MATERIAL_FIELDS = ("title", "starts_at", "ends_at", "meeting_url", "meeting_passcode")
# Shown in the audit trail as "changed", never with their values.
SECRET_FIELDS = frozenset({"meeting_passcode"})


@dataclass(frozen=True)
class ExchangeSessionView:
    """A session as pages, mails, calendars and the API read it."""

    id: int
    series_id: int
    series_title: str
    owner_id: int
    # The organizer participants can write to (Reply-To, calendar ORGANIZER); never on public pages.
    organizer_name: str
    organizer_email: str
    organization: str
    title: str
    region: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    registration_deadline: dt.datetime
    capacity: int
    per_municipality_limit: int
    meeting_url: str
    meeting_passcode: str
    background: str
    status: str
    sequence: int
    updated_at: dt.datetime
    agenda: tuple[Segment, ...]

    @property
    def area(self) -> Area:
        return area_by_slug(self.region)

    @property
    def status_label(self) -> str:
        return SessionStatus(self.status).label

    @property
    def discussions(self) -> tuple[Segment, ...]:
        return tuple(segment for segment in self.agenda if segment.kind == SegmentKind.DISCUSSION)

    @property
    def sharing_items(self) -> tuple[tuple[int, str], ...]:
        """(item id, text) of every sharing item, in agenda order."""
        return tuple(
            pair
            for segment in self.agenda
            if segment.kind == SegmentKind.SHARING
            for pair in zip(segment.item_ids, segment.items, strict=True)
        )

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def has_taken_place(self) -> bool:
        """Marked held (its report may be out): nothing is left to join or to put in a
        calendar. By status, not by the clock, so a page reads the same at every moment."""
        return self.status in (SessionStatus.HELD, SessionStatus.REPORTED)

    def accepts_registrations(self, now: dt.datetime) -> bool:
        return self.status == SessionStatus.PUBLISHED and now <= self.registration_deadline

    def as_input(self) -> SessionInput:
        return SessionInput(
            series_id=self.series_id,
            title=self.title,
            region=self.region,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            registration_deadline=self.registration_deadline,
            capacity=self.capacity,
            per_municipality_limit=self.per_municipality_limit,
            meeting_url=self.meeting_url,
            meeting_passcode=self.meeting_passcode,
            background=self.background,
            agenda=self.agenda,
        )


async def create_session(
    organizer: OrganizerIdentity, data: SessionInput, *, now: dt.datetime | None = None
) -> tuple[ExchangeSessionView, list[Problem]]:
    """Schedule a new draft session; returns it with the warnings worth showing."""
    now = now or utcnow()
    data = data.normalized()
    series = await get_series(data.series_id)
    require_owner(organizer, series["owner"])
    check(data, now=now, is_new=True)
    row = ExchangeSession(
        **_columns(data), status=SessionStatus.DRAFT, created_at=now, updated_at=now
    )
    async with write_transaction():
        await row.save()
        await agenda.save(int(row.id), data.agenda)
        await trail.record(
            actor(organizer),
            "session_created",
            session_id=int(row.id),
            details={"title": data.title},
        )
    view = await get_session(int(row.id))
    return view, await warnings_for(view)


@dataclass(frozen=True)
class SessionChange:
    """What an update did: the session before and after, and which fields changed."""

    before: ExchangeSessionView
    after: ExchangeSessionView
    changed: tuple[str, ...]
    warnings: list[Problem]

    @property
    def material(self) -> tuple[str, ...]:
        return tuple(field for field in self.changed if field in MATERIAL_FIELDS)


async def change_session(
    organizer: OrganizerIdentity,
    session_id: int,
    changes: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> SessionChange:
    """Change only the given fields; material changes bump the calendar sequence.

    Participants are told by events.organizing.session_actions, which wraps this in its transaction.
    """
    now = now or utcnow()
    async with write_transaction():
        current = await locked_session(session_id)
        require_owner(organizer, current.owner_id)
        require_editable(current.status)
        updated = dataclasses.replace(current.as_input(), **changes).normalized()
        if updated.series_id != current.series_id:
            require_owner(organizer, (await get_series(updated.series_id))["owner"])
        check(updated, now=now, is_new=False)
        changed = _changed_fields(current.as_input(), updated)
        if changed:
            await _store_update(organizer, current, updated, changed, now)
        view = await get_session(session_id)
    return SessionChange(current, view, tuple(changed), await warnings_for(view))


async def _store_update(
    organizer: OrganizerIdentity,
    current: ExchangeSessionView,
    updated: SessionInput,
    changed: list[str],
    now: dt.datetime,
) -> None:
    material = [field for field in changed if field in MATERIAL_FIELDS]
    values: dict[Any, Any] = {**_columns(updated), "updated_at": now}
    if material:
        values["sequence"] = current.sequence + 1
    await ExchangeSession.update(values).where(ExchangeSession.id == current.id)
    if "agenda" in changed:
        await agenda.save(current.id, updated.agenda)
    await trail.record(
        actor(organizer),
        "session_updated",
        session_id=current.id,
        details={
            "changed": _describe_changes(current.as_input(), updated, changed),
            "sequence": current.sequence + 1 if material else current.sequence,
        },
    )


def _columns(data: SessionInput) -> dict[str, Any]:
    fields = {field.name: getattr(data, field.name) for field in dataclasses.fields(data)}
    fields.pop("agenda")
    fields["series"] = fields.pop("series_id")
    return fields


def _changed_fields(before: SessionInput, after: SessionInput) -> list[str]:
    return [
        field.name
        for field in dataclasses.fields(before)
        if _comparable(getattr(before, field.name)) != _comparable(getattr(after, field.name))
    ]


def _comparable(value: Any) -> Any:
    # Agenda segments compare by content: loaded ones carry ids, submitted ones may not.
    if isinstance(value, tuple) and all(isinstance(item, Segment) for item in value):
        return tuple((s.kind, s.title, s.minutes, s.items) for s in value)
    return value


def _describe_changes(
    before: SessionInput, after: SessionInput, changed: list[str]
) -> dict[str, Any]:
    described: dict[str, Any] = {}
    for field in changed:
        if field in SECRET_FIELDS:
            described[field] = "changed"
        elif field == "agenda":
            described[field] = [segment.title for segment in after.agenda]
        else:
            described[field] = [getattr(before, field), getattr(after, field)]
    return described


async def warnings_for(view: ExchangeSessionView) -> list[Problem]:
    """Holiday or weekend, and overlaps with other sessions of the same series."""
    found = calendar_warnings(view.starts_at)
    overlapping = await (
        ExchangeSession.select(ExchangeSession.title)
        .where(
            ExchangeSession.series == view.series_id,
            ExchangeSession.id != view.id,
            ExchangeSession.status != SessionStatus.CANCELLED,
            ExchangeSession.starts_at < view.ends_at,
            ExchangeSession.ends_at > view.starts_at,
        )
        .order_by(ExchangeSession.starts_at)
    )
    found.extend(
        Problem(
            N_("同じシリーズの「%(title)s」と時間が重なっています。"),
            "starts_at",
            {"title": row["title"]},
        )
        for row in overlapping
    )
    return found


_VIEW_COLUMNS = (
    *ExchangeSession.all_columns(),
    ExchangeSession.series.title.as_alias("series_title"),
    ExchangeSession.series.owner.as_alias("owner_id"),
    ExchangeSession.series._.owner._.display_name.as_alias("organizer_name"),
    ExchangeSession.series._.owner._.email.as_alias("organizer_email"),
    ExchangeSession.series._.owner._.organization.as_alias("organization"),
)


# The columns of _VIEW_COLUMNS for one session, written out: pages read a session on every
# request, and the query builder took longer to build the query than the database to answer it.
_ONE_VIEW = """
SELECT exchange_session.*, series.title AS series_title, series.owner AS owner_id,
       organizer.display_name AS organizer_name, organizer.email AS organizer_email,
       organizer.organization AS organization
FROM exchange_session
JOIN series ON series.id = exchange_session.series
JOIN organizer ON organizer.id = series.owner
WHERE exchange_session.id = {}
"""


async def get_session(session_id: int) -> ExchangeSessionView:
    rows = await ExchangeSession.raw(_ONE_VIEW, session_id)
    if not rows:
        raise NotFoundError(N_("情報交換会が見つかりません。"), field="session")
    return (await _views(rows))[0]


async def session_for_editing(organizer: OrganizerIdentity, session_id: int) -> ExchangeSessionView:
    view = await get_session(session_id)
    require_owner(organizer, view.owner_id)
    return view


async def raise_sequence(session_id: int) -> ExchangeSessionView:
    """The session with its calendar SEQUENCE one higher: taking one attendee off the event
    is a change of the organizer's copy (RFC 5546 §3.2.5), and every later message about the
    event must carry a SEQUENCE at least as high. Call inside the caller's write transaction,
    which this makes a change of every public page: the SEQUENCE is in the public calendars."""
    async with write_transaction():
        await ExchangeSession.update(
            {ExchangeSession.sequence: ExchangeSession.sequence + 1}
        ).where(ExchangeSession.id == session_id)
    return await get_session(session_id)


async def locked_session(
    session_id: int, seen: ExchangeSessionView | None = None
) -> ExchangeSessionView:
    """Read a session inside a write transaction, locking its row on PostgreSQL.

    `seen`, the same session read earlier in the request, lends its agenda: under the lock
    only the session's row is read (all a decision needs: capacity, status, deadline), in one
    query instead of four, and every other writer of the session waits for fewer. An agenda
    edited in between reads as one edited just after the change.
    """
    # SQLite: BEGIN IMMEDIATE already holds the only write lock.
    lock = "" if is_sqlite() else " FOR UPDATE OF exchange_session"
    rows = await ExchangeSession.raw(_ONE_VIEW + lock, session_id)
    row = rows[0] if rows else None
    if row is None:
        raise NotFoundError(N_("情報交換会が見つかりません。"), field="session")
    if seen is not None and seen.id == session_id:
        return _view(row, seen.agenda)
    return (await _views([row]))[0]


async def _views(rows: Sequence[dict[str, Any]]) -> list[ExchangeSessionView]:
    agendas = await agenda.load([row["id"] for row in rows])
    return [_view(row, agendas[row["id"]]) for row in rows]


def _view(row: dict[str, Any], session_agenda: tuple[Segment, ...]) -> ExchangeSessionView:
    return ExchangeSessionView(
        id=row["id"],
        series_id=row["series"],
        series_title=row["series_title"],
        owner_id=row["owner_id"],
        organizer_name=row["organizer_name"],
        organizer_email=row["organizer_email"],
        organization=row["organization"],
        title=row["title"],
        region=row["region"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        registration_deadline=row["registration_deadline"],
        capacity=row["capacity"],
        per_municipality_limit=row["per_municipality_limit"],
        meeting_url=row["meeting_url"],
        meeting_passcode=row["meeting_passcode"],
        background=row["background"],
        status=row["status"],
        sequence=row["sequence"],
        updated_at=row["updated_at"],
        agenda=session_agenda,
    )


@dataclass(frozen=True)
class SessionQuery:
    upcoming: bool | None = None
    region: str | None = None
    series_id: int | None = None
    statuses: tuple[str, ...] = ()
    owner_id: int | None = None
    limit: int = 100
    offset: int = 0


async def list_sessions(
    query: SessionQuery, *, now: dt.datetime | None = None
) -> list[ExchangeSessionView]:
    """Sessions matching the query: upcoming ones soonest first, past ones latest first."""
    now = now or utcnow()
    conditions: list[Any] = []
    if query.statuses:
        conditions.append(ExchangeSession.status.is_in(list(query.statuses)))
    if query.region:
        conditions.append(ExchangeSession.region == query.region)
    if query.series_id is not None:
        conditions.append(ExchangeSession.series == query.series_id)
    if query.owner_id is not None:
        conditions.append(ExchangeSession.series.owner == query.owner_id)
    if query.upcoming is not None:
        conditions.append(
            ExchangeSession.ends_at >= now if query.upcoming else ExchangeSession.ends_at < now
        )
    select = ExchangeSession.select(*_VIEW_COLUMNS).where(*conditions)
    select = select.order_by(ExchangeSession.starts_at, ascending=query.upcoming is not False)
    rows = await select.order_by(ExchangeSession.id).limit(query.limit).offset(query.offset)
    return await _views(rows)


PUBLIC_STATUSES = tuple(status.value for status in SessionStatus if status != SessionStatus.DRAFT)


async def series_titles() -> dict[int, str]:
    return {row["id"]: row["title"] for row in await Series.select(Series.id, Series.title)}
