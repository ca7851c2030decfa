"""Discussion rounds: everyone in every discussion, moves per round, mails, encounters."""

from __future__ import annotations

import datetime as dt
from itertools import combinations
from typing import Any

import pytest

from events.accounts.organizers import OrganizerIdentity
from events.groups.assignments import assign_groups, default_mode
from events.groups.exports import rotation_sheet, zoom_csv
from events.groups.moves import move_attendee
from events.groups.placement import group_of
from events.groups.queries import AssignmentView, get_assignment
from events.invitations.invitations import CoordinatorAccess
from events.lib.errors import ConflictError, ValidationError
from events.organizing.session_actions import publish_groups, transition
from events.sessions.agenda import Segment
from events.sessions.exchange_sessions import ExchangeSessionView
from events.sessions.lifecycle import Transition
from events.tables import GroupSeat, OutboxMessage
from networking import encounters
from tests.factories import (
    HR_POINTS,
    SEED_MUNICIPALITIES,
    attendee_input,
    discussion_ids,
    make_organizer,
    published_session,
    register_delegation,
)

LATE = "332020"  # 倉敷市: invited too, registers after the groups were published


async def seed_session(
    per_municipality: int = 2, **overrides: Any
) -> tuple[OrganizerIdentity, ExchangeSessionView, list[dict[str, Any]]]:
    """The seed's session: seven municipalities, two people each, two discussions in a row."""
    organizer = await make_organizer()
    codes = (*SEED_MUNICIPALITIES, LATE)
    session, accesses = await published_session(organizer, codes, **overrides)
    LATE_ACCESS[session.id] = accesses[LATE]
    people: list[dict[str, Any]] = []
    for code in SEED_MUNICIPALITIES:
        inputs = [attendee_input(code, n) for n in range(1, per_municipality + 1)]
        people += await register_delegation(accesses[code], *inputs)
    return organizer, session, people


LATE_ACCESS: dict[int, CoordinatorAccess] = {}


def groups_of(view: AssignmentView) -> list[list[set[int]]]:
    return [[{m.id for m in g.members} for g in t.groups] for t in view.topics]


def met_pairs(groups: list[set[int]]) -> set[frozenset[int]]:
    return {frozenset(pair) for group in groups for pair in combinations(sorted(group), 2)}


async def test_the_seed_agenda_defaults_to_rounds_and_everyone_joins_both() -> None:
    organizer, session, people = await seed_session()
    assert default_mode(session) == "rounds"
    view = await assign_groups(organizer, session.id, 3, 5, seed=7)
    assert view.is_rounds
    everyone = {person["id"] for person in people}
    first, second = groups_of(view)
    assert set().union(*first) == set().union(*second) == everyone
    assert met_pairs(first).isdisjoint(met_pairs(second))
    code = {m.id: m.municipality_code for t in view.topics for g in t.groups for m in g.members}
    for group in first + second:
        assert len({code[i] for i in group}) == len(group)  # no colleagues together
    assert view.score is not None
    assert (view.score.again_in_session, view.score.same_municipality_pairs) == (0, 0)
    assert [t.round_mark for t in view.topics] == ["①", "②"]
    assert await GroupSeat.count() == 28
    assert await get_assignment(organizer, session.id) == view


async def test_a_single_discussion_defaults_to_tracks() -> None:
    hr = Segment(kind="discussion", title="人事部門との連携", minutes=30, items=HR_POINTS)
    organizer, session, _ = await seed_session(per_municipality=1, agenda=(hr,))
    assert default_mode(session) == "tracks"
    view = await assign_groups(organizer, session.id, 3, 4, seed=1)
    assert not view.is_rounds


async def test_a_plenary_round_holds_everyone_in_one_group() -> None:
    organizer, session, people = await seed_session()
    _, kpi = discussion_ids(session)
    view = await assign_groups(organizer, session.id, 3, 5, seed=7, plenary=[kpi])
    # One breakout round: the fewest groups in bounds (5-5-4), nothing to rotate against.
    assert [sorted(len(g.members) for g in t.groups) for t in view.topics] == [[4, 5, 5], [14]]
    assert view.topics[1].plenary and view.topics[1].size_status == "plenary"
    with pytest.raises(ConflictError) as refused:
        await move_attendee(organizer, session.id, people[0]["id"], kpi, 1)
    assert str(refused.value) == "この意見交換は全員で行うため、グループの移動はありません。"


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        (
            {"mode": "both"},
            "mode",
            "進め方は rounds（全員がすべての意見交換に参加）か "
            "tracks（テーマを選んで参加）にしてください。",
        ),
        (
            {"mode": "tracks", "plenary": [1]},
            "plenary",
            "全員で行う意見交換は、全員がすべての意見交換に参加する進め方でだけ選べます。",
        ),
        (
            {"plenary": [999999]},
            "plenary",
            "全員で行う意見交換 999999 はこの情報交換会の意見交換にありません。",
        ),
    ],
)
async def test_a_bad_mode_or_plenary_round_is_refused_and_nothing_is_saved(
    options: dict[str, Any], field: str, message: str
) -> None:
    organizer, session, _ = await seed_session(per_municipality=1)
    if options.get("plenary") == [1]:
        options = {**options, "plenary": [discussion_ids(session)[0]]}
    with pytest.raises(ValidationError) as refused:
        await assign_groups(organizer, session.id, 3, 5, seed=1, **options)
    assert [(p.field, p.message % dict(p.params)) for p in refused.value.problems] == [
        (field, message)
    ]
    assert await GroupSeat.count() == 0


async def test_bounds_no_split_can_meet_get_the_closest_sizes_and_say_so() -> None:
    organizer, session, _ = await seed_session(per_municipality=1)
    view = await assign_groups(organizer, session.id, 5, 6, seed=1)
    assert [[len(g.members) for g in t.groups] for t in view.topics] == [[7], [7]]
    assert [note.text() for note in view.notes][:2] == [
        f"テーマ「{t.title}」の 7 人は 5〜6 人のグループに"
        "分けきれないため、最も近い人数にしました。"
        for t in view.topics
    ]


async def test_more_rounds_than_people_can_fill_say_how_many_pairs_meet_again() -> None:
    organizer, session, _ = await seed_session(per_municipality=1)
    view = await assign_groups(organizer, session.id, 3, 4, seed=1)
    # Seven people in groups of 3-4 (two groups): the second round must seat again some pairs
    # of the first.
    assert view.score is not None
    assert view.score.again_in_session == view.score.again_in_session_lower_bound > 0
    assert view.notes[-1].message.startswith("前の意見交換と同じ相手が再び同じグループになった組が")
    assert "どう組んでも" in view.notes[-1].text()


async def test_a_move_changes_one_round_only() -> None:
    organizer, session, people = await seed_session()
    hr, kpi = discussion_ids(session)
    view = await assign_groups(organizer, session.id, 3, 5, seed=7)
    mover = people[0]["id"]
    before_hr = next(m for g in view.topics[0].groups for m in g.members if m.id == mover)
    target = next(
        g.number
        for g in view.topics[1].groups
        if mover not in {m.id for m in g.members}
        and before_hr.municipality_code not in {m.municipality_code for m in g.members}
    )
    after = await move_attendee(organizer, session.id, mover, kpi, target)
    placed = next(m for g in after.topics[0].groups for m in g.members if m.id == mover)
    assert placed.group_in(hr) == before_hr.group_in(hr)
    assert placed.group_in(kpi) == target
    assert await GroupSeat.count() == 28


async def test_a_move_next_to_a_colleague_is_refused_while_another_group_has_none() -> None:
    organizer, session, people = await seed_session()
    hr, _ = discussion_ids(session)
    await assign_groups(organizer, session.id, 3, 5, seed=7)
    first, colleague = people[0], people[1]
    view = await get_assignment(organizer, session.id)
    number = next(
        g.number for g in view.topics[0].groups if colleague["id"] in {m.id for m in g.members}
    )
    town = next(
        m.municipality_name for g in view.topics[0].groups for m in g.members if m.id == first["id"]
    )
    before = await GroupSeat.select().order_by(GroupSeat.id)
    with pytest.raises(ConflictError) as refused:
        await move_attendee(organizer, session.id, first["id"], hr, number)
    assert str(refused.value) == (
        f"このグループには同じ自治体（{town}）の {colleague['name']} さんがいます。"
        "同じ自治体の方がいない別のグループを選んでください。"
    )
    assert await GroupSeat.select().order_by(GroupSeat.id) == before


async def test_a_late_joiner_waits_in_every_round_until_placed() -> None:
    organizer, session, _ = await seed_session()
    hr, kpi = discussion_ids(session)
    await assign_groups(organizer, session.id, 3, 5, seed=7)
    await publish_groups(organizer, session.id)
    [late] = await register_delegation(LATE_ACCESS[session.id])
    view = await get_assignment(organizer, session.id)
    assert [[m.id for m in t.unplaced] for t in view.topics] == [[late["id"]], [late["id"]]]
    assert await group_of(late["id"]) is None
    placed = await move_attendee(organizer, session.id, late["id"], hr, 1)
    assert [[m.id for m in t.unplaced] for t in placed.topics] == [[], [late["id"]]]
    assert placed.changed == (next(m for m in placed.unplaced if m.id == late["id"]),)
    await move_attendee(organizer, session.id, late["id"], kpi, 2)
    await publish_groups(organizer, session.id)
    told = await group_of(late["id"])
    assert told is not None and told.label == "① グループA ／ ② グループB"


async def test_publishing_tells_each_attendee_their_group_in_every_round() -> None:
    organizer, session, people = await seed_session()
    await assign_groups(organizer, session.id, 3, 5, seed=7)
    await publish_groups(organizer, session.id)
    placement = await group_of(people[0]["id"])
    assert placement is not None
    assert [g.round_number for g in placement.groups] == [1, 2]
    letters = ["ABCD"[group.group_number - 1] for group in placement.groups]
    assert placement.label == f"① グループ{letters[0]} ／ ② グループ{letters[1]}"
    rows = await OutboxMessage.select().where(
        OutboxMessage.kind == "group_assigned", OutboxMessage.recipient == people[0]["email"]
    )
    [message] = rows
    assert f"あなたのグループは「{placement.label}」です。" in message["text_body"]
    assert f"あなたのグループ: {placement.label}" in message["calendar"].replace("\r\n ", "")


async def test_zoom_file_per_round_and_rotation_sheet() -> None:
    organizer, session, people = await seed_session()
    _, kpi = discussion_ids(session)
    view = await assign_groups(organizer, session.id, 3, 5, seed=7)
    text = (await zoom_csv(organizer, session.id, kpi)).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "Pre-assign Room Name,Email Address"
    assert len(lines) == 1 + len(people)
    assert all(line.startswith("期待する効果とKPI – グループ") for line in lines[1:])
    with pytest.raises(ConflictError) as refused:
        await zoom_csv(organizer, session.id)
    assert str(refused.value) == (
        "全員がすべての意見交換に参加する場合、Zoom用のCSVは意見交換ごとに取り出してください。"
    )
    _, rows = await rotation_sheet(organizer, session.id)
    assert len(rows) == len(people)
    letters = {row.member.id: row.letters for row in rows}
    for number, topic in enumerate(view.topics):
        for group in topic.groups:
            for member in group.members:
                assert letters[member.id][number] == "ABCD"[group.number - 1]


async def test_marking_held_records_the_encounters_of_every_round() -> None:
    organizer, session, _ = await seed_session()
    view = await assign_groups(organizer, session.id, 3, 5, seed=7)
    await publish_groups(organizer, session.id)
    await transition(
        organizer, session.id, Transition.MARK_HELD, now=session.starts_at + dt.timedelta(hours=3)
    )
    expected: set[frozenset[str]] = set()
    for topic in view.topics:
        for group in topic.groups:
            codes = sorted({m.municipality_code for m in group.members})
            expected |= {frozenset(pair) for pair in combinations(codes, 2)}
    assert set(await encounters.history()) == expected
