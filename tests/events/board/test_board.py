"""The board's domain: who may read and write, posts and history, helpful marks, moderation."""

from __future__ import annotations

import datetime as dt

import pytest

from events.board import posts as board_posts
from events.board.access import NOT_A_MEMBER, member_by_token
from events.board.moderation import ModerationTarget, moderate, promote
from events.board.posts import QuestionInput, TooManyPosts, answer, ask, mark_helpful
from events.board.practices import practices_for
from events.board.queries import (
    BoardFilter,
    get_question,
    list_questions,
    related_choices,
    theme_counts,
)
from events.board.text import MAX_BODY, parse_themes, render
from events.lib.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from events.organizing.session_actions import transition
from events.registrations.registrations import cancel
from events.sessions.exchange_sessions import get_session
from events.sessions.lifecycle import Transition
from events.tables import (
    BoardAnswer,
    BoardModeration,
    BoardQuestion,
    BoardRevision,
    OutboxMessage,
)
from tests.factories import (
    BOARD_CODES,
    BoardWorld,
    attendee_token,
    board_world,
    future_weekday,
    make_organizer,
    make_session,
    published_session,
    register_delegation,
)

OKAYAMA, OKAYAMA_CITY, HIROSHIMA_CITY = BOARD_CODES
QUESTION = QuestionInput(
    title="研修受講歴を人事部門とどう共有していますか",
    body="受講歴の管理方法を教えてください。\n・システム\n・Excel",
    themes=("人事", "研修"),
)


@pytest.fixture
async def world() -> BoardWorld:
    return await board_world()


async def counts() -> tuple[int, int, int, int]:
    return (
        await BoardQuestion.count(),
        await BoardAnswer.count(),
        await BoardRevision.count(),
        await OutboxMessage.count(),
    )


async def test_attendee_asks_and_others_answer_with_municipality_and_consented_name(
    world: BoardWorld,
) -> None:
    asker = await member_by_token(world.tokens[OKAYAMA_CITY])
    question_id = await ask(asker, QUESTION)
    await answer(await member_by_token(world.tokens[OKAYAMA]), question_id, "人事と共有しています")
    await answer(await member_by_token(world.tokens[HIROSHIMA_CITY]), question_id, "Excelです")
    view = await get_question(world.series_id, question_id)
    assert view.title == QUESTION.title
    assert view.themes == ("人事", "研修")
    assert view.author == "岡山県岡山市 デジタル推進課"
    assert [a.author for a in view.answers] == [
        "岡山県 デジタル推進課 参加者330001の1",
        "広島県広島市 デジタル推進課",
    ]
    assert view.status == "open"


async def test_member_of_another_series_coordinator_and_unknown_tokens_are_refused(
    world: BoardWorld,
) -> None:
    outsider = await member_by_token(world.outsider_token)
    question_id = await ask(await member_by_token(world.tokens[OKAYAMA]), QUESTION)
    before = await counts()
    with pytest.raises(NotFoundError):
        await answer(outsider, question_id, "よその回答")
    with pytest.raises(ForbiddenError):
        await ask(outsider, QuestionInput(**{**QUESTION.__dict__, "series_id": world.series_id}))
    for token in (world.coordinator_tokens[OKAYAMA], "x" * 32, "short"):
        with pytest.raises(NotFoundError):
            await member_by_token(token)
    assert await counts() == before


async def test_cancelled_attendee_loses_access_at_once(world: BoardWorld) -> None:
    _, accesses = await published_session(
        world.organizer, ("370002",), series_id=world.series_id, starts_at=future_weekday(45)
    )
    [person] = await register_delegation(accesses["370002"])
    member = await member_by_token(attendee_token(person))
    assert (member.series_id, member.municipality_name) == (world.series_id, "香川県")
    await cancel(accesses["370002"])
    with pytest.raises(NotFoundError):
        await member_by_token(attendee_token(person))


async def test_empty_and_oversized_posts_are_refused_with_fields(world: BoardWorld) -> None:
    member = await member_by_token(world.tokens[OKAYAMA])
    before = await counts()
    with pytest.raises(ValidationError) as refused:
        await ask(member, QuestionInput(title=" ", body="\n", themes=("あ" * 21,)))
    assert [p.field for p in refused.value.problems] == ["title", "body", "themes"]
    with pytest.raises(ValidationError) as too_long:
        await ask(member, QuestionInput(title="件名", body="あ" * (MAX_BODY + 1)))
    assert too_long.value.problems[0].params == {"max": MAX_BODY, "length": MAX_BODY + 1}
    assert await counts() == before


async def test_flooding_is_refused_after_the_burst_allowance(world: BoardWorld) -> None:
    member = await member_by_token(world.tokens[OKAYAMA])
    now = dt.datetime.now(dt.UTC)
    question_id = await ask(member, QUESTION, now=now)
    for n in range(board_posts.BURST_POSTS - 1):
        await answer(member, question_id, f"追記{n}", now=now)
    with pytest.raises(TooManyPosts):
        await answer(member, question_id, "もう一件", now=now)
    assert await BoardAnswer.count() == board_posts.BURST_POSTS - 1
    later = now + board_posts.BURST_WINDOW + dt.timedelta(seconds=1)
    await answer(member, question_id, "時間をおいて", now=later)


async def test_editing_keeps_the_previous_text_and_only_the_author_may_edit(
    world: BoardWorld,
) -> None:
    asker = await member_by_token(world.tokens[OKAYAMA])
    other = await member_by_token(world.tokens[HIROSHIMA_CITY])
    question_id = await ask(asker, QUESTION)
    changed = QuestionInput(title="研修受講歴の共有方法", body="新しい本文", themes=("人事",))
    with pytest.raises(ForbiddenError):
        await board_posts.edit_question(other, question_id, changed)
    await board_posts.edit_question(asker, question_id, changed)
    view = await get_question(world.series_id, question_id)
    assert (view.title, view.body, view.themes, view.edited) == (
        "研修受講歴の共有方法",
        "新しい本文",
        ("人事",),
        True,
    )
    [revision] = await BoardRevision.select()
    assert (revision["title"], revision["body"]) == (QUESTION.title, QUESTION.body)


async def test_helpful_marks_move_status_and_only_the_asker_marks(world: BoardWorld) -> None:
    asker = await member_by_token(world.tokens[OKAYAMA])
    helper = await member_by_token(world.tokens[HIROSHIMA_CITY])
    question_id = await ask(asker, QUESTION)
    answer_id = await answer(helper, question_id, "このようにしています")
    with pytest.raises(ForbiddenError):
        await mark_helpful(helper, answer_id)
    assert await mark_helpful(asker, answer_id) == "answered"
    assert await mark_helpful(asker, answer_id, resolved=True) == "resolved"
    assert await mark_helpful(asker, answer_id, helpful=False, resolved=False) == "open"
    assert await mark_helpful(asker, answer_id) == "answered"
    assert (await get_question(world.series_id, question_id)).answers[0].helpful is True


async def test_search_finds_two_character_words_in_questions_and_answers_literally(
    world: BoardWorld,
) -> None:
    asker = await member_by_token(world.tokens[OKAYAMA])
    first = await ask(asker, QUESTION)
    second = await ask(asker, QuestionInput(title="KPIの測り方", body="100%達成の基準は？"))
    await answer(await member_by_token(world.tokens[HIROSHIMA_CITY]), second, "人事評価と連動")

    async def found(**criteria: str) -> list[int]:
        return [q.id for q in await list_questions(world.series_id, BoardFilter(**criteria))]

    assert await found(query="人事") == [second, first]
    assert await found(query="人事 ＫＰＩ") == [second]
    assert await found(query="%") == [second]
    assert await found(query="_") == []
    assert await found(theme="研修") == [first]
    assert await found(status="resolved") == []
    assert await theme_counts(world.series_id) == [("人事", 1), ("研修", 1)]


async def test_moderation_by_the_organizer_hides_locks_and_is_recorded(
    world: BoardWorld,
) -> None:
    asker = await member_by_token(world.tokens[OKAYAMA])
    question_id = await ask(asker, QUESTION)
    stranger = await make_organizer()
    with pytest.raises(ForbiddenError):
        await moderate(stranger, world.series_id, ModerationTarget(question_id), "hide")
    assert await BoardModeration.count() == 0
    await moderate(world.organizer, world.series_id, ModerationTarget(question_id), "lock")
    with pytest.raises(ConflictError):
        await answer(await member_by_token(world.tokens[HIROSHIMA_CITY]), question_id, "回答")
    await moderate(world.organizer, world.series_id, ModerationTarget(question_id), "hide", "重複")
    assert await list_questions(world.series_id, BoardFilter()) == []
    assert [q.id for q in await list_questions(world.series_id, BoardFilter(), moderate=True)] == [
        question_id
    ]
    with pytest.raises(NotFoundError):
        await get_question(world.series_id, question_id)
    actions = [
        (r["action"], r["reason"])
        for r in await BoardModeration.select().order_by(BoardModeration.id)
    ]
    assert actions == [("lock", ""), ("hide", "重複")]


async def test_promotion_appends_a_topic_to_the_next_sessions_agenda_once(
    world: BoardWorld,
) -> None:
    question_id = await ask(await member_by_token(world.tokens[OKAYAMA]), QUESTION)
    before = await get_session(world.next_session_id)
    promotion = await promote(world.organizer, world.series_id, question_id)
    after = await get_session(world.next_session_id)
    assert promotion.session_id == world.next_session_id
    assert [s.title for s in after.agenda] == [*(s.title for s in before.agenda), QUESTION.title]
    assert after.agenda[-1].kind == "discussion"
    assert after.agenda[-1].id == promotion.segment_id
    with pytest.raises(ConflictError):
        await promote(world.organizer, world.series_id, question_id)
    with pytest.raises(ForbiddenError):
        await promote(await make_organizer(), world.series_id, question_id)


def test_render_escapes_html_and_keeps_only_links_and_lists() -> None:
    html = render(
        "<script>alert(1)</script>\nhttps://example.jp/a?b=1&c=2\n\n・一つ目\n・<b>二つ目</b>"
    )
    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>\n"
        '<a href="https://example.jp/a?b=1&amp;c=2" rel="nofollow noopener noreferrer ugc">'
        "https://example.jp/a?b=1&amp;c=2</a></p>\n"
        "<ul><li>一つ目</li><li>&lt;b&gt;二つ目&lt;/b&gt;</li></ul>"
    )
    assert render('javascript:alert(1) "x"') == "<p>javascript:alert(1) &#34;x&#34;</p>"


def test_themes_are_read_from_commas_and_hashes_once_each() -> None:
    assert parse_themes("#人事、ＫＰＩ, 人事  研修") == ("人事", "KPI", "研修")


async def test_related_point_must_belong_to_the_series(world: BoardWorld) -> None:
    member = await member_by_token(world.tokens[OKAYAMA])
    own_point = world.session.discussions[0].item_ids[1]
    question_id = await ask(member, QuestionInput(**{**QUESTION.__dict__, "item_id": own_point}))
    view = await get_question(world.series_id, question_id)
    assert (view.segment_title, view.item_text) == (
        "人事部門との連携",
        "研修受講歴の人事部門への共有",
    )
    outsider = await member_by_token(world.outsider_token)
    foreign_point = (await get_session(outsider.session.id)).discussions[0].item_ids[0]
    with pytest.raises(ValidationError) as refused:
        await ask(member, QuestionInput(**{**QUESTION.__dict__, "item_id": foreign_point}))
    assert refused.value.problems[0].field == "related"
    assert await BoardQuestion.count() == 1


async def test_edits_count_towards_the_flooding_allowance(world: BoardWorld) -> None:
    member = await member_by_token(world.tokens[OKAYAMA])
    now = dt.datetime.now(dt.UTC)
    question_id = await ask(member, QUESTION, now=now)
    for n in range(board_posts.BURST_POSTS - 1):
        edit = QuestionInput(title=f"件名{n}", body="本文")
        await board_posts.edit_question(member, question_id, edit, now=now)
    with pytest.raises(TooManyPosts):
        await board_posts.edit_question(member, question_id, QUESTION, now=now)
    assert await BoardRevision.count() == board_posts.BURST_POSTS - 1


async def test_hidden_question_refuses_answers_as_not_found(world: BoardWorld) -> None:
    question_id = await ask(await member_by_token(world.tokens[OKAYAMA]), QUESTION)
    await moderate(world.organizer, world.series_id, ModerationTarget(question_id), "hide")
    with pytest.raises(NotFoundError):
        await answer(await member_by_token(world.tokens[HIROSHIMA_CITY]), question_id, "回答")
    await moderate(world.organizer, world.series_id, ModerationTarget(question_id), "restore")
    await answer(await member_by_token(world.tokens[HIROSHIMA_CITY]), question_id, "回答")
    assert await BoardAnswer.count() == 1


async def test_promotion_without_a_next_session_is_refused(world: BoardWorld) -> None:

    question_id = await ask(await member_by_token(world.tokens[OKAYAMA]), QUESTION)
    await transition(world.organizer, world.next_session_id, Transition.CANCEL)
    with pytest.raises(ConflictError) as refused:
        await promote(world.organizer, world.series_id, question_id)
    assert refused.value.problems[0].field == "session"
    assert (await BoardQuestion.select(BoardQuestion.promoted_segment).first()) == {
        "promoted_segment": None
    }


async def test_waitlisted_attendee_is_refused_until_confirmed(world: BoardWorld) -> None:
    _, accesses = await published_session(
        world.organizer,
        ("370002", "390003"),
        series_id=world.series_id,
        starts_at=future_weekday(45),
        capacity=1,
    )
    await register_delegation(accesses["370002"])
    [waiting] = await register_delegation(accesses["390003"])
    assert waiting["status"] == "waitlisted"
    with pytest.raises(ForbiddenError) as refused:
        await member_by_token(attendee_token(waiting))
    assert refused.value.problems[0].message == NOT_A_MEMBER


async def test_ask_form_refers_to_held_sessions_only_latest_first(world: BoardWorld) -> None:
    later = await make_session(
        world.organizer,
        series_id=world.series_id,
        title="第4回 情報交換会",
        starts_at=world.session.starts_at + dt.timedelta(days=7),
    )
    await transition(world.organizer, later.id, Transition.PUBLISH)
    await transition(world.organizer, later.id, Transition.MARK_HELD, now=later.ends_at)
    choices = await related_choices(world.series_id)
    topics = [int(c.value.removeprefix("segment:")) for c in choices if "segment:" in c.value]
    upcoming = await get_session(world.next_session_id)
    assert upcoming.discussions
    assert topics == [s.id for s in (*later.discussions, *world.session.discussions)]
    assert choices[0].label == f"第4回 情報交換会: {later.discussions[0].title}"


async def test_practices_found_by_several_words_come_latest_session_first(
    world: BoardWorld,
) -> None:
    """The first word finds an older session's practice, the second a newer one's."""
    for days, code, text in (
        (100, "370002", "防災の研修を続けています"),
        (120, "380008", "人事評価に反映"),
    ):
        session, accesses = await published_session(
            world.organizer, (code,), starts_at=future_weekday(days)
        )
        [(item_id, _), *_] = session.sharing_items
        await register_delegation(accesses[code], answers={item_id: text})
        await transition(world.organizer, session.id, Transition.MARK_HELD, now=session.ends_at)
    member = await member_by_token(world.tokens[OKAYAMA])
    question_id = await ask(
        member,
        QuestionInput(title="研修と人事", body="教えてください", themes=("防災", "人事評価")),
    )
    practices = await practices_for(await get_question(world.series_id, question_id))
    assert [(p.code, p.answer) for p in practices] == [
        ("380008", "人事評価に反映"),
        ("370002", "防災の研修を続けています"),
    ]
