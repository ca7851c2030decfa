"""The organizer's dashboard: an empty state that says what to do, sessions by status, counts."""

from __future__ import annotations

import re
from typing import Any

from events.organizing.session_actions import transition
from events.sessions.lifecycle import Transition
from tests.factories import (
    delegation,
    future_weekday,
    held_session,
    make_organizer,
    make_series,
    make_session,
    person,
    register_people,
)
from tests.helpers import sign_in_as, signed_in_organizer


async def test_new_organizer_is_told_to_create_a_series_first(client: Any) -> None:
    await signed_in_organizer(client)
    response = await client.get("/organizer")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert '<div class="empty-state">\n  <p>まずシリーズを作成しましょう。</p>' in response.text
    assert '<a class="button" href="/organizer/series/new">シリーズを作成</a>' in response.text


async def test_series_without_sessions_points_to_adding_one(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    series = await make_series(organizer)
    body = (await client.get("/organizer")).text
    assert "まだ情報交換会がありません。" in body
    assert f'<a href="/organizer/sessions/new?series={series["id"]}">情報交換会を追加' in body


async def test_sessions_are_grouped_by_status_with_head_counts(client: Any) -> None:
    organizer = await make_organizer()
    await sign_in_as(client, organizer)
    draft = await make_session(organizer, title="下書きの回")
    series_id = draft.series_id
    published = await make_session(
        organizer, series_id, title="受付中の回", capacity=2, per_municipality_limit=2
    )
    cancelled = await make_session(organizer, series_id, title="中止の回")
    await transition(organizer, published.id, Transition.PUBLISH)
    await register_people(organizer, published, "330001", 2)
    await register_people(organizer, published, "331007", 1)
    await transition(organizer, cancelled.id, Transition.CANCEL, reason="台風")
    body = (await client.get("/organizer")).text
    headings = [line.strip() for line in body.splitlines() if '<h2 id="status-' in line]
    assert headings == [
        '<h2 id="status-draft">下書き（1件）</h2>',
        '<h2 id="status-published">受付中（1件）</h2>',
        '<h2 id="status-cancelled">中止（1件）</h2>',
    ]
    published_part = body.split('id="status-published"')[1].split("</section>")[0]
    assert f'<a href="/organizer/sessions/{published.id}">受付中の回</a>' in published_part
    assert "<td>2 / 1 / 2人</td>" in published_part
    assert "下書きの回" not in published_part


async def test_organizers_see_their_own_sessions_and_admins_see_all(client: Any) -> None:
    mine = await make_organizer()
    await make_session(mine, title="自分の回")
    await make_session(await make_organizer(), title="他の主催者の回")
    await sign_in_as(client, mine)
    own = (await client.get("/organizer")).text
    assert "自分の回" in own and "他の主催者の回" not in own
    await sign_in_as(client, await make_organizer(admin=True))
    everything = (await client.get("/organizer")).text
    assert "自分の回" in everything and "他の主催者の回" in everything
    assert everything.count("中四国エリア 庁内デジタル人材育成 情報交換会 <a href=") == 2


async def test_held_and_reported_sessions_are_listed_latest_first_the_coming_ones_soonest_first(
    client: Any,
) -> None:
    organizer = await make_organizer()
    await sign_in_as(client, organizer)
    for days, title, reported in (
        (30, "先に開いた回", True),
        (90, "後に開いた回", True),
        (60, "間に開いた回", True),
        (45, "開催済みの前の回", False),
        (75, "開催済みの後の回", False),
    ):
        attendees = {"330001": delegation(person(1, "330001"))}
        await held_session(organizer, attendees, days_ahead=days, title=title, reported=reported)
    series_id = (await make_series(organizer))["id"]
    for days, title in ((50, "受付中の後の回"), (20, "受付中の先の回")):
        session = await make_session(
            organizer, series_id, title=title, starts_at=future_weekday(days)
        )
        await transition(organizer, session.id, Transition.PUBLISH)
    body = (await client.get("/organizer")).text

    def titles(status: str) -> list[str]:
        part = body.split(f'id="status-{status}"')[1].split("</section>")[0]
        return re.findall(r'<a href="/organizer/sessions/\d+">(.+?)</a>', part)

    assert titles("reported") == ["後に開いた回", "間に開いた回", "先に開いた回"]
    assert titles("held") == ["開催済みの後の回", "開催済みの前の回"]
    assert titles("published") == ["受付中の先の回", "受付中の後の回"]
