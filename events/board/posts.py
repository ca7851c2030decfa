"""Writing on the board: ask, answer, edit one's own posts (keeping history), mark answers helpful.

Every function takes the BoardMember read from the personal link of this request and refuses,
changing nothing, what that person may not do. Posts are limited per person (by e-mail, so
one person with links to several sessions has one allowance).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from events.board import mail as board_mail
from events.board.access import BoardMember, answer_not_found, question_not_found, require_series
from events.board.text import (
    check_body,
    check_themes,
    check_title,
    clean,
)
from events.enums import QuestionStatus
from events.lib.clock import utcnow
from events.lib.database import lock_row, write_transaction
from events.lib.errors import ConflictError, DomainError, ForbiddenError, Problems
from events.lib.i18n import N_
from events.tables import (
    AgendaItem,
    AgendaSegment,
    Attendee,
    BoardAnswer,
    BoardHelpfulMark,
    BoardQuestion,
    BoardQuestionTheme,
    BoardRevision,
)
from networking.search import fold

# A person may post this many questions, answers and edits in a short burst, and in a day.
BURST_POSTS, BURST_WINDOW = 5, dt.timedelta(minutes=10)
DAILY_POSTS, DAILY_WINDOW = 30, dt.timedelta(days=1)
LOCKED = N_("この相談は締め切られているため、回答・編集はできません。")


class TooManyPosts(DomainError):
    """Flooding: the person posted too much too quickly (HTTP 429)."""

    kind: ClassVar[str] = "rate_limited"


@dataclass(frozen=True)
class QuestionInput:
    title: str
    body: str
    themes: tuple[str, ...] = ()
    segment_id: int | None = None
    item_id: int | None = None
    # Given by API clients: must be the series of the person's own session.
    series_id: int | None = None


async def ask(member: BoardMember, data: QuestionInput, *, now: dt.datetime | None = None) -> int:
    """Post a question to the member's series; returns its id."""
    now = now or utcnow()
    require_series(member, data.series_id)
    title, body = clean(data.title), clean(data.body)
    problems = Problems()
    check_title(title, problems)
    check_body(body, problems)
    check_themes(data.themes, problems)
    segment_id = await _related(member.series_id, data.segment_id, data.item_id, problems)
    problems.raise_if_any()
    async with write_transaction(public=False):
        await _check_rate(member, now)
        row = BoardQuestion(
            series=member.series_id,
            asker=member.attendee_id,
            title=title,
            body=body,
            search_text=fold(f"{title}\n{body}"),
            segment=segment_id,
            item=data.item_id,
            created_at=now,
            updated_at=now,
        )
        await row.save()
        await _save_themes(int(row.id), data.themes)
    return int(row.id)


async def _related(
    series_id: int, segment_id: int | None, item_id: int | None, problems: Problems
) -> int | None:
    """The discussion topic a question refers to, checked to belong to the series."""
    if item_id is not None:
        item = await (
            AgendaItem.select(AgendaItem.segment)
            .where(
                AgendaItem.id == item_id,
                AgendaItem.segment._.exchange_session._.series == series_id,
            )
            .first()
        )
        if item is None or (segment_id is not None and segment_id != item["segment"]):
            problems.add("related", N_("関連する論点がこのシリーズの次第にありません。"))
            return None
        return int(item["segment"])
    if segment_id is not None:
        found = await AgendaSegment.exists().where(
            AgendaSegment.id == segment_id, AgendaSegment.exchange_session._.series == series_id
        )
        if not found:
            problems.add("related", N_("関連する議題がこのシリーズの次第にありません。"))
    return segment_id


async def _save_themes(question_id: int, themes: tuple[str, ...]) -> None:
    await BoardQuestionTheme.delete().where(BoardQuestionTheme.question == question_id)
    if themes:
        await BoardQuestionTheme.insert(
            *(BoardQuestionTheme(question=question_id, theme=theme) for theme in themes)
        )


async def _person_ids(email: str) -> list[int]:
    rows = await Attendee.select(Attendee.id).where(Attendee.email == email)
    return [row["id"] for row in rows]


async def _check_rate(member: BoardMember, now: dt.datetime) -> None:
    """Inside the write transaction, so that concurrent posts of one person are counted too."""
    # PostgreSQL: the person's row lock queues their concurrent posts behind this count.
    await lock_row(Attendee, member.attendee_id)
    ids = await _person_ids(member.email)
    for limit, window in ((BURST_POSTS, BURST_WINDOW), (DAILY_POSTS, DAILY_WINDOW)):
        since = now - window
        posted = (
            await BoardQuestion.count().where(
                BoardQuestion.asker.is_in(ids), BoardQuestion.created_at > since
            )
            + await BoardAnswer.count().where(
                BoardAnswer.author.is_in(ids), BoardAnswer.created_at > since
            )
            + await BoardRevision.count().where(
                BoardRevision.edited_by.is_in(ids), BoardRevision.created_at > since
            )
        )
        if posted >= limit:
            raise TooManyPosts(
                N_("短時間に多くの投稿がありました。しばらく時間をおいてから投稿してください。")
            )


async def visible_question(member: BoardMember, question_id: int) -> dict[str, Any]:
    """A question of the member's series that is not hidden; the same refusal otherwise."""
    row = await (
        BoardQuestion.select(
            *BoardQuestion.all_columns(), BoardQuestion.asker._.email.as_alias("asker_email")
        )
        .where(
            BoardQuestion.id == question_id,
            BoardQuestion.series == member.series_id,
            BoardQuestion.hidden.eq(False),
        )
        .first()
    )
    if row is None:
        raise question_not_found()
    return row


async def answer(
    member: BoardMember, question_id: int, body: str, *, now: dt.datetime | None = None
) -> int:
    """Answer a question of the member's series; followers hear of it (board_mail)."""
    now = now or utcnow()
    body = clean(body)
    problems = Problems()
    check_body(body, problems)
    problems.raise_if_any()
    async with write_transaction(public=False):
        await lock_row(BoardQuestion, question_id)
        question = await visible_question(member, question_id)
        if question["locked"]:
            raise ConflictError(LOCKED, field="body")
        await _check_rate(member, now)
        row = BoardAnswer(
            question=question_id,
            author=member.attendee_id,
            body=body,
            search_text=fold(body),
            created_at=now,
            updated_at=now,
        )
        await row.save()
        await BoardQuestion.update({BoardQuestion.updated_at: now}).where(
            BoardQuestion.id == question_id
        )
        await board_mail.announce(int(row.id), now=now)
    return int(row.id)


def _require_own(member: BoardMember, author_email: str) -> None:
    if author_email != member.email:
        raise ForbiddenError(N_("編集できるのはご自身の投稿だけです。"))


async def edit_question(
    member: BoardMember, question_id: int, data: QuestionInput, *, now: dt.datetime | None = None
) -> None:
    """Change one's own question; the previous text is kept as a revision."""
    now = now or utcnow()
    title, body = clean(data.title), clean(data.body)
    problems = Problems()
    check_title(title, problems)
    check_body(body, problems)
    check_themes(data.themes, problems)
    segment_id = await _related(member.series_id, data.segment_id, data.item_id, problems)
    problems.raise_if_any()
    async with write_transaction(public=False):
        await lock_row(BoardQuestion, question_id)
        question = await visible_question(member, question_id)
        _require_own(member, question["asker_email"])
        if question["locked"]:
            raise ConflictError(LOCKED)
        await _check_rate(member, now)
        await BoardRevision(
            question=question_id,
            title=question["title"],
            body=question["body"],
            edited_by=member.attendee_id,
            created_at=now,
        ).save()
        await BoardQuestion.update(
            {
                BoardQuestion.title: title,
                BoardQuestion.body: body,
                BoardQuestion.search_text: fold(f"{title}\n{body}"),
                BoardQuestion.segment: segment_id,
                BoardQuestion.item: data.item_id,
                BoardQuestion.updated_at: now,
            }
        ).where(BoardQuestion.id == question_id)
        await _save_themes(question_id, data.themes)


async def visible_answer(member: BoardMember, answer_id: int) -> dict[str, Any]:
    question = BoardAnswer.question
    row = await (
        BoardAnswer.select(
            *BoardAnswer.all_columns(),
            BoardAnswer.author._.email.as_alias("author_email"),
            question._.asker._.email.as_alias("asker_email"),
            question._.locked.as_alias("locked"),
            question._.status.as_alias("question_status"),
        )
        .where(
            BoardAnswer.id == answer_id,
            BoardAnswer.hidden.eq(False),
            question._.series == member.series_id,
            question._.hidden.eq(False),
        )
        .first()
    )
    if row is None:
        raise answer_not_found()
    return row


async def edit_answer(
    member: BoardMember, answer_id: int, body: str, *, now: dt.datetime | None = None
) -> int:
    """Change one's own answer, keeping the previous text; returns the question's id."""
    now = now or utcnow()
    body = clean(body)
    problems = Problems()
    check_body(body, problems)
    problems.raise_if_any()
    async with write_transaction(public=False):
        row = await visible_answer(member, answer_id)
        _require_own(member, row["author_email"])
        if row["locked"]:
            raise ConflictError(LOCKED)
        await _check_rate(member, now)
        await BoardRevision(
            answer=answer_id, body=row["body"], edited_by=member.attendee_id, created_at=now
        ).save()
        await BoardAnswer.update(
            {
                BoardAnswer.body: body,
                BoardAnswer.search_text: fold(body),
                BoardAnswer.updated_at: now,
            }
        ).where(BoardAnswer.id == answer_id)
    return int(row["question"])


async def mark_helpful(
    member: BoardMember,
    answer_id: int,
    *,
    helpful: bool = True,
    resolved: bool | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The asker marks (or unmarks) an answer helpful, optionally resolving the question.

    A helpful mark moves an open question to answered; `resolved` True closes it as resolved,
    False reopens a resolved one. Returns the question's new status.
    """
    now = now or utcnow()
    async with write_transaction(public=False):
        row = await visible_answer(member, answer_id)
        if row["asker_email"] != member.email:
            raise ForbiddenError(N_("「参考になった」を付けられるのは、相談した方だけです。"))
        question_id = int(row["question"])
        await lock_row(BoardQuestion, question_id)
        mine = await _person_ids(member.email)
        await BoardHelpfulMark.delete().where(
            BoardHelpfulMark.answer == answer_id, BoardHelpfulMark.attendee.is_in(mine)
        )
        if helpful:
            await BoardHelpfulMark(
                answer=answer_id, attendee=member.attendee_id, created_at=now
            ).save()
        status = await _status_after(question_id, row["question_status"], resolved)
        await BoardQuestion.update(
            {BoardQuestion.status: status, BoardQuestion.updated_at: now}
        ).where(BoardQuestion.id == question_id)
    return status


async def _status_after(question_id: int, current: str, resolved: bool | None) -> str:
    if resolved:
        return QuestionStatus.RESOLVED
    if resolved is None and current == QuestionStatus.RESOLVED:
        return current
    marked = await BoardHelpfulMark.exists().where(
        BoardHelpfulMark.answer._.question == question_id
    )
    return QuestionStatus.ANSWERED if marked else QuestionStatus.OPEN
