"""The notes and reports JSON API: the whole cycle, and refusals that change nothing."""

from __future__ import annotations

import httpx

from events.tables import Report, ReportVersion, SessionNote
from tests.factories import discussion_ids, held_seed_session, make_organizer, make_session
from tests.helpers import bearer


async def test_notes_generate_edit_publish_and_search(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    headers = await bearer(organizer)
    session, _ = await held_seed_session(organizer)
    hr, _ = discussion_ids(session)
    note = await client.post(
        f"/api/sessions/{session.id}/notes",
        json={"topic": "人事部門との連携", "group": 1, "text": "研修履歴の共有"},
        headers=headers,
    )
    assert note.status_code == 201
    assert {k: note.json()[k] for k in ("topic", "group", "text")} == {
        "topic": hr,
        "group": 1,
        "text": "研修履歴の共有",
    }
    generated = await client.post(f"/api/sessions/{session.id}/report", headers=headers)
    assert generated.status_code == 201
    draft = generated.json()
    assert [block["key"] for block in draft["blocks"]][:5] == [
        "title",
        "lead",
        "background",
        "participants",
        "sharing",
    ]
    updated = await client.patch(
        f"/api/reports/{draft['id']}",
        json={"blocks": {"closing": {"body": "ありがとうございました。"}}, "tags": ["人事"]},
        headers=headers,
    )
    assert updated.status_code == 200
    assert updated.json()["tags"] == ["人事"]
    checked = await client.post(f"/api/reports/{draft['id']}/fact-check", headers=headers)
    assert checked.json() == {
        "mailed": [],
        "without_contact": ["330001", "331007", "341002", "320005", "350001", "370002", "390003"],
    }
    published = await client.post(f"/api/reports/{draft['id']}/publish", headers=headers)
    assert published.json() == {
        "report": draft["id"],
        "version": 1,
        "url": f"http://tsunagu.test/reports/{draft['id']}/v1",
    }
    again = await client.post(f"/api/reports/{draft['id']}/publish", headers=headers)
    assert again.status_code == 409
    assert again.json()["error"] == "conflict"
    found = await client.get("/api/reports/search", params={"q": "人事", "tag": "人事"})
    assert (found.json()["total"], found.json()["items"][0]["version"]) == (1, 1)
    listed = await client.get("/api/reports", params={"municipality": "390003"})
    assert listed.json()["items"][0]["municipalities"].endswith("香川県・高知県")
    assert (await client.get("/api/reports", params={"municipality": "380008"})).json()[
        "total"
    ] == 0


async def test_bad_input_gets_structured_errors_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    organizer = await make_organizer()
    headers = await bearer(organizer)
    upcoming = await make_session(organizer)
    early = await client.post(f"/api/sessions/{upcoming.id}/report", headers=headers)
    assert early.status_code == 409
    assert early.json()["fields"][0]["field"] == "status"
    session, _ = await held_seed_session(organizer)
    unknown = await client.post(
        f"/api/sessions/{session.id}/notes", json={"topic": "ない", "text": "x"}, headers=headers
    )
    assert (unknown.status_code, unknown.json()["fields"][0]["field"]) == (404, "topic")
    malformed = await client.post(
        f"/api/sessions/{session.id}/notes", json={"topic": [1], "text": 3}, headers=headers
    )
    assert (malformed.status_code, malformed.json()["error"]) == (400, "invalid")
    anonymous = await client.post(f"/api/sessions/{session.id}/report")
    assert anonymous.status_code == 401
    draft = (await client.post(f"/api/sessions/{session.id}/report", headers=headers)).json()
    bad_edit = await client.patch(
        f"/api/reports/{draft['id']}",
        json={"blocks": {"lead": {"body": "x"}, "nope": {"body": "y"}}},
        headers=headers,
    )
    assert bad_edit.status_code == 422
    assert bad_edit.json()["fields"][0]["field"] == "blocks.nope"
    stranger = await client.post(
        f"/api/reports/{draft['id']}/publish", headers=await bearer(await make_organizer())
    )
    assert stranger.status_code == 403
    long = await client.get("/api/reports/search", params={"q": "x" * 2000})
    assert (long.status_code, long.json()["fields"][0]["field"]) == (422, "q")
    paging = await client.get("/api/reports", params={"per_page": 1000})
    assert (paging.status_code, paging.json()["fields"][0]["field"]) == (422, "per_page")
    assert await SessionNote.count() == 0
    assert await ReportVersion.count() == 0
    stored = await Report.select(Report.blocks).first()
    assert stored is not None and '"ありがとう' not in stored["blocks"]
    lead = next(b for b in draft["blocks"] if b["key"] == "lead")
    assert lead["body"] in stored["blocks"]
