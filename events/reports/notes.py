"""Notes the organizer records per discussion topic (or group) and the session's key takeaways."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.enums import SessionStatus
from events.groups.queries import assignment_row, build_view
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.errors import ConflictError, NotFoundError, Problems
from events.lib.formatting import group_letter
from events.lib.i18n import N_, gettext
from events.lib.numbers import parse_int
from events.sessions.agenda import Segment
from events.sessions.exchange_sessions import ExchangeSessionView, locked_session
from events.sessions.series import actor, require_owner
from events.tables import SessionNote

MAX_TEXT = 20_000
MAX_GROUP = 500
# Groups offered in the notes form before any assignment exists.
GROUPS_WITHOUT_ASSIGNMENT = 10
TAKEAWAYS = "takeaways"
# Notes are taken while the session runs and afterwards, not for a session that never happens.
NOTABLE = frozenset(
    {SessionStatus.PUBLISHED, SessionStatus.CLOSED, SessionStatus.HELD, SessionStatus.REPORTED}
)


def group_name(number: int) -> str:
    """A group as the assignment labels it (グループA), never by its number."""
    return gettext("グループ%(group)s", group=group_letter(number))


@dataclass(frozen=True)
class Note:
    segment_id: int | None
    group_number: int
    text: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class SessionNotes:
    """Every note of a session, looked up by topic and group."""

    notes: tuple[Note, ...]

    def of_topic(self, segment_id: int | None) -> str:
        return next(
            (n.text for n in self.notes if n.segment_id == segment_id and n.group_number == 0), ""
        )

    def of_groups(self, segment_id: int | None) -> dict[str, str]:
        """Each group's note on a topic by the group's label (グループA, ...), in group order."""
        return {label: text for _, label, text in self.numbered(segment_id)}

    def numbered(self, segment_id: int | None) -> tuple[tuple[int, str, str], ...]:
        """(group number, label, text) of each group's note on a topic, for the notes form."""
        found = sorted(
            (n.group_number, n.text)
            for n in self.notes
            if n.segment_id == segment_id and n.group_number > 0
        )
        return tuple((number, group_name(number), text) for number, text in found)

    @property
    def takeaways(self) -> str:
        return self.of_topic(None)


async def group_choices(session: ExchangeSessionView) -> dict[int, tuple[tuple[int, str], ...]]:
    """(number, label) of the groups a note can be about, per discussion, as assigned."""
    row = await assignment_row(session.id)
    view = await build_view(session, row) if row is not None else None
    assigned = {t.id: [g.number for g in t.groups] for t in view.topics} if view else {}
    default = range(1, GROUPS_WITHOUT_ASSIGNMENT + 1)
    return {
        segment.id: tuple((n, group_name(n)) for n in assigned.get(segment.id) or default)
        for segment in session.discussions
        if segment.id is not None
    }


def slot_of(segment_id: int | None, group: int) -> str:
    if segment_id is None:
        return TAKEAWAYS
    return f"topic:{segment_id}" + (f":group:{group}" if group else "")


def resolve_topic(session: ExchangeSessionView, topic: int | str | None) -> Segment | None:
    """A discussion topic by its agenda id or its title; None (or "") means the key takeaways."""
    if topic is None or (isinstance(topic, str) and not topic.strip()):
        return None
    for segment in session.discussions:
        if segment.id == topic or (isinstance(topic, str) and segment.title == topic.strip()):
            return segment
        if isinstance(topic, str) and segment.id == parse_int(topic):
            return segment
    raise NotFoundError(
        N_("この情報交換会に「%(topic)s」という意見交換のテーマはありません。"),
        field="topic",
        params={"topic": str(topic)[:100]},
    )


def _checked(text: str, group: int | None, segment: Segment | None) -> tuple[str, int]:
    problems = Problems()
    text = text.strip()
    if len(text) > MAX_TEXT:
        problems.add("text", N_("メモは%(max)d文字以内にしてください。"), max=MAX_TEXT)
    if group is not None and not 1 <= group <= MAX_GROUP:
        problems.add("group", N_("グループ番号は1〜%(max)dで指定してください。"), max=MAX_GROUP)
    if group is not None and segment is None:
        problems.add("group", N_("グループ別のメモは意見交換のテーマを選んで記録してください。"))
    problems.raise_if_any()
    return text, group or 0


async def record_note(
    organizer: OrganizerIdentity,
    session_id: int,
    topic: int | str | None,
    text: str,
    *,
    group: int | None = None,
    now: dt.datetime | None = None,
) -> Note:
    """Keep the latest text for the topic (and group); every change leaves an audit entry."""
    now = now or utcnow()
    async with write_transaction(public=False):
        session = await locked_session(session_id)
        require_owner(organizer, session.owner_id)
        if session.status not in NOTABLE:
            raise ConflictError(
                N_("メモを記録できるのは公開後の情報交換会だけです。"), field="status"
            )
        segment = resolve_topic(session, topic)
        clean, group_number = _checked(text, group, segment)
        segment_id = segment.id if segment else None
        slot = slot_of(segment_id, group_number)
        existing = await SessionNote.select(SessionNote.id, SessionNote.text).where(
            SessionNote.exchange_session == session_id, SessionNote.slot == slot
        )
        if existing:
            await SessionNote.update(
                {
                    SessionNote.text: clean,
                    SessionNote.updated_at: now,
                    SessionNote.updated_by: actor(organizer),
                }
            ).where(SessionNote.id == existing[0]["id"])
        else:
            await SessionNote.insert(
                SessionNote(
                    exchange_session=session_id,
                    segment=segment_id,
                    group_number=group_number,
                    slot=slot,
                    text=clean,
                    updated_by=actor(organizer),
                    updated_at=now,
                )
            )
        await trail.record(
            actor(organizer),
            "notes_recorded",
            session_id=session_id,
            details={
                "topic": segment.title if segment else TAKEAWAYS,
                "group": group_number,
                "previous_length": len(existing[0]["text"]) if existing else None,
                "length": len(clean),
            },
        )
    return Note(segment_id, group_number, clean, now)


async def notes_of(session_id: int) -> SessionNotes:
    rows = await (
        SessionNote.select()
        .where(SessionNote.exchange_session == session_id)
        .order_by(SessionNote.id)
    )
    return SessionNotes(
        tuple(
            Note(row["segment"], row["group_number"], row["text"], row["updated_at"])
            for row in rows
        )
    )
