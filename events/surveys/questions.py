"""A series' survey questions: a default set, the organizer's edits, and versions.

A question set that a session's survey was opened with is frozen: saving changes then creates
the next version, and the surveys already sent keep the questions their answers refer to.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.enums import QuestionKind
from events.lib.database import lock_row, write_transaction
from events.lib.errors import NotFoundError, Problems
from events.lib.i18n import N_
from events.sessions.series import actor, series_for_editing
from events.tables import Series, Survey, SurveyQuestion, SurveyQuestionSet

MAX_QUESTIONS = 30
MAX_LABEL = 300
MAX_LEVEL_LABEL = 100
MIN_LEVELS, MAX_LEVELS = 2, 10

USEFULNESS_LEVELS = (
    "とても役に立った",
    "役に立った",
    "どちらともいえない",
    "あまり役に立たなかった",
    "役に立たなかった",
)
UNDERSTANDING_LEVELS = (
    "とても深まった",
    "深まった",
    "どちらともいえない",
    "あまり深まらなかった",
    "深まらなかった",
)
RELUCTANCE_LEVELS = (
    "とても感じる",
    "やや感じる",
    "どちらともいえない",
    "あまり感じない",
    "まったく感じない",
)


@dataclass(frozen=True)
class QuestionInput:
    """A question as the organizer writes it; levels in display order, the first scores highest."""

    kind: str
    label: str
    levels: tuple[str, ...] = ()


# What every series starts with (stored data the organizer edits, hence not translated): the
# session's KPIs are usefulness, deeper understanding, and less reluctance after than before.
DEFAULT_QUESTIONS = (
    QuestionInput(
        QuestionKind.SCALE, "本日の情報交換会は、今後の業務に役に立ちましたか。", USEFULNESS_LEVELS
    ),
    QuestionInput(
        QuestionKind.SCALE, "デジタルに関する理解は深まりましたか。", UNDERSTANDING_LEVELS
    ),
    QuestionInput(
        QuestionKind.BEFORE_AFTER,
        "デジタル関連の業務に取り組むことへの抵抗感はありますか（参加前・参加後）。",
        RELUCTANCE_LEVELS,
    ),
    QuestionInput(QuestionKind.TEXT, "今後、取り組んでみたいことを教えてください。"),
    QuestionInput(QuestionKind.TEXT, "ご意見・ご感想があればお書きください。"),
)


@dataclass(frozen=True)
class QuestionView:
    id: int
    position: int
    kind: QuestionKind
    label: str
    # Display order; the level at index i scores len(levels) - i.
    levels: tuple[str, ...]

    @property
    def field(self) -> str:
        """The name of its form input, and the field its refusals name."""
        return f"q-{self.id}"

    @property
    def scored_levels(self) -> tuple[tuple[int, str], ...]:
        """(score, label) in display order: 5 とても役に立った ... 1 役に立たなかった."""
        count = len(self.levels)
        return tuple((count - index, label) for index, label in enumerate(self.levels))

    def level_label(self, score: int | None) -> str:
        if score is None or not 1 <= score <= len(self.levels):
            return ""
        return self.levels[len(self.levels) - score]

    def as_input(self) -> QuestionInput:
        return QuestionInput(self.kind.value, self.label, self.levels)


@dataclass(frozen=True)
class QuestionSetView:
    id: int
    series_id: int
    version: int
    questions: tuple[QuestionView, ...]
    # A session's survey uses it: edits go to a new version.
    in_use: bool

    def question(self, question_id: int) -> QuestionView | None:
        return next((q for q in self.questions if q.id == question_id), None)


async def question_set(set_id: int) -> QuestionSetView:
    row = await SurveyQuestionSet.select().where(SurveyQuestionSet.id == set_id).first()
    if row is None:
        raise NotFoundError(N_("アンケートの質問が見つかりません。"), field="survey")
    questions = await (
        SurveyQuestion.select()
        .where(SurveyQuestion.question_set == set_id)
        .order_by(SurveyQuestion.position)
    )
    in_use = await Survey.exists().where(Survey.question_set == set_id)
    return QuestionSetView(
        id=row["id"],
        series_id=row["series"],
        version=row["version"],
        questions=tuple(
            QuestionView(
                id=q["id"],
                position=q["position"],
                kind=QuestionKind(q["kind"]),
                label=q["label"],
                levels=tuple(json.loads(q["levels"] or "[]")),
            )
            for q in questions
        ),
        in_use=in_use,
    )


async def current_question_set(series_id: int) -> QuestionSetView | None:
    """The latest version of a series' questions, or None before any was made."""
    row = await (
        SurveyQuestionSet.select(SurveyQuestionSet.id)
        .where(SurveyQuestionSet.series == series_id)
        .order_by(SurveyQuestionSet.version, ascending=False)
        .first()
    )
    return await question_set(row["id"]) if row else None


async def ensure_question_set(series_id: int) -> QuestionSetView:
    """The series' current questions, creating the default set when it has none."""
    current = await current_question_set(series_id)
    if current is not None:
        return current
    async with write_transaction(public=False):
        # Two first visits at once: the series row lock makes the second see the first's set.
        if not await lock_row(Series, series_id):
            raise NotFoundError(N_("シリーズが見つかりません。"), field="series")
        current = await current_question_set(series_id)
        if current is None:
            set_id = await _store(series_id, 1, DEFAULT_QUESTIONS)
            current = await question_set(set_id)
    return current


async def questions_for_editing(organizer: OrganizerIdentity, series_id: int) -> QuestionSetView:
    await series_for_editing(organizer, series_id)
    return await ensure_question_set(series_id)


def check_questions(inputs: Sequence[QuestionInput], problems: Problems) -> None:
    """Every question on its own (field `questions.<index>.<part>`), then the list (`questions`)."""
    if not inputs:
        problems.add("questions", N_("質問を1つ以上入力してください。"))
    elif len(inputs) > MAX_QUESTIONS:
        problems.add("questions", N_("質問は%(max)d個までにしてください。"), max=MAX_QUESTIONS)
    for index, question in enumerate(inputs):
        where, number = f"questions.{index}", index + 1
        if question.kind not in set(QuestionKind):
            problems.add(f"{where}.kind", N_("質問%(n)dの種類を選んでください。"), n=number)
        label = question.label.strip()
        if not label:
            problems.add(f"{where}.label", N_("質問%(n)dの文を入力してください。"), n=number)
        elif len(label) > MAX_LABEL:
            problems.add(
                f"{where}.label",
                N_("質問%(n)dは%(max)d文字以内にしてください。"),
                n=number,
                max=MAX_LABEL,
            )
        if question.kind in {QuestionKind.SCALE, QuestionKind.BEFORE_AFTER}:
            _check_levels(question.levels, f"{where}.levels", number, problems)


def _check_levels(levels: tuple[str, ...], where: str, number: int, problems: Problems) -> None:
    cleaned = [level.strip() for level in levels if level.strip()]
    if not MIN_LEVELS <= len(cleaned) <= MAX_LEVELS:
        problems.add(
            where,
            N_("質問%(n)dの選択肢は%(min)d〜%(max)d個にしてください（1行に1つ）。"),
            n=number,
            min=MIN_LEVELS,
            max=MAX_LEVELS,
        )
    elif len(set(cleaned)) != len(cleaned):
        problems.add(where, N_("質問%(n)dに同じ選択肢が2回あります。"), n=number)
    elif any(len(level) > MAX_LEVEL_LABEL for level in cleaned):
        problems.add(
            where,
            N_("質問%(n)dの選択肢は%(max)d文字以内にしてください。"),
            n=number,
            max=MAX_LEVEL_LABEL,
        )


def normalized(inputs: Sequence[QuestionInput]) -> tuple[QuestionInput, ...]:
    return tuple(
        QuestionInput(
            kind=q.kind,
            label=q.label.strip(),
            levels=tuple(level.strip() for level in q.levels if level.strip())
            if q.kind != QuestionKind.TEXT
            else (),
        )
        for q in inputs
    )


async def save_questions(
    organizer: OrganizerIdentity, series_id: int, inputs: Sequence[QuestionInput]
) -> tuple[QuestionSetView, bool]:
    """Replace the series' questions; returns the set and whether it is a new version.

    Surveys already sent keep their own version, so their answers never change meaning.
    """
    await series_for_editing(organizer, series_id)
    problems = Problems()
    check_questions(inputs, problems)
    problems.raise_if_any()
    wanted = normalized(inputs)
    async with write_transaction(public=False):
        current = await ensure_question_set(series_id)
        if not await lock_row(SurveyQuestionSet, current.id):
            raise NotFoundError(N_("アンケートの質問が見つかりません。"), field="survey")
        current = await question_set(current.id)
        if tuple(q.as_input() for q in current.questions) == wanted:
            return current, False
        new_version = current.in_use
        if new_version:
            set_id = await _store(series_id, current.version + 1, wanted)
        else:
            set_id = current.id
            await SurveyQuestion.delete().where(SurveyQuestion.question_set == set_id)
            await _insert_questions(set_id, wanted)
        await trail.record(
            actor(organizer),
            "survey_questions_saved",
            details={"series": series_id, "questions": len(wanted), "new_version": new_version},
        )
        return await question_set(set_id), new_version


async def _store(series_id: int, version: int, inputs: Sequence[QuestionInput]) -> int:
    row = SurveyQuestionSet(series=series_id, version=version)
    await row.save()
    await _insert_questions(int(row.id), inputs)
    return int(row.id)


async def _insert_questions(set_id: int, inputs: Sequence[QuestionInput]) -> None:
    await SurveyQuestion.insert(
        *(
            SurveyQuestion(
                question_set=set_id,
                position=position,
                kind=question.kind,
                label=question.label,
                levels=json.dumps(list(question.levels), ensure_ascii=False),
            )
            for position, question in enumerate(inputs, start=1)
        )
    )
