"""Fields of the coordinator API body: the report consent and each attendee's よみがな."""

from __future__ import annotations

from typing import Any

from events.tables import Registration
from tests.events.web.api.test_registrations import OKAYAMA_PREF, attendee, body
from tests.factories import open_session_with_links
from tests.helpers import registration_counts


async def consent_of_the_registration() -> bool:
    row = await Registration.select(Registration.report_consent).first()
    assert row is not None
    return bool(row["report_consent"])


async def test_report_consent_is_given_kept_when_omitted_and_withdrawn(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    created = await client.post(url, json=body(attendee(1), report_consent=True))
    assert created.status_code == 201
    assert created.json()["report_consent"] is True
    assert await consent_of_the_registration()

    # A client that does not know the field replaces the delegation without touching it.
    kept = await client.put(url, json=body(attendee(1, id=created.json()["attendees"][0]["id"])))
    assert kept.status_code == 200
    assert kept.json()["report_consent"] is True

    withdrawn = await client.put(
        url, json=body(attendee(1, id=created.json()["attendees"][0]["id"]), report_consent=False)
    )
    assert withdrawn.json()["report_consent"] is False
    assert not await consent_of_the_registration()
    invitation = (await client.get(f"/api/invitations/{tokens[OKAYAMA_PREF]}")).json()
    assert invitation["registration"]["report_consent"] is False


async def test_a_first_registration_without_the_field_does_not_consent(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    created = await client.post(url, json=body(attendee(1)))
    assert created.json()["report_consent"] is False


async def test_a_consent_that_is_not_a_boolean_is_a_400_with_nothing_written(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    response = await client.post(url, json=body(attendee(1), report_consent="はい"))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert await registration_counts() == (0, 0, 0)


async def test_the_consent_is_documented_in_the_schema(client: Any) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    components = schema["components"]["schemas"]
    field = components["DelegationBody"]["properties"]["report_consent"]
    assert "name the municipality" in field["description"]
    assert "report_consent" not in components["DelegationBody"].get("required", [])
    assert "report_consent" in components["DelegationOut"]["required"]


async def test_reading_goes_in_and_comes_back_normalized(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    created = await client.post(url, json=body(attendee(1, reading="ﾔﾏﾀﾞ ﾀﾛｳ"), attendee(2)))
    assert created.status_code == 201
    assert [a["reading"] for a in created.json()["attendees"]] == ["ヤマダ タロウ", ""]


async def test_a_reading_that_is_not_kana_is_a_422_naming_the_field(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    refused = await client.post(url, json=body(attendee(1), attendee(2, reading="Yamada")))
    assert refused.status_code == 422
    assert refused.json()["fields"] == [
        {
            "field": "attendees[1].reading",
            "message": "参加者 2 のよみがなは、ひらがなかカタカナで入力してください"
            "（空白と「ー」も使えます）。",
        }
    ]
    assert await registration_counts() == (0, 0, 0)


async def test_the_reading_is_documented_in_the_schema(client: Any) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    components = schema["components"]["schemas"]
    field = components["AttendeeBody"]["properties"]["reading"]
    assert "hiragana or katakana" in field["description"]
    assert "reading" not in components["AttendeeBody"]["required"]
    assert "reading" in components["DelegationAttendeeOut"]["required"]
