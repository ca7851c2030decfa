"""The demo: a 中四国 series with two held sessions and one open for registration."""

from __future__ import annotations

import httpx

from events.demo import content
from events.demo.loader import load_demo
from events.enums import SessionStatus
from events.tables import (
    Attendee,
    ExchangeSession,
    GroupSeat,
    OutboxMessage,
    Report,
    Series,
)
from networking.tables import Encounter


async def test_demo_replays_the_past_and_opens_the_next_session() -> None:
    lines: list[str] = []
    await load_demo(lines.append)

    [series] = await Series.select().where(Series.title == content.SERIES_TITLE)
    sessions = await ExchangeSession.select().order_by(ExchangeSession.starts_at)
    assert [(row["title"], row["status"]) for row in sessions] == [
        ("第1回 情報交換会", SessionStatus.REPORTED),
        ("第2回 情報交換会", SessionStatus.REPORTED),
        ("第3回 情報交換会", SessionStatus.PUBLISHED),
    ]
    assert {row["series"] for row in sessions} == {series["id"]}
    first, second, upcoming = (row["id"] for row in sessions)
    people = sum(len(d.people) for d in content.DELEGATIONS)
    assert await Attendee.count().where(Attendee.exchange_session == second) == people
    # Two discussions in a row: everyone joins both, in rotating groups (one seat in each).
    seats = await GroupSeat.count().where(GroupSeat.attendee.exchange_session == second)
    assert seats == people * 2
    assert await Encounter.count().where(Encounter.session_id == first) > 0
    assert await Encounter.count().where(Encounter.session_id == second) > 0
    # The replayed history sent nothing; the open session's mail is real: a confirmation now
    # and a reminder before the start, for each person.
    upcoming_people = sum(
        len(d.people) for d in content.DELEGATIONS if d.code in content.UPCOMING_REGISTERED
    )
    kinds = await OutboxMessage.select(OutboxMessage.kind)
    assert sorted(row["kind"] for row in kinds) == sorted(
        ["confirmation", "reminder"] * upcoming_people
    )
    assert await Attendee.count().where(Attendee.exchange_session == upcoming) == (upcoming_people)
    assert any("/r/" in line for line in lines)


async def test_demo_loads_once(client: httpx.AsyncClient) -> None:
    await load_demo(lambda _: None)
    again: list[str] = []
    await load_demo(again.append)

    assert await Series.count() == 1
    assert await ExchangeSession.count() == 3
    assert "already" in again[-1]
    page = await client.get("/sessions")
    assert page.status_code == 200
    assert "第3回 情報交換会" in page.text


async def test_demo_reports_are_in_the_archive_with_survey_results(
    client: httpx.AsyncClient,
) -> None:
    await load_demo(lambda _: None)

    archive = await client.get("/reports", params={"q": "人事"})
    assert archive.status_code == 200
    assert archive.text.count("開催レポート") >= 2
    second = (
        await ExchangeSession.select(ExchangeSession.id)
        .where(ExchangeSession.title == "第2回 情報交換会")
        .first()
    )
    assert second is not None
    report = await Report.select(Report.id).where(Report.exchange_session == second["id"]).first()
    assert report is not None
    page = await client.get(f"/reports/{report['id']}/v1")
    assert page.status_code == 200
    assert "岡山県・岡山市・広島市・島根県・山口県・香川県・高知県" in page.text
    assert "アンケート結果" in page.text and "<svg" in page.text
    for delegation in content.DELEGATIONS:
        for person in delegation.people:
            assert person.name not in page.text
