"""The organizer's hand on a series' board: hide, restore, lock, and promote a question to a topic.

Every action is written to the board's own audit trail (BoardModeration) in the same transaction.
Only the series' owner and admins may act; anyone else is refused and nothing changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.audit.actors import actor_names
from events.board.access import answer_not_found, moderated_series, question_not_found
from events.enums import ModerationAction, SegmentKind, SessionStatus
from events.lib.clock import utcnow
from events.lib.database import lock_row, write_transaction
from events.lib.errors import ConflictError, NotFoundError, ValidationError
from events.lib.i18n import N_
from events.sessions.agenda import Segment
from events.sessions.exchange_sessions import change_session, locked_session
from events.sessions.series import actor
from events.tables import BoardAnswer, BoardModeration, BoardQuestion, ExchangeSession

MAX_REASON = 500
# The length a promoted topic gets in the agenda; the organizer adjusts it in the session form.
PROMOTED_MINUTES = 30
_UPCOMING = (SessionStatus.DRAFT, SessionStatus.PUBLISHED, SessionStatus.CLOSED)
_QUESTION_ONLY = {ModerationAction.LOCK, ModerationAction.UNLOCK}


@dataclass(frozen=True)
class ModerationTarget:
    """One post: a question, or an answer (then `answer_id` is set)."""

    question_id: int | None = None
    answer_id: int | None = None


async def moderate(
    organizer: OrganizerIdentity,
    series_id: int,
    target: ModerationTarget,
    action: str,
    reason: str = "",
    *,
    now: dt.datetime | None = None,
) -> int:
    """Hide or restore a question or an answer; lock or unlock a question. Returns its question."""
    now = now or utcnow()
    await moderated_series(organizer, series_id)
    try:
        chosen = ModerationAction(action)
    except ValueError:
        chosen = None
    if chosen is None or chosen is ModerationAction.PROMOTE:
        raise ValidationError(N_("操作を選んでください。"), field="action")
    if len(reason) > MAX_REASON:
        raise ValidationError(
            N_("理由は%(max)d文字以内にしてください。"), field="reason", params={"max": MAX_REASON}
        )
    if (target.question_id is None) == (target.answer_id is None):
        raise ValidationError(N_("相談か回答のどちらか1件を指定してください。"), field="post")
    if target.answer_id is not None and chosen in _QUESTION_ONLY:
        raise ValidationError(N_("締め切りは相談に対してのみ行えます。"), field="action")
    async with write_transaction(public=False):
        if target.answer_id is not None:
            row = await _answer_of(series_id, target.answer_id)
            question_id: int = row["question"]
            await _apply(BoardAnswer, target.answer_id, row, chosen)
        else:
            question_id = int(target.question_id)  # type: ignore[arg-type]
            row = await _question_of(series_id, question_id)
            await _apply(BoardQuestion, question_id, row, chosen)
        await BoardModeration(
            series=series_id,
            question=question_id,
            answer=target.answer_id,
            actor=actor(organizer),
            action=chosen,
            reason=reason.strip(),
            created_at=now,
        ).save()
    return question_id


async def _question_of(series_id: int, question_id: int) -> dict[str, Any]:
    await lock_row(BoardQuestion, question_id)
    row = await (
        BoardQuestion.select()
        .where(BoardQuestion.id == question_id, BoardQuestion.series == series_id)
        .first()
    )
    if row is None:
        raise question_not_found()
    return row


async def _answer_of(series_id: int, answer_id: int) -> dict[str, Any]:
    row = await (
        BoardAnswer.select()
        .where(BoardAnswer.id == answer_id, BoardAnswer.question._.series == series_id)
        .first()
    )
    if row is None:
        raise answer_not_found()
    return row


async def _apply(
    table: type[BoardQuestion] | type[BoardAnswer],
    row_id: int,
    row: dict[str, Any],
    action: ModerationAction,
) -> None:
    column, value = {
        ModerationAction.HIDE: ("hidden", True),
        ModerationAction.RESTORE: ("hidden", False),
        ModerationAction.LOCK: ("locked", True),
        ModerationAction.UNLOCK: ("locked", False),
    }[action]
    if row[column] == value:
        raise ConflictError(N_("この投稿はすでにその状態です。"), field="action")
    await table.update({column: value}).where(table._meta.primary_key == row_id)


async def next_session(series_id: int, now: dt.datetime) -> dict[str, Any]:
    """The series' next session that can still take a topic (not held, not cancelled)."""
    row = await (
        ExchangeSession.select(ExchangeSession.id, ExchangeSession.title)
        .where(
            ExchangeSession.series == series_id,
            ExchangeSession.status.is_in(list(_UPCOMING)),
            ExchangeSession.starts_at > now,
        )
        .order_by(ExchangeSession.starts_at)
        .order_by(ExchangeSession.id)
        .first()
    )
    if row is None:
        raise ConflictError(
            N_("このシリーズに次回の情報交換会がありません。先に次回を登録してください。"),
            field="session",
        )
    return row


@dataclass(frozen=True)
class Promotion:
    session_id: int
    session_title: str
    segment_id: int


async def promote(
    organizer: OrganizerIdentity,
    series_id: int,
    question_id: int,
    *,
    now: dt.datetime | None = None,
) -> Promotion:
    """Append the question as a discussion topic to the next session's agenda, in one step."""
    now = now or utcnow()
    await moderated_series(organizer, series_id)
    async with write_transaction():
        question = await _question_of(series_id, question_id)
        if question["promoted_segment"] is not None:
            raise ConflictError(
                N_("この相談はすでに意見交換テーマになっています。"), field="question"
            )
        upcoming = await next_session(series_id, now)
        session = await locked_session(upcoming["id"])
        topic = Segment(
            kind=SegmentKind.DISCUSSION,
            title=question["title"][:200],
            minutes=PROMOTED_MINUTES,
        )
        change = await change_session(
            organizer, session.id, {"agenda": (*session.agenda, topic)}, now=now
        )
        segment_id = change.after.agenda[-1].id
        if segment_id is None:
            raise NotFoundError(N_("情報交換会が見つかりません。"), field="session")
        await BoardQuestion.update(
            {BoardQuestion.promoted_segment: segment_id, BoardQuestion.updated_at: now}
        ).where(BoardQuestion.id == question_id)
        await BoardModeration(
            series=series_id,
            question=question_id,
            actor=actor(organizer),
            action=ModerationAction.PROMOTE,
            reason=session.title,
            created_at=now,
        ).save()
    return Promotion(session.id, session.title, segment_id)


async def moderation_log(series_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """The board's audit trail, newest first, each entry with `actor_name` to show."""
    rows = await (
        BoardModeration.select(
            *BoardModeration.all_columns(),
            BoardModeration.question._.title.as_alias("question_title"),
        )
        .where(BoardModeration.series == series_id)
        .order_by(BoardModeration.id, ascending=False)
        .limit(limit)
    )
    names = await actor_names({row["actor"] for row in rows})
    return [{**row, "actor_name": names[row["actor"]]} for row in rows]
