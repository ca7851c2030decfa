"""The coordinator API by link token: getInvitation, registerDelegation, update, cancel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from events.invitations.invitations import access_by_token, revoke
from events.lib.tokens import INVALID_LINK
from events.registrations.registrations import register
from events.tables import Attendee, ExchangeSession, OutboxMessage, Registration
from tests.factories import (
    HR_POINTS,
    SHARING_ITEMS,
    delegation,
    discussion_ids,
    open_session_with_links,
    person,
)
from tests.helpers import registration_counts

OKAYAMA_PREF, OKAYAMA_CITY = "330001", "331007"
NOT_FOUND = {
    "error": "not_found",
    "message": INVALID_LINK,
    "fields": [{"field": None, "message": INVALID_LINK}],
}


def attendee(n: int, **overrides: Any) -> dict[str, Any]:
    return {
        "name": f"参加者{n}",
        "department": "デジタル推進課",
        "position": "mid",
        "email": f"p{n}@example.lg.jp",
        **overrides,
    }


def body(*attendees: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {"plan_status": "drafting", "attendees": list(attendees), **overrides}


async def test_get_invitation_gives_the_session_agenda_and_municipality(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    response = await client.get(f"/api/invitations/{tokens[OKAYAMA_PREF]}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    data = response.json()
    assert data["municipality"] == {"code": OKAYAMA_PREF, "name": "岡山県"}
    assert data["registration"] is None
    info = data["session"]
    assert (info["id"], info["title"], info["status"], info["accepts_registrations"]) == (
        session.id,
        "第3回 情報交換会",
        "published",
        True,
    )
    assert info["per_municipality_limit"] == 3
    assert "meeting_url" not in info and "meeting_passcode" not in info
    assert "zoom.example.jp" not in response.text
    sharing = next(s for s in info["agenda"] if s["kind"] == "sharing")
    assert [item["text"] for item in sharing["items"]] == list(SHARING_ITEMS)
    assert [item["id"] for item in sharing["items"]] == [i for i, _ in session.sharing_items]
    hr = next(s for s in info["agenda"] if s["title"] == "人事部門との連携")
    assert (hr["id"], hr["kind"], [i["text"] for i in hr["items"]]) == (
        discussion_ids(session)[0],
        "discussion",
        list(HR_POINTS),
    )
    assert info["page"] == f"http://tsunagu.test/sessions/{session.id}"


async def test_register_delegation_by_names_or_ids(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    hr, kpi = discussion_ids(session)
    first_item, first_text = session.sharing_items[0]
    second_item, _ = session.sharing_items[1]
    payload = body(
        attendee(
            1,
            is_digital_department=True,
            share_contact=True,
            topic_preferences=["期待する効果とKPI", hr],
        ),
        attendee(2, topic_preferences=[str(kpi)]),
        sharing_answers={first_text: "令和5年に策定", str(second_item): "研修体系を整理"},
    )
    response = await client.post(
        f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration", json=payload
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["status"], data["plan_status"]) == ("confirmed", "drafting")
    assert data["sharing_answers"] == {
        str(first_item): "令和5年に策定",
        str(second_item): "研修体系を整理",
    }
    first, second = data["attendees"]
    assert {k: v for k, v in first.items() if k != "id"} == {
        "name": "参加者1",
        "reading": "",
        "department": "デジタル推進課",
        "position": "mid",
        "is_digital_department": True,
        "email": "p1@example.lg.jp",
        "share_contact": True,
        "topic_preferences": [kpi, hr],
        "status": "confirmed",
        "waitlist_position": None,
    }
    assert second["topic_preferences"] == [kpi]
    again = (await client.get(f"/api/invitations/{tokens[OKAYAMA_PREF]}")).json()
    assert again["registration"] == data
    assert await OutboxMessage.count().where(OutboxMessage.kind == "confirmation") == 2


async def test_waitlisted_attendees_carry_their_position(client: Any) -> None:
    _, _, tokens = await open_session_with_links(capacity=2)
    await register(await access_by_token(tokens[OKAYAMA_CITY]), delegation(person(1, "b")))
    response = await client.post(
        f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration",
        json=body(attendee(1), attendee(2), attendee(3)),
    )
    assert response.status_code == 422  # the limit is 2 here
    response = await client.post(
        f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration",
        json=body(attendee(1), attendee(2)),
    )
    data = response.json()
    assert data["status"] == "confirmed"
    assert [(a["status"], a["waitlist_position"]) for a in data["attendees"]] == [
        ("confirmed", None),
        ("waitlisted", 1),
    ]
    # The answer is what was written: the delegation read back is the same.
    again = (await client.get(f"/api/invitations/{tokens[OKAYAMA_PREF]}")).json()
    assert again["registration"] == data


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            body(attendee(1), sharing_answers={"存在しない項目": "x"}),
            "sharing_answers[存在しない項目]",
        ),
        (body(attendee(1), sharing_answers={"999999": "x"}), "sharing_answers[999999]"),
        (
            body(attendee(1, topic_preferences=["存在しないテーマ"])),
            "attendees[0].topic_preferences",
        ),
        (body(attendee(1, topic_preferences=[999999])), "attendees[0].topic_preferences"),
        (body(attendee(1), attendee(2), attendee(3), attendee(4)), "attendees"),
        (body(attendee(1, email="not-an-address")), "attendees[0].email"),
        (body(attendee(1, name="  ")), "attendees[0].name"),
        (body(attendee(1, name="名" * 101)), "attendees[0].name"),
        (body(attendee(1, department="課" * 201)), "attendees[0].department"),
        (body(attendee(1, position="president")), "attendees[0].position"),
        (body(attendee(1), attendee(2, email="P1@example.lg.jp")), "attendees[1].email"),
        (body(attendee(1), plan_status="done"), "plan_status"),
        (body(), "attendees"),
    ],
)
async def test_bad_delegation_is_a_422_naming_the_field_with_nothing_written(
    client: Any, payload: dict[str, Any], field: str
) -> None:
    _, _, tokens = await open_session_with_links()
    response = await client.post(
        f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration", json=payload
    )
    assert response.status_code == 422
    data = response.json()
    assert data["error"] == "invalid"
    assert field in [problem["field"] for problem in data["fields"]]
    assert await registration_counts() == (0, 0, 0)


async def test_over_long_answer_is_refused(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    _, text = session.sharing_items[0]
    response = await client.post(
        f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration",
        json=body(attendee(1), sharing_answers={text: "あ" * 2001}),
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["message"] == "共有内容は各2000文字以内にしてください。"
    assert await registration_counts() == (0, 0, 0)


async def test_malformed_body_is_a_400(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    payload: dict[str, Any]  # a JSON body, as body() builds them
    for payload in ({"attendees": []}, body(attendee(1), unexpected=True), body({"name": 1})):
        response = await client.post(url, json=payload)
        assert response.status_code == 400
        assert response.json()["error"] == "invalid"
    assert await registration_counts() == (0, 0, 0)


async def test_second_registration_for_the_same_municipality_is_a_409(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    assert (await client.post(url, json=body(attendee(1)))).status_code == 201
    before = await registration_counts()
    response = await client.post(url, json=body(attendee(2)))
    assert response.status_code == 409
    assert response.json()["message"] == (
        "この自治体はすでに登録済みです。変更は登録内容の編集から行ってください。"
    )
    assert await registration_counts() == before


async def test_same_email_as_another_municipality_is_refused(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    await register(
        await access_by_token(tokens[OKAYAMA_CITY]), delegation(person(1, email="x@example.jp"))
    )
    before = await registration_counts()
    response = await client.post(
        f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration",
        json=body(attendee(1, email="X@example.jp")),
    )
    assert response.status_code == 422
    assert response.json()["fields"] == [
        {
            "field": "attendees",
            "message": "このメールアドレスはすでにこの情報交換会に登録されています。",
        }
    ]
    assert await registration_counts() == before


async def test_update_keeps_places_of_attendees_sent_with_their_id(client: Any) -> None:
    _, _, tokens = await open_session_with_links(capacity=2)
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    created = (await client.post(url, json=body(attendee(1), attendee(2)))).json()
    first, second = created["attendees"]
    await register(await access_by_token(tokens[OKAYAMA_CITY]), delegation(person(1, "b")))
    response = await client.put(
        url,
        json=body(
            attendee(1, id=first["id"], department="人事課"),
            attendee(3),
            plan_status="adopted",
        ),
    )
    assert response.status_code == 200
    data = response.json()
    assert data["plan_status"] == "adopted"
    # The place the municipality gave up goes to its newcomer, not to the waiting list.
    assert [(a["id"], a["department"], a["status"]) for a in data["attendees"]] == [
        (first["id"], "人事課", "confirmed"),
        (data["attendees"][1]["id"], "デジタル推進課", "confirmed"),
    ]
    assert data["attendees"][1]["id"] not in (first["id"], second["id"])
    removed = await Attendee.select(Attendee.status).where(Attendee.id == second["id"]).first()
    assert removed == {"status": "cancelled"}


async def test_update_without_a_registration_is_a_404(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    response = await client.put(
        f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration", json=body(attendee(1))
    )
    assert response.status_code == 404
    assert response.json()["message"] == "この自治体の参加登録はまだありません。"
    assert await registration_counts() == (0, 0, 0)


async def test_cancel_registration_frees_the_places(client: Any) -> None:
    _, _, tokens = await open_session_with_links(capacity=1)
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    await client.post(url, json=body(attendee(1)))
    await register(await access_by_token(tokens[OKAYAMA_CITY]), delegation(person(1, "b")))
    response = await client.delete(url)
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["attendees"]) == ("cancelled", [])
    assert await Attendee.select(Attendee.email, Attendee.status).order_by(Attendee.id) == [
        {"email": "p1@example.lg.jp", "status": "cancelled"},
        {"email": "p1.b@example.lg.jp", "status": "confirmed"},
    ]
    assert (await client.delete(url)).status_code == 404


async def test_changes_after_the_deadline_are_a_409(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    await client.post(url, json=body(attendee(1)))
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    await ExchangeSession.update({ExchangeSession.registration_deadline: past}).where(
        ExchangeSession.id == session.id
    )
    before = await registration_counts()
    for response in (
        await client.put(url, json=body(attendee(2))),
        await client.delete(url),
        await client.post(
            f"/api/invitations/{tokens[OKAYAMA_CITY]}/registration", json=body(attendee(3))
        ),
    ):
        assert response.status_code == 409
        assert response.json()["message"] == (
            "参加登録の受付は終了しています。変更が必要な場合は主催者にご連絡ください。"
        )
    assert await registration_counts() == before
    info = (await client.get(f"/api/invitations/{tokens[OKAYAMA_PREF]}")).json()
    assert info["session"]["accepts_registrations"] is False


async def test_a_token_cannot_touch_another_municipalitys_attendees(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    await register(await access_by_token(tokens[OKAYAMA_CITY]), delegation(person(1, "city")))
    victim = await Attendee.select().first()
    assert victim is not None
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    await client.post(url, json=body(attendee(1)))
    response = await client.put(
        url, json=body(attendee(1, id=victim["id"], name="乗っ取り", email="z@example.jp"))
    )
    assert response.status_code == 200
    assert [a["name"] for a in response.json()["attendees"]] == ["乗っ取り"]
    assert response.json()["attendees"][0]["id"] != victim["id"]
    assert await Attendee.select().where(Attendee.id == victim["id"]).first() == victim
    own = (await client.get(f"/api/invitations/{tokens[OKAYAMA_PREF]}")).json()
    assert "p1.city@example.lg.jp" not in str(own)
    await client.delete(url)
    city = await Registration.select(Registration.status).where(
        Registration.municipality == OKAYAMA_CITY
    )
    assert city == [{"status": "confirmed"}]


async def test_names_survive_unchanged_through_the_api(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    names = ["山田 太郎", "ﾔﾏﾀﾞ ﾊﾅｺ", "佐藤＆鈴木 <共同>"]
    response = await client.post(
        f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration",
        json=body(*(attendee(i, name=name) for i, name in enumerate(names))),
    )
    assert [a["name"] for a in response.json()["attendees"]] == names


async def test_bad_tokens_get_one_json_404(client: Any) -> None:
    organizer, session, tokens = await open_session_with_links()
    await revoke(organizer, session.id, OKAYAMA_CITY)
    for token in ("A" * 32, "short", tokens[OKAYAMA_CITY]):
        base = f"/api/invitations/{token}"
        for response in (
            await client.get(base),
            await client.post(f"{base}/registration", json=body(attendee(1))),
            await client.put(f"{base}/registration", json=body(attendee(1))),
            await client.delete(f"{base}/registration"),
        ):
            assert response.status_code == 404
            assert response.json() == NOT_FOUND
    assert await registration_counts() == (0, 0, 0)


async def test_operations_are_in_the_schema(client: Any) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    operations = {
        operation["operationId"]
        for path, methods in schema["paths"].items()
        if path.startswith("/api/invitations/")
        for operation in methods.values()
    }
    assert operations == {
        "getInvitation",
        "registerDelegation",
        "updateDelegation",
        "cancelRegistration",
    }
