"""listRegistrations and exportRegistrations: bearer tokens only, exact JSON, the CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from events.accounts.organizers import OrganizerIdentity
from events.lib.spreadsheet import XLSX_MEDIA_TYPE
from events.registrations.registrations import cancel, register
from tests.factories import delegation, discussion_ids, make_organizer, open_session, person
from tests.helpers import bearer, sign_in
from tests.spreadsheets import assert_same_as_csv, xlsx_sheet

PATHS = ["/registrations", "/registrations.csv", "/registrations.xlsx"]


async def registered_session() -> tuple[OrganizerIdentity, Any]:
    """Capacity 1: 岡山県 holds the place, 岡山県岡山市 waits, 広島県広島市 cancelled."""
    organizer, accesses = await open_session(capacity=1, codes=("330001", "331007", "341002"))
    session = accesses["330001"].session
    hr, kpi = discussion_ids(session)
    first_item = session.sharing_items[0][0]
    await register(
        accesses["330001"],
        delegation(
            person(
                1, "a", name="佐藤＆鈴木 <共同>", topic_preferences=(kpi, hr), share_contact=True
            ),
            plan_status="adopted",
            answers={first_item: "令和5年3月に策定"},
        ),
    )
    await register(
        accesses["331007"],
        delegation(person(1, "b", position="manager", is_digital_department=True)),
    )
    await register(accesses["341002"], delegation(person(1, "c")))
    await cancel(accesses["341002"])
    return organizer, session


@pytest.mark.parametrize("path", PATHS)
async def test_call_without_a_token_is_unauthorized(client: Any, path: str) -> None:
    organizer, session = await registered_session()
    await sign_in(client, organizer.email)  # the login cookie does not count for the API
    response = await client.get(f"/api/sessions/{session.id}{path}")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {
        "error": "unauthorized",
        "message": "有効なAPIトークンが必要です。",
        "fields": [],
    }


@pytest.mark.parametrize("path", PATHS)
async def test_another_organizers_token_is_forbidden(client: Any, path: str) -> None:
    _, session = await registered_session()
    headers = await bearer(await make_organizer())
    response = await client.get(f"/api/sessions/{session.id}{path}", headers=headers)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


@pytest.mark.parametrize("path", PATHS)
async def test_admin_token_is_allowed(client: Any, path: str) -> None:
    _, session = await registered_session()
    headers = await bearer(await make_organizer(admin=True))
    response = await client.get(f"/api/sessions/{session.id}{path}", headers=headers)
    assert response.status_code == 200


async def test_unknown_session_is_not_found(client: Any) -> None:
    headers = await bearer(await make_organizer(admin=True))
    response = await client.get("/api/sessions/999999/registrations", headers=headers)
    assert response.status_code == 404
    assert response.json()["message"] == "情報交換会が見つかりません。"


async def test_list_registrations_gives_every_registration_and_attendee(client: Any) -> None:
    organizer, session = await registered_session()
    hr, kpi = (segment.id for segment in session.discussions)
    first_item, first_text = session.sharing_items[0]
    response = await client.get(
        f"/api/sessions/{session.id}/registrations", headers=await bearer(organizer)
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    ids = [registration["id"] for registration in body["items"]]
    attendee_ids = [r["attendees"][0]["id"] for r in body["items"]]
    assert body == {
        "session": session.id,
        "totals": {"confirmed": 1, "capacity": 1, "waitlisted": 1, "registered": 2, "invited": 3},
        "items": [
            {
                "id": ids[0],
                "municipality_code": "330001",
                "municipality_name": "岡山県",
                "prefecture": "岡山県",
                "status": "confirmed",
                "plan_status": "adopted",
                "sharing_answers": [
                    {"item_id": first_item, "item": first_text, "text": "令和5年3月に策定"}
                ],
                "attendees": [
                    {
                        "id": attendee_ids[0],
                        "name": "佐藤＆鈴木 <共同>",
                        "department": "デジタル推進課",
                        "position": "staff",
                        "is_digital_department": False,
                        "email": "p1.a@example.lg.jp",
                        "share_contact": True,
                        "status": "confirmed",
                        "waitlist_position": None,
                        "topic_preferences": [kpi, hr],
                    }
                ],
            },
            {
                "id": ids[1],
                "municipality_code": "331007",
                "municipality_name": "岡山県岡山市",
                "prefecture": "岡山県",
                "status": "waitlisted",
                "plan_status": "drafting",
                "sharing_answers": [],
                "attendees": [
                    {
                        "id": attendee_ids[1],
                        "name": "参加者1",
                        "department": "デジタル推進課",
                        "position": "manager",
                        "is_digital_department": True,
                        "email": "p1.b@example.lg.jp",
                        "share_contact": False,
                        "status": "waitlisted",
                        "waitlist_position": 1,
                        "topic_preferences": [],
                    }
                ],
            },
            {
                "id": ids[2],
                "municipality_code": "341002",
                "municipality_name": "広島県広島市",
                "prefecture": "広島県",
                "status": "cancelled",
                "plan_status": "drafting",
                "sharing_answers": [],
                "attendees": [
                    {
                        "id": attendee_ids[2],
                        "name": "参加者1",
                        "department": "デジタル推進課",
                        "position": "staff",
                        "is_digital_department": False,
                        "email": "p1.c@example.lg.jp",
                        "share_contact": False,
                        "status": "cancelled",
                        "waitlist_position": None,
                        "topic_preferences": [],
                    }
                ],
            },
        ],
    }


@pytest.mark.parametrize(
    ("query", "emails"),
    [
        ("", ["p1.a@example.lg.jp", "p1.b@example.lg.jp"]),
        (
            "?include_cancelled=1",
            ["p1.a@example.lg.jp", "p1.b@example.lg.jp", "p1.c@example.lg.jp"],
        ),
    ],
)
async def test_export_registrations_is_the_attendee_csv(
    client: Any, query: str, emails: list[str]
) -> None:
    organizer, session = await registered_session()
    response = await client.get(
        f"/api/sessions/{session.id}/registrations.csv{query}", headers=await bearer(organizer)
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["団体コード", "自治体名", "都道府県", "氏名"]
    assert [row[7] for row in rows[1:]] == emails
    workbook = await client.get(
        f"/api/sessions/{session.id}/registrations.xlsx{query}", headers=await bearer(organizer)
    )
    sheet = xlsx_sheet(workbook)
    assert_same_as_csv(sheet, response)
    assert [sheet.cell(row=row, column=1).data_type for row in range(2, len(rows) + 1)] == [
        "s"
    ] * len(emails)


async def test_operations_are_in_the_schema(client: Any) -> None:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    listing = paths["/api/sessions/{session_id}/registrations"]["get"]
    export = paths["/api/sessions/{session_id}/registrations.csv"]["get"]
    assert listing["operationId"] == "listRegistrations"
    assert export["operationId"] == "exportRegistrations"
    assert list(export["responses"]["200"]["content"]) == ["text/csv"]
    workbook = paths["/api/sessions/{session_id}/registrations.xlsx"]["get"]
    assert workbook["operationId"] == "exportRegistrationsXlsx"
    assert list(workbook["responses"]["200"]["content"]) == [XLSX_MEDIA_TYPE]
