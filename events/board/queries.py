"""Reading the board: the question list (search, theme, status), a question with its answers.

Members see what is not hidden; organizers (moderate=True) also see hidden posts, marked.
Answers and questions name the municipality and department, and the person only when they
agreed to share their contact details.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from events.board.access import question_not_found
from events.board.text import normalize_theme, render
from events.enums import QuestionStatus, SegmentKind
from events.lib.numbers import parse_int
from events.network.municipality import HELD
from events.reports.archive import ArchiveItem, reports_on_themes
from events.tables import (
    AgendaItem,
    AgendaSegment,
    BoardAnswer,
    BoardHelpfulMark,
    BoardQuestion,
    BoardQuestionTheme,
    BoardRevision,
)
from networking.search import MAX_QUERY_LENGTH, contains, fold

PAGE_SIZE = 50


@dataclass(frozen=True)
class BoardFilter:
    query: str = ""
    theme: str = ""
    status: str = ""

    @property
    def terms(self) -> tuple[str, ...]:
        """Words of the query folded like the stored text; typed wildcards stay literal."""
        words = (fold(word) for word in self.query[:MAX_QUERY_LENGTH].split())
        return tuple(word for word in words if word)

    @property
    def status_value(self) -> QuestionStatus | None:
        return QuestionStatus(self.status) if self.status in set(QuestionStatus) else None

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.theme or self.status_value)


@dataclass(frozen=True)
class QuestionSummary:
    id: int
    title: str
    status: str
    themes: tuple[str, ...]
    answer_count: int
    author: str
    created_at: dt.datetime
    hidden: bool
    locked: bool
    promoted: bool

    @property
    def status_label(self) -> str:
        return QuestionStatus(self.status).label


@dataclass(frozen=True)
class AnswerView:
    id: int
    body: str
    author: str
    author_email: str
    created_at: dt.datetime
    edited: bool
    helpful: bool
    hidden: bool

    @property
    def body_html(self) -> Markup:
        return render(self.body)


@dataclass(frozen=True)
class QuestionView:
    id: int
    series_id: int
    title: str
    body: str
    status: str
    themes: tuple[str, ...]
    author: str
    asker_email: str
    asker_municipality: str
    created_at: dt.datetime
    edited: bool
    hidden: bool
    locked: bool
    segment_id: int | None
    item_id: int | None
    segment_title: str | None
    item_text: str | None
    promoted_segment: int | None
    answers: tuple[AnswerView, ...]
    # Published reports tagged with or mentioning the question's themes.
    related_reports: tuple[ArchiveItem, ...] = field(default=())

    @property
    def body_html(self) -> Markup:
        return render(self.body)

    @property
    def status_label(self) -> str:
        return QuestionStatus(self.status).label

    def is_asked_by(self, email: str) -> bool:
        return self.asker_email == email


def person_label(municipality: str, department: str, name: str, share_contact: bool) -> str:
    """Municipality and department; the name only when the person agreed to share it."""
    label = f"{municipality} {department}"
    return f"{label} {name}" if share_contact else label


_AUTHOR = (
    BoardQuestion.asker._.name.as_alias("author_name"),
    BoardQuestion.asker._.department.as_alias("author_department"),
    BoardQuestion.asker._.share_contact.as_alias("author_shares"),
    BoardQuestion.asker._.email.as_alias("asker_email"),
    BoardQuestion.asker._.registration._.municipality.as_alias("asker_code"),
    BoardQuestion.asker._.registration._.municipality._.display_name.as_alias(
        "author_municipality"
    ),
)


async def _matching_ids(series_id: int, board_filter: BoardFilter) -> set[int] | None:
    """Ids of questions whose text or visible answers hold every term; None: no search."""
    found: set[int] | None = None
    for term in board_filter.terms:
        in_questions = await BoardQuestion.select(BoardQuestion.id).where(
            BoardQuestion.series == series_id, contains(BoardQuestion.search_text, term)
        )
        in_answers = await BoardAnswer.select(BoardAnswer.question).where(
            BoardAnswer.question._.series == series_id,
            BoardAnswer.hidden.eq(False),
            contains(BoardAnswer.search_text, term),
        )
        ids = {r["id"] for r in in_questions} | {r["question"] for r in in_answers}
        found = ids if found is None else found & ids
    return found


async def list_questions(
    series_id: int, board_filter: BoardFilter, *, moderate: bool = False
) -> list[QuestionSummary]:
    """Newest first; search, theme and status narrow the list."""
    conditions: list[Any] = [BoardQuestion.series == series_id]
    if not moderate:
        conditions.append(BoardQuestion.hidden.eq(False))
    if board_filter.status_value is not None:
        conditions.append(BoardQuestion.status == board_filter.status_value)
    if board_filter.theme:
        tagged = await BoardQuestionTheme.select(BoardQuestionTheme.question).where(
            BoardQuestionTheme.theme == normalize_theme(board_filter.theme)
        )
        conditions.append(BoardQuestion.id.is_in([r["question"] for r in tagged] or [0]))
    matching = await _matching_ids(series_id, board_filter)
    if matching is not None:
        conditions.append(BoardQuestion.id.is_in(sorted(matching) or [0]))
    rows = await (
        BoardQuestion.select(*BoardQuestion.all_columns(), *_AUTHOR)
        .where(*conditions)
        .order_by(BoardQuestion.created_at, ascending=False)
        .order_by(BoardQuestion.id, ascending=False)
        .limit(PAGE_SIZE)
    )
    ids = [row["id"] for row in rows]
    themes = await themes_of(ids)
    counts = await _answer_counts(ids)
    return [
        QuestionSummary(
            id=row["id"],
            title=row["title"],
            status=row["status"],
            themes=themes.get(row["id"], ()),
            answer_count=counts.get(row["id"], 0),
            author=_author(row),
            created_at=row["created_at"],
            hidden=row["hidden"],
            locked=row["locked"],
            promoted=row["promoted_segment"] is not None,
        )
        for row in rows
    ]


def _author(row: dict[str, Any]) -> str:
    return person_label(
        row["author_municipality"],
        row["author_department"],
        row["author_name"],
        row["author_shares"],
    )


async def themes_of(question_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    rows = await (
        BoardQuestionTheme.select(BoardQuestionTheme.question, BoardQuestionTheme.theme)
        .where(BoardQuestionTheme.question.is_in(list(question_ids) or [0]))
        .order_by(BoardQuestionTheme.id)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        found[row["question"]].append(row["theme"])
    return {key: tuple(value) for key, value in found.items()}


async def _answer_counts(question_ids: Sequence[int]) -> dict[int, int]:
    rows = await BoardAnswer.select(BoardAnswer.question).where(
        BoardAnswer.question.is_in(list(question_ids) or [0]), BoardAnswer.hidden.eq(False)
    )
    return dict(Counter(row["question"] for row in rows))


async def theme_counts(series_id: int, *, limit: int = 20) -> list[tuple[str, int]]:
    """The most-asked themes of a series' visible questions, most first."""
    rows = await BoardQuestionTheme.select(BoardQuestionTheme.theme).where(
        BoardQuestionTheme.question._.series == series_id,
        BoardQuestionTheme.question._.hidden.eq(False),
    )
    counted = Counter(row["theme"] for row in rows)
    return sorted(counted.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


async def get_question(series_id: int, question_id: int, *, moderate: bool = False) -> QuestionView:
    conditions: list[Any] = [BoardQuestion.id == question_id, BoardQuestion.series == series_id]
    if not moderate:
        conditions.append(BoardQuestion.hidden.eq(False))
    row = await (
        BoardQuestion.select(
            *BoardQuestion.all_columns(),
            *_AUTHOR,
            BoardQuestion.segment._.title.as_alias("segment_title"),
            BoardQuestion.item._.text.as_alias("item_text"),
        )
        .where(*conditions)
        .first()
    )
    if row is None:
        raise question_not_found()
    themes = await themes_of([question_id])
    return QuestionView(
        id=row["id"],
        series_id=row["series"],
        title=row["title"],
        body=row["body"],
        status=row["status"],
        themes=themes.get(question_id, ()),
        author=_author(row),
        asker_email=row["asker_email"],
        asker_municipality=row["asker_code"],
        created_at=row["created_at"],
        edited=await BoardRevision.exists().where(BoardRevision.question == question_id),
        hidden=row["hidden"],
        locked=row["locked"],
        segment_id=row["segment"],
        item_id=row["item"],
        segment_title=row["segment_title"],
        item_text=row["item_text"],
        promoted_segment=row["promoted_segment"],
        answers=await _answers(question_id, moderate=moderate),
        related_reports=tuple(await reports_on_themes(themes.get(question_id, ()))),
    )


async def _answers(question_id: int, *, moderate: bool) -> tuple[AnswerView, ...]:
    conditions: list[Any] = [BoardAnswer.question == question_id]
    if not moderate:
        conditions.append(BoardAnswer.hidden.eq(False))
    rows = await (
        BoardAnswer.select(
            *BoardAnswer.all_columns(),
            BoardAnswer.author._.name.as_alias("author_name"),
            BoardAnswer.author._.department.as_alias("author_department"),
            BoardAnswer.author._.share_contact.as_alias("author_shares"),
            BoardAnswer.author._.email.as_alias("author_email"),
            BoardAnswer.author._.registration._.municipality._.display_name.as_alias(
                "author_municipality"
            ),
        )
        .where(*conditions)
        .order_by(BoardAnswer.id)
    )
    ids = [row["id"] for row in rows] or [0]
    helpful = {
        r["answer"]
        for r in await BoardHelpfulMark.select(BoardHelpfulMark.answer).where(
            BoardHelpfulMark.answer.is_in(ids)
        )
    }
    edited = {
        r["answer"]
        for r in await BoardRevision.select(BoardRevision.answer).where(
            BoardRevision.answer.is_in(ids)
        )
    }
    return tuple(
        AnswerView(
            id=row["id"],
            body=row["body"],
            author=_author(row),
            author_email=row["author_email"],
            created_at=row["created_at"],
            edited=row["id"] in edited,
            helpful=row["id"] in helpful,
            hidden=row["hidden"],
        )
        for row in rows
    )


async def revisions(question_id: int) -> list[dict[str, Any]]:
    """Earlier versions of a question and of its answers, newest first (organizer pages)."""
    answer_ids = [
        r["id"]
        for r in await BoardAnswer.select(BoardAnswer.id).where(BoardAnswer.question == question_id)
    ]
    return await (
        BoardRevision.select()
        .where(
            (BoardRevision.question == question_id) | BoardRevision.answer.is_in(answer_ids or [0])
        )
        .order_by(BoardRevision.id, ascending=False)
    )


@dataclass(frozen=True)
class RelatedChoice:
    """A discussion topic or one of its points (論点) that a question can refer to."""

    value: str
    label: str


async def related_choices(series_id: int) -> list[RelatedChoice]:
    """Discussion topics and their points of the series' sessions held so far, latest session
    first, for the ask form: a question follows up what was discussed."""
    segments = await (
        AgendaSegment.select(
            AgendaSegment.id,
            AgendaSegment.title,
            AgendaSegment.exchange_session._.title.as_alias("session_title"),
        )
        .where(
            AgendaSegment.exchange_session._.series == series_id,
            AgendaSegment.exchange_session._.status.is_in(list(HELD)),
            AgendaSegment.kind == SegmentKind.DISCUSSION,
        )
        .order_by(AgendaSegment.exchange_session._.starts_at, ascending=False)
        .order_by(AgendaSegment.position)
    )
    items = await (
        AgendaItem.select(AgendaItem.id, AgendaItem.segment, AgendaItem.text)
        .where(AgendaItem.segment.is_in([s["id"] for s in segments] or [0]))
        .order_by(AgendaItem.position)
    )
    choices: list[RelatedChoice] = []
    for segment in segments:
        prefix = f"{segment['session_title']}: {segment['title']}"
        choices.append(RelatedChoice(f"segment:{segment['id']}", prefix))
        choices.extend(
            RelatedChoice(f"item:{item['id']}", f"{prefix} / {item['text']}")
            for item in items
            if item["segment"] == segment["id"]
        )
    return choices


def parse_related(value: str) -> tuple[int | None, int | None]:
    """A choice value as (segment id, item id); anything else as no reference."""
    kind, _, text = value.partition(":")
    number = parse_int(text)
    if number is None:
        return None, None
    if kind == "segment":
        return number, None
    if kind == "item":
        return None, number
    return None, None


def related_value(segment_id: int | None, item_id: int | None) -> str:
    if item_id is not None:
        return f"item:{item_id}"
    return f"segment:{segment_id}" if segment_id is not None else ""
