"""The public session pages: agenda and participating municipalities, never people or join data."""

from __future__ import annotations

import httpx

from events.organizing.session_actions import transition
from events.registrations.registrations import register
from events.sessions.lifecycle import Transition
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
