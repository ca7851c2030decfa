"""The audit trail as organizers read it: people and municipalities named, secrets not shown."""

from __future__ import annotations

import datetime as dt

from events.audit.queries import Detail, trail_for_session
from events.groups.assignments import assign_groups
from events.invitations.invitations import invite
from events.lib.formatting import TOKYO
from events.organizing.session_actions import publish_groups, transition, update_session
from events.sessions.lifecycle import Transition
from tests.factories import (
    make_organizer,
    make_session,
    published_session,
    register_delegation,
    register_people,
)


async def test_trail_names_organizers_and_coordinators_newest_first() -> None:
    organizer = await make_organizer(name="岡山 花子")
    start = dt.datetime(2030, 11, 5, 14, tzinfo=TOKYO)
    session = await make_session(organizer, starts_at=start)
    await update_session(
        organizer, session.id, {"region": "chugoku", "meeting_passcode": "new-secret"}
    )
    await invite(organizer, session.id, ["331007", "341002"])
    await transition(organizer, session.id, Transition.PUBLISH)
    await register_people(organizer, session, "330001", 2)
    trail = await trail_for_session(session.id)
    assert [(line.actor_kind, line.actor_name, line.action) for line in trail] == [
        ("coordinator", "岡山県 取りまとめ担当", "参加登録"),
        ("organizer", "岡山 花子", "招待"),  # register_people invites 岡山県
        ("organizer", "岡山 花子", "公開"),
        ("organizer", "岡山 花子", "招待"),
        ("organizer", "岡山 花子", "変更"),
        ("organizer", "岡山 花子", "作成"),
    ]
    assert trail[0].details == (Detail("自治体", text="岡山県"), Detail("人数", text="2"))
    assert trail[3].details == (Detail("自治体", text="岡山県岡山市・広島県広島市"),)
    assert trail[4].details == (
        Detail("パスコード", note="変更"),
        Detail("対象地域", text="中四国 → 中国"),
    )


async def test_trail_reads_published_groups_whose_details_count_changes() -> None:
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, ("330001", "331007"))
    for access in accesses.values():
        await register_delegation(access)
    await assign_groups(organizer, session.id, 1, 2, seed=1, mode="tracks")
    await publish_groups(organizer, session.id)
    trail = await trail_for_session(session.id)
    assert trail[0].actor_name == "事務局"
    assert trail[0].details == ()
