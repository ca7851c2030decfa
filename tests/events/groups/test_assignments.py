"""Group assignment of a session: stored draft, hand moves, lock, publish, mails, encounters."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from events.accounts.organizers import OrganizerIdentity
from events.enums import GroupMode
from events.groups.assignments import assign_groups, lock
from events.groups.members import Parameters, members, request_for
from events.groups.moves import move_attendee
from events.groups.placement import group_of
from events.groups.queries import get_assignment
from events.lib.errors import ConflictError, DomainError, ValidationError
from events.organizing.session_actions import publish_groups, transition, update_session
from events.sessions.agenda import Segment
from events.sessions.exchange_sessions import ExchangeSessionView
from events.sessions.lifecycle import Transition
from events.tables import GroupAssignment, GroupSeat, OutboxMessage
from networking import encounters
from networking.assignment import assign
from tests.factories import (
    HR_POINTS,
    SEED_MUNICIPALITIES,
    attendee_input,
    make_organizer,
    published_session,
    register_delegation,
)

HR = Segment(kind="discussion", title="人事部門との連携", minutes=30, items=HR_POINTS)


async def setup(
    codes: tuple[str, ...] = SEED_MUNICIPALITIES, per_municipality: int = 1, **overrides: Any
) -> tuple[OrganizerIdentity, ExchangeSessionView, list[dict[str, Any]]]:
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, codes, **overrides)
    people: list[dict[str, Any]] = []
    for code in codes:
        inputs = [attendee_input(code, n) for n in range(1, per_municipality + 1)]
        people += await register_delegation(accesses[code], *inputs)
    return organizer, session, people


def layout(view: Any) -> dict[str, list[list[int]]]:
    return {
        topic.title: [[member.id for member in group.members] for group in topic.groups]
        for topic in view.topics
    }


async def counts() -> tuple[int, int]:
    return await GroupAssignment.count(), await GroupSeat.count()


async def mails(kind: str) -> list[str]:
    rows = await OutboxMessage.select(OutboxMessage.recipient).where(OutboxMessage.kind == kind)
    return sorted(row["recipient"] for row in rows)


async def test_assignment_is_stored_as_a_draft_and_read_back_the_same() -> None:
    organizer, session, people = await setup(per_municipality=2)
    view = await assign_groups(organizer, session.id, 3, 5, seed=7, mode="tracks")
    row = await GroupAssignment.select().first()
    assert row is not None
    assert (row["min_group_size"], row["max_group_size"], row["seed"]) == (3, 5, 7)
    assert (row["state"], row["published_at"]) == ("draft", None)
    assert await GroupSeat.count() == 14
    again = await get_assignment(organizer, session.id)
    assert again == view
    placed = sorted(m.id for t in view.topics for g in t.groups for m in g.members)
    assert placed == sorted(person["id"] for person in people)
    assert view.unplaced == ()
    # The stored reasons are the algorithm's for the same request.
    params = Parameters(GroupMode.TRACKS, 3, 5, 7)
    expected = assign(await request_for(session, await members(session.id), params))
    assert view.score == expected.score
    stored = [g.reason for t in view.topics for g in t.groups]
    assert stored == [g.reason for t in expected.topics for g in t.groups]
    assert [t.size_status for t in view.topics] == [t.size_status for t in expected.topics]


async def test_same_seed_same_groups_and_a_drawn_seed_is_stored() -> None:
    organizer, session, _ = await setup()
    first = await assign_groups(organizer, session.id, 2, 4, seed=3, mode="tracks")
    second = await assign_groups(organizer, session.id, 2, 4, seed=3, mode="tracks")
    assert layout(first) == layout(second)
    assert await counts() == (1, 7)
    drawn = await assign_groups(organizer, session.id, 2, 4, mode="tracks")
    assert 0 <= drawn.seed <= 2**31 - 1
    stored = await GroupAssignment.select(GroupAssignment.seed).first()
    assert stored is not None and stored["seed"] == drawn.seed


async def test_seven_municipalities_wanting_one_topic_meet_in_one_plenary_group() -> None:
    organizer = await make_organizer()
    session, accesses = await published_session(organizer)
    hr_topic = session.discussions[0].id
    assert hr_topic is not None
    for code in SEED_MUNICIPALITIES:
        await register_delegation(
            accesses[code], attendee_input(code, topic_preferences=(hr_topic,))
        )
    view = await assign_groups(organizer, session.id, 3, 8, seed=1, mode="tracks")
    hr, kpi = view.topics
    assert [len(group.members) for group in hr.groups] == [7]
    assert sorted(m.municipality_code for m in hr.groups[0].members) == sorted(SEED_MUNICIPALITIES)
    assert (hr.size_status, kpi.size_status, kpi.groups) == ("ok", "empty", ())
    assert hr.groups[0].label == "人事部門との連携 – グループA"
    assert view.score is not None
    assert (view.score.new_pairs, view.score.pairs, view.score.first_choice_rate) == (21, 21, 1.0)
    assert view.notes == ()


@pytest.mark.parametrize(
    ("low", "high", "seed", "field", "message"),
    [
        (
            5,
            4,
            1,
            "min_group_size",
            "グループの最小人数（%(min)d 人）が最大人数（%(max)d 人）を超えています。",
        ),
        (1, 1, 1, "max_group_size", "グループの最大人数は 2 人以上にしてください。"),
        (0, 4, 1, "min_group_size", "グループの最小人数は 1 人以上にしてください。"),
        (
            8,
            9,
            1,
            "min_group_size",
            "グループの最小人数（%(min)d 人）が参加確定者数（%(count)d 人）を超えています。",
        ),
        (2, 4, -1, "seed", "再現用の番号は 0〜%(max)d の整数にしてください。"),
    ],
)
async def test_impossible_bounds_are_refused_and_nothing_is_saved(
    low: int, high: int, seed: int, field: str, message: str
) -> None:
    organizer, session, _ = await setup()
    with pytest.raises(ValidationError) as refused:
        await assign_groups(organizer, session.id, low, high, seed=seed, mode="tracks")
    assert [(p.field, p.message) for p in refused.value.problems] == [(field, message)]
    assert await counts() == (0, 0)


async def test_a_session_without_discussion_topics_is_refused() -> None:
    sharing_only = (Segment(kind="sharing", title="情報共有", minutes=40, items=("DX推進計画",)),)
    organizer, session, _ = await setup(codes=SEED_MUNICIPALITIES[:3], agenda=sharing_only)
    with pytest.raises(ValidationError) as refused:
        await assign_groups(organizer, session.id, 2, 4, mode="tracks")
    assert [p.field for p in refused.value.problems] == ["topics"]
    assert str(refused.value) == (
        "次第に意見交換（討議テーマ）がありません。先に次第に追加してください。"
    )
    assert await counts() == (0, 0)


async def test_a_session_without_confirmed_attendees_is_refused() -> None:
    organizer = await make_organizer()
    session, _ = await published_session(organizer)
    with pytest.raises(ValidationError) as refused:
        await assign_groups(organizer, session.id, 2, 4, mode="tracks")
    assert [(p.field, str(p.message)) for p in refused.value.problems] == [
        ("attendees", "参加が確定した参加者がいません。")
    ]
    assert await counts() == (0, 0)


async def test_another_organizer_may_not_assign_or_read() -> None:
    _, session, _ = await setup(codes=SEED_MUNICIPALITIES[:3])
    stranger = await make_organizer()
    with pytest.raises(DomainError) as refused:
        await assign_groups(stranger, session.id, 2, 4, mode="tracks")
    assert refused.value.kind == "forbidden"
    with pytest.raises(DomainError) as refused:
        await get_assignment(stranger, session.id)
    assert refused.value.kind == "forbidden"
    assert await counts() == (0, 0)


async def test_moving_someone_rescores_and_keeps_other_groups() -> None:
    organizer, session, _ = await setup(agenda=(HR,))
    view = await assign_groups(organizer, session.id, 2, 3, seed=2, mode="tracks")
    (topic,) = view.topics
    assert sorted(len(g.members) for g in topic.groups) == [2, 2, 3]
    big = next(g for g in topic.groups if len(g.members) == 3)
    small, other = (g for g in topic.groups if len(g.members) == 2)
    moved = await move_attendee(organizer, session.id, big.members[0].id, topic.id, small.number)
    groups = {g.number: g for g in moved.topics[0].groups}
    assert (len(groups[big.number].members), len(groups[small.number].members)) == (2, 3)
    assert big.members[0].id in [m.id for m in groups[small.number].members]
    assert groups[other.number] == other
    assert moved.score is not None
    assert (moved.score.pairs, moved.score.new_pairs) == (5, 5)
    reason = groups[small.number].reason
    assert reason is not None
    assert (reason.new_pairs, reason.repeated_pairs) == (3, 0)


async def test_moving_into_a_new_group_and_emptying_one_keeps_the_labels() -> None:
    organizer, session, _ = await setup(codes=SEED_MUNICIPALITIES[:4], agenda=(HR,))
    view = await assign_groups(organizer, session.id, 2, 2, seed=2, mode="tracks")
    (topic,) = view.topics
    first, second = topic.groups
    moved = await move_attendee(organizer, session.id, first.members[0].id, topic.id, 3)
    assert [g.number for g in moved.topics[0].groups] == [1, 2, 3]
    moved = await move_attendee(organizer, session.id, first.members[1].id, topic.id, 3)
    assert [g.label for g in moved.topics[0].groups] == [
        "人事部門との連携 – グループB",
        "人事部門との連携 – グループC",
    ]
    assert moved.topics[0].groups[0].members == second.members


async def test_moving_an_attendee_of_another_session_is_refused_and_nothing_changes() -> None:
    organizer, session, _ = await setup(codes=SEED_MUNICIPALITIES[:3])
    _, _, others = await setup(codes=SEED_MUNICIPALITIES[3:5])
    view = await assign_groups(organizer, session.id, 2, 3, seed=1, mode="tracks")
    topic = view.topics[0]
    before = await GroupSeat.select().order_by(GroupSeat.id)
    reasons = await GroupAssignment.select(GroupAssignment.reasons).first()
    cases = [
        (
            others[0]["id"],
            topic.id,
            1,
            "attendee_id",
            "参加者 %(id)s はこの情報交換会の参加者ではありません。",
        ),
        (
            999999,
            topic.id,
            1,
            "attendee_id",
            "参加者 %(id)s はこの情報交換会の参加者ではありません。",
        ),
        (
            view.topics[0].groups[0].members[0].id,
            999999,
            1,
            "topic_id",
            "討議テーマ %(id)s はこの情報交換会の意見交換にありません。",
        ),
        (
            view.topics[0].groups[0].members[0].id,
            topic.id,
            topic.next_group_number + 1,
            "group",
            "グループ番号は 1〜%(max)d にしてください。",
        ),
    ]
    for attendee_id, topic_id, number, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            await move_attendee(organizer, session.id, attendee_id, topic_id, number)
        assert [(p.field, p.message) for p in refused.value.problems] == [(field, message)]
    assert await GroupSeat.select().order_by(GroupSeat.id) == before
    assert await GroupAssignment.select(GroupAssignment.reasons).first() == reasons


async def test_locked_assignment_is_not_run_again_but_people_can_move() -> None:
    organizer, session, _ = await setup(codes=SEED_MUNICIPALITIES[:4], agenda=(HR,))
    view = await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    locked = await lock(organizer, session.id)
    assert (locked.state, locked.state_label) == ("locked", "確定（未公開）")
    with pytest.raises(ConflictError):
        await assign_groups(organizer, session.id, 2, 2, seed=2, mode="tracks")
    with pytest.raises(ConflictError):
        await lock(organizer, session.id)
    person = view.topics[0].groups[0].members[0]
    moved = await move_attendee(organizer, session.id, person.id, view.topics[0].id, 2)
    assert len(moved.topics[0].groups[1].members) == 3


async def test_publishing_tells_everyone_their_group_once() -> None:
    organizer, session, people = await setup(codes=SEED_MUNICIPALITIES[:4], agenda=(HR,))
    await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    assert await group_of(people[0]["id"]) is None
    published = (await publish_groups(organizer, session.id)).view
    assert published.state == "published"
    assert published.published_at is not None
    assert await mails("group_assigned") == sorted(person["email"] for person in people)
    placement = await group_of(people[0]["id"])
    assert placement is not None
    assert placement.label.startswith("人事部門との連携 – グループ")
    [group] = placement.groups
    assert group.points == HR_POINTS
    assert len(group.municipalities) == 2
    await publish_groups(organizer, session.id)
    assert len(await mails("group_assigned")) == 4
    assert await mails("group_changed") == []


async def test_a_change_after_publishing_mails_only_those_whose_group_changed() -> None:
    organizer, session, _ = await setup(codes=SEED_MUNICIPALITIES[:6], agenda=(HR,))
    view = await assign_groups(organizer, session.id, 2, 3, seed=4, mode="tracks")
    await publish_groups(organizer, session.id)
    topic = view.topics[0]
    mover, wanderer = topic.groups[0].members[0], topic.groups[1].members[0]
    # One person moves for good; another moves away and back before publishing: no news.
    await move_attendee(organizer, session.id, mover.id, topic.id, 2)
    await move_attendee(organizer, session.id, wanderer.id, topic.id, 1)
    changed = await move_attendee(organizer, session.id, wanderer.id, topic.id, 2)
    assert [m.id for m in changed.changed] == [mover.id]
    assert await group_of(mover.id) == await group_of(topic.groups[0].members[1].id)
    await publish_groups(organizer, session.id)
    assert await mails("group_changed") == [mover.email]
    assert len(await mails("group_assigned")) == 6
    message = await OutboxMessage.select().where(OutboxMessage.kind == "group_changed").first()
    assert message is not None
    assert "変更前: 人事部門との連携 – グループA" in message["text_body"]
    assert "変更後: 人事部門との連携 – グループB" in message["text_body"]
    assert "あなたのグループ: 人事部門との連携 – グループB" in message["calendar"].replace(
        "\r\n ", ""
    )
    placement = await group_of(mover.id)
    assert placement is not None and [g.group_number for g in placement.groups] == [2]


async def test_group_mail_carries_group_topic_points_and_join_details() -> None:
    organizer, session, people = await setup(codes=SEED_MUNICIPALITIES[:2], agenda=(HR,))
    await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    await publish_groups(organizer, session.id)
    row = (
        await OutboxMessage.select()
        .where(
            OutboxMessage.kind == "group_assigned", OutboxMessage.recipient == people[0]["email"]
        )
        .first()
    )
    assert row is not None
    text = row["text_body"]
    assert row["subject"].startswith("【グループのお知らせ】第3回 情報交換会（")
    assert "あなたのグループは「人事部門との連携 – グループA」です。" in text
    assert "■ あなたのグループ\n人事部門との連携 – グループA\n" in text
    assert "   - 研修受講歴の人事部門への共有\n" in text
    assert "■ 同じグループの自治体\n岡山県・岡山県岡山市\n" in text
    assert "パスコード: tsunagu" in text
    assert "<p>人事部門との連携 – グループA</p>" in row["html_body"]
    assert row["calendar_method"] == "REQUEST"
    unfolded = row["calendar"].replace("\r\n ", "")
    assert "DESCRIPTION:" in unfolded
    assert "あなたのグループ: 人事部門との連携 – グループA" in unfolded


async def test_later_mails_to_a_placed_attendee_name_their_group() -> None:
    organizer, session, people = await setup(codes=SEED_MUNICIPALITIES[:2], agenda=(HR,))
    await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    await publish_groups(organizer, session.id)
    await update_session(organizer, session.id, {"meeting_passcode": "changed"})
    update = (
        await OutboxMessage.select()
        .where(OutboxMessage.kind == "update", OutboxMessage.recipient == people[1]["email"])
        .first()
    )
    assert update is not None
    assert "■ あなたのグループ\n人事部門との連携 – グループA\n" in update["text_body"]
    reminder = (
        await OutboxMessage.select()
        .where(
            OutboxMessage.kind == "reminder",
            OutboxMessage.recipient == people[1]["email"],
            OutboxMessage.status == "pending",
        )
        .first()
    )
    assert reminder is not None
    assert "人事部門との連携 – グループA" in reminder["text_body"]


async def held(organizer: OrganizerIdentity, session: ExchangeSessionView) -> None:
    await transition(
        organizer, session.id, Transition.MARK_HELD, now=session.starts_at + dt.timedelta(hours=3)
    )


async def test_marking_held_records_who_met_in_which_group() -> None:
    organizer, session, _ = await setup(codes=SEED_MUNICIPALITIES[:4], agenda=(HR,))
    view = await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    await publish_groups(organizer, session.id)
    await held(organizer, session)
    groups = [sorted(m.municipality_code for m in g.members) for g in view.topics[0].groups]
    expected = {frozenset(pair): 1 for pair in groups}
    assert await encounters.history() == expected
    assert await encounters.history(SEED_MUNICIPALITIES[:2], before=session.starts_at) == {}


async def test_a_session_held_without_a_published_assignment_records_nothing() -> None:
    organizer, session, _ = await setup(codes=SEED_MUNICIPALITIES[:4], agenda=(HR,))
    await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    await held(organizer, session)
    assert await encounters.history() == {}
    with pytest.raises(ConflictError):
        await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")


@pytest.mark.parametrize("seed", range(4))
async def test_pairs_met_in_an_earlier_held_session_are_avoided_next_time(seed: int) -> None:
    codes = SEED_MUNICIPALITIES[:4]
    organizer, first, _ = await setup(codes=codes, agenda=(HR,))
    view = await assign_groups(organizer, first.id, 2, 2, seed=seed, mode="tracks")
    await publish_groups(organizer, first.id)
    await held(organizer, first)
    met = {frozenset(m.municipality_code for m in g.members) for g in view.topics[0].groups}
    later = dataclasses.replace(first, starts_at=first.starts_at + dt.timedelta(days=30))
    second, accesses = await published_session(
        organizer, codes, agenda=(HR,), starts_at=later.starts_at
    )
    for code in codes:
        await register_delegation(accesses[code])
    again = await assign_groups(organizer, second.id, 2, 2, seed=seed, mode="tracks")
    now_met = {frozenset(m.municipality_code for m in g.members) for g in again.topics[0].groups}
    assert now_met.isdisjoint(met)
    assert again.score is not None
    assert (again.score.repeated_pairs, again.score.new_pairs) == (0, 2)
