"""Who did what, named as people read it: never the stored reference."""

from __future__ import annotations

from typing import Any

import pytest

from events.audit import trail
from events.audit.actors import actor_names
from events.audit.queries import trail_for_session
from events.lib.i18n import use_locale
from events.tables import Attendee
from tests.factories import attendee_input, make_organizer, published_session, register_delegation


async def test_each_kind_of_actor_is_named_and_no_reference_is_shown() -> None:
    organizer = await make_organizer(name="岡山 花子")
    session, accesses = await published_session(organizer, ("330001", "331007"))
    [attendee] = await register_delegation(
        accesses["330001"], attendee_input("330001", name="山田 太郎")
    )
    for actor in (
        f"attendee:{attendee['id']}",
        "join_request:331007",
        "system",
        "attendee:999999",
        "organizer:999999",
    ):
        await trail.record(actor, "publish", session_id=session.id)

    trail_lines = await trail_for_session(session.id)

    assert [(line.actor_kind, line.actor_name) for line in trail_lines] == [
        ("organizer", "主催者（登録が削除されています）"),
        ("attendee", "参加者（登録が削除されています）"),
        ("system", "システム"),
        ("join_request", "岡山県岡山市（参加希望の申し出）"),
        ("attendee", "岡山県 山田 太郎（参加者）"),
        ("coordinator", "岡山県 取りまとめ担当"),  # the registration
        ("organizer", "岡山 花子"),  # publication
        ("organizer", "岡山 花子"),  # invitation
        ("organizer", "岡山 花子"),  # creation
    ]
    assert not any(":" in line.actor_name for line in trail_lines)


async def test_names_follow_the_language_of_the_page() -> None:
    with use_locale("en"):
        names = await actor_names(["system", "coordinator:330001"])
    assert names["system"] == "System"
    assert names["coordinator:330001"].endswith("coordinator")


async def test_a_page_of_entries_takes_one_query_per_kind_of_actor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    organizer = await make_organizer()
    _, accesses = await published_session(organizer, ("330001", "331007", "341002"))
    attendees = [row for access in accesses.values() for row in await register_delegation(access)]
    stored = [f"attendee:{row['id']}" for row in attendees]
    stored += [f"coordinator:{code}" for code in accesses] + [f"organizer:{organizer.id}"]
    # Counted on the engine's class: PostgreSQL's engine does not take attributes of its own.
    engine_class = type(Attendee._meta.db)
    run = engine_class.run_querystring
    queries: list[str] = []

    async def counted(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        queries.append(str(querystring))
        return await run(self, querystring, *args, **kwargs)

    monkeypatch.setattr(engine_class, "run_querystring", counted)
    names = await actor_names(stored)

    # Organizers, attendees, municipalities: three queries however many entries there are.
    assert len(queries) == 3
    assert len(names) == 7
    assert names["coordinator:341002"] == "広島県広島市 取りまとめ担当"
