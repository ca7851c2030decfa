"""Calendar downloads: text/calendar attachments revalidated by ETag, public or personal."""

from __future__ import annotations

from typing import Any

import icalendar

from tests.factories import open_session_with_links


async def test_public_calendar_file_is_an_attachment_without_join_details(client: Any) -> None:
    _, session, _ = await open_session_with_links()
    response = await client.get(f"/sessions/{session.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="tsunagu-session-{session.id}.ics"'
    )
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert "CONFERENCE" not in event and "ATTENDEE" not in event
    assert b"zoom.example.jp" not in response.content


async def test_unchanged_calendar_file_is_answered_with_304(client: Any) -> None:
    _, session, _ = await open_session_with_links()
    first = await client.get(f"/sessions/{session.id}/calendar.ics")
    again = await client.get(
        f"/sessions/{session.id}/calendar.ics", headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    stale = await client.get(
        f"/sessions/{session.id}/calendar.ics", headers={"if-none-match": '"other"'}
    )
    assert stale.status_code == 200
