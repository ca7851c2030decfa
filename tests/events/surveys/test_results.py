"""Survey results: counts per level, means, before/after movement, texts, and their rendering."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any

from events.enums import QuestionKind, SurveyStatus
from events.registrations.attendee_access import attendee_by_token
from events.sessions.exchange_sessions import ExchangeSessionView
from events.surveys.answers import AnswerInput, submit_survey
from events.surveys.results import survey_summary
from events.surveys.summary import BeforeAfterResult, LevelCount, QuestionResult, SurveySummary
from events.surveys.surveys import SurveyView, open_survey
from events.templating import render
from tests.factories import attendee_token, held_session_with_people, make_organizer

SVG = "{http://www.w3.org/2000/svg}"
# usefulness, understanding, reluctance before → after, what next, comment
ANSWERS = (
    (5, 4, (4, 2), "研修受講歴を人事と共有したい", ""),
    (5, 5, (5, 3), "", "他市の事例が参考になりました"),
    (4, 3, (2, 2), "ITパスポートの受験補助", ""),
    (2, 4, (1, 3), "", ""),
)
USEFULNESS: tuple[str, ...] = ("とても役に立った", "役に立った", "どちらともいえない")
USEFULNESS += ("あまり役に立たなかった", "役に立たなかった")
UNDERSTANDING: tuple[str, ...] = ("とても深まった", "深まった", "どちらともいえない")
UNDERSTANDING += ("あまり深まらなかった", "深まらなかった")
RELUCTANCE: tuple[str, ...] = ("とても感じる", "やや感じる", "どちらともいえない", "あまり感じない")
RELUCTANCE += ("まったく感じない",)


def levels(labels: tuple[str, ...], *counts: int) -> tuple[LevelCount, ...]:
    total = sum(counts)
    return tuple(
        LevelCount(score=5 - index, label=label, count=count, share=count / total)
        for index, (label, count) in enumerate(zip(labels, counts, strict=True))
    )


async def answered_survey() -> tuple[ExchangeSessionView, SurveyView, list[dict[str, Any]]]:
    """Six attendees were asked; four answered as ANSWERS says, a minute apart."""
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    ids = [str(q.id) for q in survey.questions.questions]
    start = dt.datetime(2030, 1, 10, 9, 0, tzinfo=dt.UTC)
    for number, (person, answer) in enumerate(zip(people, ANSWERS, strict=False)):
        usefulness, understanding, (before, after), next_step, comment = answer
        await submit_survey(
            await attendee_by_token(attendee_token(person)),
            {
                ids[0]: AnswerInput(score=usefulness),
                ids[1]: AnswerInput(score=str(understanding)),
                ids[2]: AnswerInput(before=before, after=after),
                ids[3]: AnswerInput(text=next_step),
                ids[4]: AnswerInput(text=comment),
            },
            now=start + dt.timedelta(minutes=number),
        )
    return session, survey, people


async def test_summary_counts_every_level_in_order_with_means() -> None:
    session, survey, _ = await answered_survey()
    summary = await survey_summary(session.id)
    assert summary is not None
    ids = [q.id for q in survey.questions.questions]
    assert (summary.respondents, summary.attendees_asked, summary.response_rate) == (4, 6, 4 / 6)
    assert (summary.status, summary.question_set_version) == (SurveyStatus.OPEN, 1)
    assert summary.questions[0] == QuestionResult(
        question_id=ids[0],
        position=1,
        label="本日の情報交換会は、今後の業務に役に立ちましたか。",
        kind=QuestionKind.SCALE,
        answered=4,
        levels=levels(USEFULNESS, 2, 1, 0, 1, 0),
        mean=4.0,
    )
    assert summary.questions[1].levels == levels(UNDERSTANDING, 1, 2, 1, 0, 0)
    assert summary.questions[1].mean == 4.0


async def test_before_after_gives_both_distributions_and_the_share_that_decreased() -> None:
    session, _, _ = await answered_survey()
    summary = await survey_summary(session.id)
    assert summary is not None
    reluctance = summary.questions[2]
    assert (reluctance.kind, reluctance.answered, reluctance.levels, reluctance.mean) == (
        QuestionKind.BEFORE_AFTER,
        4,
        (),
        None,
    )
    assert reluctance.before_after == BeforeAfterResult(
        before=levels(RELUCTANCE, 1, 1, 0, 1, 1),
        after=levels(RELUCTANCE, 0, 0, 2, 2, 0),
        mean_before=3.0,
        mean_after=2.5,
        decreased=2,
        unchanged=1,
        increased=1,
    )
    assert (reluctance.before_after.paired, reluctance.before_after.decreased_share) == (4, 0.5)


async def test_free_texts_come_in_answer_order_without_names() -> None:
    session, _, people = await answered_survey()
    summary = await survey_summary(session.id)
    assert summary is not None
    next_step, comment = summary.questions[3:]
    assert (next_step.answered, next_step.texts) == (
        2,
        ("研修受講歴を人事と共有したい", "ITパスポートの受験補助"),
    )
    assert (comment.kind, comment.texts, comment.mean) == (
        QuestionKind.TEXT,
        ("他市の事例が参考になりました",),
        None,
    )
    described = repr(summary)
    for person in people:
        assert person["name"] not in described
        assert person["email"] not in described


async def test_no_summary_before_a_survey_is_opened() -> None:
    organizer = await make_organizer()
    session, _ = await held_session_with_people(organizer)
    assert await survey_summary(session.id) is None


async def test_a_survey_without_answers_has_zero_counts_and_no_means() -> None:
    organizer = await make_organizer()
    session, _ = await held_session_with_people(organizer)
    await open_survey(organizer, session.id)
    summary = await survey_summary(session.id)
    assert summary is not None
    assert (summary.respondents, summary.attendees_asked) == (0, 6)
    usefulness, _, reluctance, next_step, _ = summary.questions
    assert [level.count for level in usefulness.levels] == [0, 0, 0, 0, 0]
    assert [level.share for level in usefulness.levels] == [0.0] * 5
    assert usefulness.mean is None
    assert reluctance.before_after is not None
    assert (reluctance.before_after.mean_before, reluctance.before_after.decreased_share) == (
        None,
        None,
    )
    assert next_step.texts == ()


def charts_and_tables(html: str) -> list[tuple[ET.Element, str]]:
    """Each chart parsed as XML, with the markup between it and the next chart."""
    pieces = re.split(r"(<svg\b.*?</svg>)", html, flags=re.DOTALL)
    charts = []
    for index in range(1, len(pieces), 2):
        svg = ET.fromstring(pieces[index])  # noqa: S314 (markup drawn by our own code)
        charts.append((svg, pieces[index + 1]))
    return charts


async def test_results_partial_draws_a_chart_with_a_table_for_each_scale() -> None:
    session, survey, _ = await answered_survey()
    summary = await survey_summary(session.id)
    assert isinstance(summary, SurveySummary)
    html = render("survey/_results.html.jinja2", summary=summary)
    assert "<script" not in html
    assert "回答者 4人 / 参加者 6人（回答率 67%）" in html
    charts = charts_and_tables(html)
    assert len(charts) == 3
    ids = [q.id for q in survey.questions.questions]
    for (svg, after), question_id in zip(charts, ids, strict=False):
        chart_id = f"survey-{session.id}-q{question_id}"
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.get("id") == f"{chart_id}-title"
        assert desc is not None and desc.get("id") == f"{chart_id}-desc"
        assert after.lstrip().startswith('<table class="data-table survey-table">')
    usefulness, _, reluctance = (svg for svg, _ in charts)
    assert usefulness.findtext(f"{SVG}desc") == (
        "回答4件。とても役に立った 2件、役に立った 1件、どちらともいえない 0件、"
        "あまり役に立たなかった 1件、役に立たなかった 0件。"
    )
    assert "参加前: とても感じる 1件" in (reluctance.findtext(f"{SVG}desc") or "")
    assert '<th scope="row">とても役に立った</th><td>2</td><td>50%</td>' in html
    assert '<th scope="row">とても感じる</th><td>1件（25%）</td><td>0件（0%）</td>' in html
    assert "参加後に下がった方: 2人（50%）、変わらない方: 1人、上がった方: 1人" in html
    assert "<li>他市の事例が参考になりました</li>" in html
