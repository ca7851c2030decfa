"""Surveys: the default questions, versioned edits, opening and closing, and answering once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from events.enums import QuestionKind, SurveyStatus
from events.lib.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
)
from events.lib.formatting import format_day
from events.registrations.attendee_access import REMOVED, AttendeeAccess, attendee_by_token
from events.surveys.answers import (
    ALREADY_ANSWERED,
    AnswerInput,
    submit_survey,
    survey_for_attendee,
)
from events.surveys.questions import (
    DEFAULT_QUESTIONS,
    QuestionInput,
    ensure_question_set,
    questions_for_editing,
    save_questions,
)
from events.surveys.surveys import SurveyView, close_survey, open_survey, survey_of
from events.tables import OutboxMessage, SurveyAnswer, SurveyQuestionSet, SurveyResponse
from tests.factories import (
    attendee_token,
    held_session_with_people,
    make_organizer,
    make_session,
)

NEXT_STEP = "研修受講歴を人事と共有したい"


def messages(error: DomainError) -> list[tuple[str | None, str]]:
    return [(p.field, p.message % dict(p.params)) for p in error.problems]


async def access_of(attendee: dict[str, Any]) -> AttendeeAccess:
    return await attendee_by_token(attendee_token(attendee))


def full_answers(survey: SurveyView, **overrides: AnswerInput) -> dict[str, AnswerInput]:
    """Usefulness 5, understanding 4, reluctance 4 → 2, and two texts; `q<position>` overrides."""
    usefulness, understanding, reluctance, next_step, comment = survey.questions.questions
    answers = {
        str(usefulness.id): AnswerInput(score=5),
        str(understanding.id): AnswerInput(score=4),
        str(reluctance.id): AnswerInput(before=4, after=2),
        str(next_step.id): AnswerInput(text=NEXT_STEP),
        str(comment.id): AnswerInput(text=""),
    }
    for key, value in overrides.items():
        answers[str(survey.questions.questions[int(key[1:]) - 1].id)] = value
    return answers


async def response_counts() -> tuple[int, int]:
    return await SurveyResponse.count(), await SurveyAnswer.count()


async def test_a_series_gets_the_default_questions_once() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    first = await questions_for_editing(organizer, session.series_id)
    again = await ensure_question_set(session.series_id)
    assert (first.id, first.version, first.in_use) == (again.id, 1, False)
    assert [q.as_input() for q in first.questions] == list(DEFAULT_QUESTIONS)
    assert [q.kind for q in first.questions] == [
        QuestionKind.SCALE,
        QuestionKind.SCALE,
        QuestionKind.BEFORE_AFTER,
        QuestionKind.TEXT,
        QuestionKind.TEXT,
    ]
    usefulness = first.questions[0]
    assert usefulness.scored_levels == (
        (5, "とても役に立った"),
        (4, "役に立った"),
        (3, "どちらともいえない"),
        (2, "あまり役に立たなかった"),
        (1, "役に立たなかった"),
    )
    assert await SurveyQuestionSet.count() == 1


async def test_editing_unused_questions_changes_them_in_place() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    before = await questions_for_editing(organizer, session.series_id)
    saved, new_version = await save_questions(
        organizer,
        session.series_id,
        [
            QuestionInput("scale", " 満足度は？ ", (" 満足 ", "", "不満")),
            QuestionInput("text", "ご意見", ("無視される",)),
        ],
    )
    assert (saved.id, saved.version, new_version) == (before.id, 1, False)
    assert [q.as_input() for q in saved.questions] == [
        QuestionInput("scale", "満足度は？", ("満足", "不満")),
        QuestionInput("text", "ご意見", ()),
    ]


async def test_editing_questions_a_survey_uses_creates_a_new_version() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    await submit_survey(await access_of(people[0]), full_answers(survey))
    edited = [q.as_input() for q in survey.questions.questions[:2]]
    saved, new_version = await save_questions(organizer, session.series_id, edited)
    assert (saved.version, new_version, saved.in_use) == (2, True, False)
    assert len(saved.questions) == 2
    kept = await survey_of(session.id)
    assert kept is not None
    assert kept.questions == survey.questions
    assert len(kept.questions.questions) == 5
    assert await response_counts() == (1, 4)


async def test_saving_the_same_questions_changes_nothing() -> None:
    organizer = await make_organizer()
    session, _ = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    same = [q.as_input() for q in survey.questions.questions]
    saved, new_version = await save_questions(organizer, session.series_id, same)
    assert (saved.id, new_version) == (survey.questions.id, False)


async def test_bad_questions_are_refused_together_and_nothing_changes() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    before = await questions_for_editing(organizer, session.series_id)
    with pytest.raises(ValidationError) as refused:
        await save_questions(
            organizer,
            session.series_id,
            [
                QuestionInput("scale", "", ("はい",)),
                QuestionInput("before_after", "抵抗感", ("ある", "ある")),
                QuestionInput("poll", "種類が不明", ()),
            ],
        )
    assert messages(refused.value) == [
        ("questions.0.label", "質問1の文を入力してください。"),
        ("questions.0.levels", "質問1の選択肢は2〜10個にしてください（1行に1つ）。"),
        ("questions.1.levels", "質問2に同じ選択肢が2回あります。"),
        ("questions.2.kind", "質問3の種類を選んでください。"),
    ]
    with pytest.raises(ValidationError) as empty:
        await save_questions(organizer, session.series_id, [])
    assert messages(empty.value) == [("questions", "質問を1つ以上入力してください。")]
    assert await ensure_question_set(session.series_id) == before


async def test_another_organizer_cannot_see_or_edit_the_questions() -> None:
    owner = await make_organizer()
    session = await make_session(owner)
    stranger = await make_organizer()
    with pytest.raises(ForbiddenError):
        await questions_for_editing(stranger, session.series_id)
    with pytest.raises(ForbiddenError):
        await save_questions(stranger, session.series_id, list(DEFAULT_QUESTIONS[:1]))
    assert await SurveyQuestionSet.count() == 0


async def test_opening_mails_every_confirmed_attendee_their_survey_link() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer, capacity=5)
    await OutboxMessage.delete(force=True)
    survey = await open_survey(organizer, session.id)
    assert (survey.status, survey.is_open, survey.questions.version) == (
        SurveyStatus.OPEN,
        True,
        1,
    )
    confirmed = [p for p in people if p["status"] == "confirmed"]
    assert len(confirmed) == 5
    rows = await OutboxMessage.select().order_by(OutboxMessage.id)
    assert [(r["kind"], r["recipient"]) for r in rows] == [
        ("survey_invitation", p["email"]) for p in confirmed
    ]
    first = rows[0]
    link = f"http://tsunagu.test/a/{attendee_token(confirmed[0])}/survey"
    assert first["text_body"] == (
        f"{confirmed[0]['name']} 様\n\n"
        f"{format_day(session.starts_at)}の「{session.title}」にご参加いただき、ありがとうございました。\n"
        "今後の運営のため、アンケートへのご協力をお願いします（5分ほどで終わります）。\n\n"
        f"アンケートに答える:\n{link}\n\n"
        "このリンクはあなた専用です。ほかの方には共有しないでください。回答は1人1回です。\n"
        "自由記述のご意見は、回答時に同意いただいた場合に限り、お名前と自治体名を伏せて開催レポートに掲載します。\n\n"
        "--\nつなぐ 自治体情報交換会\n"
    )
    assert f'<a href="{link}">アンケートに答える</a>' in first["html_body"]
    assert first["subject"] == f"【アンケートのお願い】{session.title}"
    assert first["reply_to"] == session.organizer_email


async def test_opening_before_the_session_is_held_is_refused() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    with pytest.raises(ConflictError) as refused:
        await open_survey(organizer, session.id)
    assert messages(refused.value) == [
        ("status", "アンケートを送れるのは開催済みの情報交換会だけです。")
    ]
    assert await survey_of(session.id) is None


async def test_opening_twice_and_closing_twice_are_refused() -> None:
    organizer = await make_organizer()
    session, _ = await held_session_with_people(organizer)
    await open_survey(organizer, session.id)
    mails = await OutboxMessage.count()
    with pytest.raises(ConflictError) as twice:
        await open_survey(organizer, session.id)
    assert messages(twice.value) == [("status", "この情報交換会のアンケートはすでに送信済みです。")]
    closed = await close_survey(organizer, session.id)
    assert (closed.status, closed.closed_at is not None) == (SurveyStatus.CLOSED, True)
    with pytest.raises(ConflictError) as again:
        await close_survey(organizer, session.id)
    assert messages(again.value) == [("status", "このアンケートはすでに締め切られています。")]
    with pytest.raises(ConflictError) as reopen:
        await open_survey(organizer, session.id)
    assert messages(reopen.value) == [("status", "この情報交換会のアンケートは締め切り済みです。")]
    assert await OutboxMessage.count() == mails


async def test_closing_cancels_invitations_not_sent_yet() -> None:
    organizer = await make_organizer()
    session, _ = await held_session_with_people(organizer, people=1)
    await open_survey(organizer, session.id)
    await close_survey(organizer, session.id)
    statuses = await OutboxMessage.select(OutboxMessage.status).where(
        OutboxMessage.kind == "survey_invitation"
    )
    assert [row["status"] for row in statuses] == ["cancelled"] * 3


async def test_another_organizer_cannot_open_or_close() -> None:
    organizer = await make_organizer()
    session, _ = await held_session_with_people(organizer)
    stranger = await make_organizer()
    with pytest.raises(ForbiddenError):
        await open_survey(stranger, session.id)
    await open_survey(organizer, session.id)
    with pytest.raises(ForbiddenError):
        await close_survey(stranger, session.id)
    survey = await survey_of(session.id)
    assert survey is not None and survey.is_open


async def test_an_attendee_answers_once() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    access = await access_of(people[0])
    await submit_survey(access, full_answers(survey))
    state = await survey_for_attendee(access)
    assert (state.answered_at is not None, state.can_answer) == (True, False)
    stored = await SurveyAnswer.select(
        SurveyAnswer.question, SurveyAnswer.score, SurveyAnswer.after_score, SurveyAnswer.text
    ).order_by(SurveyAnswer.question)
    ids = [q.id for q in survey.questions.questions]
    assert stored == [
        {"question": ids[0], "score": 5, "after_score": None, "text": ""},
        {"question": ids[1], "score": 4, "after_score": None, "text": ""},
        {"question": ids[2], "score": 4, "after_score": 2, "text": ""},
        {"question": ids[3], "score": None, "after_score": None, "text": NEXT_STEP},
    ]


async def test_a_second_answer_is_refused_and_the_first_kept() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    access = await access_of(people[0])
    await submit_survey(access, full_answers(survey))
    with pytest.raises(ConflictError) as refused:
        await submit_survey(access, full_answers(survey, q1=AnswerInput(score=1)))
    assert messages(refused.value) == [
        ("status", "アンケートにはすでにご回答いただいています。回答は1人1回です。")
    ]
    assert await response_counts() == (1, 4)
    assert await SurveyAnswer.select(SurveyAnswer.score).where(
        SurveyAnswer.question == survey.questions.questions[0].id
    ) == [{"score": 5}]


async def test_answering_after_close_is_refused() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    await close_survey(organizer, session.id)
    with pytest.raises(ConflictError) as refused:
        await submit_survey(await access_of(people[0]), full_answers(survey))
    assert messages(refused.value) == [
        ("status", "このアンケートは締め切られました。回答の送信はできません。")
    ]
    assert await response_counts() == (0, 0)


async def test_answering_before_the_survey_opens_is_refused() -> None:
    organizer = await make_organizer()
    _, people = await held_session_with_people(organizer)
    with pytest.raises(ConflictError) as refused:
        await submit_survey(await access_of(people[0]), {})
    assert messages(refused.value) == [
        ("status", "この情報交換会のアンケートはまだ始まっていません。")
    ]


async def test_a_waitlisted_attendee_cannot_answer() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer, capacity=5)
    survey = await open_survey(organizer, session.id)
    [waiting] = [p for p in people if p["status"] == "waitlisted"]
    with pytest.raises(ForbiddenError) as refused:
        await submit_survey(await access_of(waiting), full_answers(survey))
    assert messages(refused.value) == [
        (
            "status",
            "アンケートにお答えいただけるのは、参加が確定していた方だけです。"
            "キャンセル待ちのままだった方・参加を取り消した方はお答えいただけません。",
        )
    ]
    assert await response_counts() == (0, 0)


async def test_a_cancelled_attendees_link_opens_nothing_and_says_why() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer, cancelled_code="341002")
    await open_survey(organizer, session.id)
    [cancelled, *_] = [p for p in people if p["status"] == "cancelled"]
    with pytest.raises(NotFoundError) as refused:
        await access_of(cancelled)
    assert messages(refused.value) == [("attendee", REMOVED)]


async def test_unknown_questions_and_out_of_range_values_are_refused() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    answers = full_answers(
        survey,
        q1=AnswerInput(score=6),
        q2=AnswerInput(score="とても"),
        q3=AnswerInput(before=0, after=None),
        q5=AnswerInput(text="あ" * 2001),
    )
    answers["99999"] = AnswerInput(score=3)
    with pytest.raises(ValidationError) as refused:
        await submit_survey(await access_of(people[0]), answers)
    ids = [q.id for q in survey.questions.questions]
    assert messages(refused.value) == [
        ("answers", "質問 99999 はこのアンケートにありません。"),
        (
            f"q-{ids[0]}",
            "「本日の情報交換会は、今後の業務に役に立ちましたか。」の回答「6」は選択肢にありません"
            "（1〜5の番号で答えてください）。",
        ),
        (
            f"q-{ids[1]}",
            "「デジタルに関する理解は深まりましたか。」の回答「とても」は選択肢にありません"
            "（1〜5の番号で答えてください）。",
        ),
        (
            f"q-{ids[2]}-before",
            "「デジタル関連の業務に取り組むことへの抵抗感はありますか（参加前・参加後）。」の参加前の"
            "評価「0」は選択肢にありません（1〜5の番号で答えてください）。",
        ),
        (
            f"q-{ids[2]}-after",
            "「デジタル関連の業務に取り組むことへの抵抗感はありますか（参加前・参加後）。」の参加後の"
            "評価を選んでください。",
        ),
        (f"q-{ids[4]}", "「ご意見・ご感想があればお書きください。」は2000文字以内にしてください。"),
    ]
    assert await response_counts() == (0, 0)


async def test_a_before_and_after_question_names_the_part_left_out() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    question = survey.questions.questions[2]
    label = f"「{question.label}」"
    for given, field, message in (
        (
            AnswerInput(after=2),
            f"q-{question.id}-before",
            f"{label}の参加前の評価を選んでください。",
        ),
        (
            AnswerInput(before=4),
            f"q-{question.id}-after",
            f"{label}の参加後の評価を選んでください。",
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            await submit_survey(await access_of(people[0]), full_answers(survey, q3=given))
        assert messages(refused.value) == [(field, message)]
    assert await response_counts() == (0, 0)


async def test_every_scale_question_must_be_answered() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    with pytest.raises(ValidationError) as refused:
        await submit_survey(await access_of(people[0]), {})
    assert [field for field, _ in messages(refused.value)] == [
        f"q-{survey.questions.questions[0].id}",
        f"q-{survey.questions.questions[1].id}",
        f"q-{survey.questions.questions[2].id}-before",
        f"q-{survey.questions.questions[2].id}-after",
    ]
    assert await response_counts() == (0, 0)


async def test_two_submissions_at_once_store_one_response() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    access = await access_of(people[0])
    results = await asyncio.gather(
        submit_survey(access, full_answers(survey)),
        submit_survey(access, full_answers(survey, q1=AnswerInput(score=1))),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(refused) == 1
    assert messages(refused[0]) == [("status", ALREADY_ANSWERED)]
    assert await response_counts() == (1, 4)


async def test_answers_racing_a_close_either_land_before_it_or_are_refused() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    access = await access_of(people[0])
    answered, closed = await asyncio.gather(
        submit_survey(access, full_answers(survey)),
        close_survey(organizer, session.id),
        return_exceptions=True,
    )
    assert isinstance(closed, SurveyView) and not closed.is_open
    stored = await SurveyResponse.select(SurveyResponse.submitted_at)
    if isinstance(answered, ConflictError):
        assert stored == []
    else:
        assert closed.closed_at is not None
        assert [row["submitted_at"] <= closed.closed_at for row in stored] == [True]


async def test_the_next_sessions_survey_uses_the_new_version() -> None:
    organizer = await make_organizer()
    session, _ = await held_session_with_people(organizer)
    first = await open_survey(organizer, session.id)
    edited = [q.as_input() for q in first.questions.questions[:3]]
    await save_questions(organizer, session.series_id, edited)
    later, _ = await held_session_with_people(
        organizer, codes=("350001",), series_id=session.series_id, days_ahead=60
    )
    second = await open_survey(organizer, later.id)
    assert (second.questions.version, len(second.questions.questions)) == (2, 3)
    kept = await survey_of(session.id)
    assert kept is not None
    assert (kept.questions.version, len(kept.questions.questions)) == (1, 5)
