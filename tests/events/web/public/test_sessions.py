"""The public session pages: agenda and participating municipalities, never people or join data."""

from __future__ import annotations

import dataclasses

import httpx

from events.lib.database import public_data_changed
from events.organizing.session_actions import transition, update_session
from events.registrations.registrations import cancel, register
from events.sessions.lifecycle import Transition
from events.tables import ExchangeSession, Registration
from tests.factories import delegation, open_session, person


async def test_public_page_names_municipalities_but_no_people(client: httpx.AsyncClient) -> None:
    _, accesses = await open_session(
        codes=("330001", "331007", "341002"), meeting_passcode="secret-4321"
    )
    await register(accesses["331007"], delegation(person(1, "b", name="岡山 太郎")))
    await register(accesses["330001"], delegation(person(1, "a", name="山陽 花子")))
    session = accesses["330001"].session
    page = (await client.get(f"/sessions/{session.id}")).text
    assert "2団体: 岡山県・岡山県岡山市" in page
    assert "広島県広島市" not in page
    for private in (
        "岡山 太郎",
        "山陽 花子",
        "@example.lg.jp",
        session.meeting_url,
        session.meeting_passcode,
    ):
        assert private not in page


async def test_public_page_shows_the_agenda_with_its_points(client: httpx.AsyncClient) -> None:
    _, accesses = await open_session()
    page = (await client.get(f"/sessions/{accesses['330001'].session.id}")).text
    assert "<h3>人事部門との連携" in page
    assert "<li>研修受講歴の人事部門への共有</li>" in page
    assert "<li>DX推進計画</li>" in page
    assert "参加登録をした自治体はまだありません。" in page


async def test_cancelled_session_says_so(client: httpx.AsyncClient) -> None:
    organizer, accesses = await open_session()
    session = accesses["330001"].session
    await transition(organizer, session.id, Transition.CANCEL)
    page = (await client.get(f"/sessions/{session.id}")).text
    assert "この情報交換会は中止になりました。" in page


async def test_session_list_shows_upcoming_public_sessions(client: httpx.AsyncClient) -> None:
    await open_session(title="中四国 第5回")
    listing = (await client.get("/sessions", params={"region": "chushikoku"})).text
    assert "中四国 第5回" in listing
    other_region = (await client.get("/sessions", params={"region": "kanto"})).text
    assert "中四国 第5回" not in other_region


async def test_a_new_registration_shows_on_the_next_first_render(
    client: httpx.AsyncClient,
) -> None:
    _, accesses = await open_session()
    path = f"/sessions/{accesses['330001'].session.id}"
    before = (await client.get(path, params={"visit": "1"})).text
    assert "参加登録をした自治体はまだありません。" in before
    await register(accesses["331007"], delegation(person(1, "b")))
    after = (await client.get(path, params={"visit": "2"})).text
    assert "1団体: 岡山県岡山市" in after


async def test_an_agenda_change_shows_on_the_next_first_render(client: httpx.AsyncClient) -> None:
    organizer, accesses = await open_session()
    session = accesses["330001"].session
    path = f"/sessions/{session.id}"
    assert "<h3>人事部門との連携" in (await client.get(path, params={"visit": "1"})).text
    renamed = tuple(
        dataclasses.replace(segment, title="庁内研修の設計") if segment.is_discussion else segment
        for segment in session.agenda
    )
    await update_session(organizer, session.id, {"agenda": renamed})
    page = (await client.get(path, params={"visit": "2"})).text
    assert "<h3>庁内研修の設計" in page
    assert "<h3>人事部門との連携" not in page


async def test_a_change_by_another_instance_shows_once_its_notice_arrives(
    client: httpx.AsyncClient,
) -> None:
    _, accesses = await open_session(title="第1回")
    session_id = accesses["330001"].session.id
    path = f"/sessions/{session_id}"
    assert "第1回" in (await client.get(path, params={"visit": "1"})).text
    # Written as another process would: outside this process's write transactions. A query
    # string never sent before is rendered again, from the session read for the first visit.
    await ExchangeSession.update({ExchangeSession.title: "第1回（改題）"}).where(
        ExchangeSession.id == session_id
    )
    assert "第1回（改題）" not in (await client.get(path, params={"visit": "2"})).text
    public_data_changed()  # what the LISTEN of events.lib.change_notices calls on its notice
    assert "第1回（改題）" in (await client.get(path, params={"visit": "3"})).text


async def test_a_registration_renders_its_session_and_the_lists_again_but_keeps_the_others(
    client: httpx.AsyncClient,
) -> None:
    """Its session's page and the pages listing what was registered (a municipality's
    network) are made again; other sessions' pages, and lists of sessions, are kept."""
    _, first = await open_session(title="第1回")
    organizer, second = await open_session(title="第2回")
    first_path = f"/sessions/{first['330001'].session.id}"
    second_path = f"/sessions/{second['330001'].session.id}"
    network = "/api/municipalities/331007/network"
    for path in (first_path, second_path, "/sessions", network):
        assert (await client.get(path)).status_code == 200
    # Changed behind this process's back, so that a page made again shows it.
    await ExchangeSession.update({ExchangeSession.title: "第2回（改題）"}).where(
        ExchangeSession.id == second["330001"].session.id
    )
    await register(first["331007"], delegation(person(1, "b"), plan_status="adopted"))
    assert "1団体: 岡山県岡山市" in (await client.get(first_path)).text
    assert (await client.get(network)).json()["plan_status"] == "adopted"
    assert "第2回（改題）" not in (await client.get(second_path)).text  # still the kept page
    assert "第2回（改題）" not in (await client.get("/sessions")).text  # shows no delegation
    await transition(organizer, second["330001"].session.id, Transition.CANCEL)
    assert "第2回（改題）" in (await client.get(second_path)).text
    assert "第2回（改題）" in (await client.get("/sessions")).text


async def test_a_registration_keeps_the_pages_that_show_no_delegations(
    client: httpx.AsyncClient,
) -> None:
    """The region calendar shows sessions, not who registered: a registration keeps it."""
    organizer, accesses = await open_session(title="第1回")
    session = accesses["330001"].session
    feed = f"/regions/{session.region}/calendar.ics"
    assert "SUMMARY:第1回" in (await client.get(feed)).text
    # Changed behind this process's back, so that a page made again shows it.
    await ExchangeSession.update({ExchangeSession.title: "第1回（改題）"}).where(
        ExchangeSession.id == session.id
    )
    await register(accesses["331007"], delegation(person(1, "b")))
    assert "第1回（改題）" in (await client.get("/sessions")).text
    assert "第1回（改題）" not in (await client.get(feed)).text  # still the kept file
    await transition(organizer, session.id, Transition.CANCEL)
    assert "第1回（改題）" in (await client.get(feed)).text


async def test_a_place_given_up_shows_in_the_region_calendar_at_once(
    client: httpx.AsyncClient,
) -> None:
    """Taking off someone who held a place raises the session's SEQUENCE, which the region
    calendar carries: that change is more than a delegation's, and shows everywhere."""
    _, accesses = await open_session()
    await register(accesses["331007"], delegation(person(1, "b")))
    feed = f"/regions/{accesses['331007'].session.region}/calendar.ics"
    assert "SEQUENCE:0\r\n" in (await client.get(feed)).text
    await cancel(accesses["331007"])
    assert "SEQUENCE:1\r\n" in (await client.get(feed)).text


async def test_a_notice_of_some_sessions_drops_their_pages_and_the_lists_only(
    client: httpx.AsyncClient,
) -> None:
    _, first = await open_session(title="第1回")
    await register(first["331007"], delegation(person(1, "b")))
    _, second = await open_session(title="第2回")
    ids = first["330001"].session.id, second["330001"].session.id
    network = "/api/municipalities/331007/network"
    for path in (f"/sessions/{ids[0]}", f"/sessions/{ids[1]}", "/sessions", network):
        assert (await client.get(path)).status_code == 200
    # Written as another process would: outside this process's write transactions.
    for session_id, title in zip(ids, ("第1回（改題）", "第2回（改題）"), strict=True):
        await ExchangeSession.update({ExchangeSession.title: title}).where(
            ExchangeSession.id == session_id
        )
    await Registration.update({Registration.plan_status: "adopted"}).where(
        Registration.municipality == "331007"
    )
    public_data_changed(frozenset({ids[0]}))  # another process's registration in the first
    assert "第1回（改題）" in (await client.get(f"/sessions/{ids[0]}")).text
    assert (await client.get(network)).json()["plan_status"] == "adopted"
    assert "第2回（改題）" not in (await client.get(f"/sessions/{ids[1]}")).text
    assert "第1回（改題）" not in (await client.get("/sessions")).text
