"""Region calendar feeds: what they list, what they never show, and revalidation by ETag."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from ical.calendar_stream import IcsCalendarStream

from events.calendars import ics
from events.calendars.region_feeds import region_feed
from events.organizing.session_actions import transition, update_session
from events.sessions.lifecycle import Transition
from tests.factories import future_weekday, make_organizer, make_session

TWO_HOURS = dt.timedelta(hours=2)


async def published(organizer: Any, **overrides: Any) -> Any:
    session = await make_session(organizer, **overrides)
    return (await transition(organizer, session.id, Transition.PUBLISH)).session


def summaries(data: bytes) -> list[str]:
    other = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    parsed = icalendar.Calendar.from_ical(data)
    found = [str(event["SUMMARY"]) for event in parsed.walk("VEVENT")]
    assert [event.summary for event in other.events] == found
    return found


async def test_region_feed_lists_upcoming_public_sessions_of_the_region(client: Any) -> None:
    organizer = await make_organizer()
    first = await published(organizer, title="第3回 情報交換会")
    later = future_weekday(days_ahead=60)
    cancelled = await published(
        organizer, title="第4回 情報交換会", starts_at=later, ends_at=later + dt.timedelta(hours=2)
    )
    await transition(organizer, cancelled.id, Transition.CANCEL, reason="台風接近のため")
    await make_session(organizer, title="下書きの回")
    await published(organizer, title="関東の回", region="kanto")

    response = await client.get("/regions/chushikoku/calendar.ics")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == 'inline; filename="tsunagu-chushikoku.ics"'
    assert summaries(response.content) == ["第3回 情報交換会", "【中止】第4回 情報交換会"]
    feed = icalendar.Calendar.from_ical(response.content)
    assert str(feed["X-WR-CALNAME"]) == "つなぐ 情報交換会（中四国）"
    assert str(feed["METHOD"]) == "PUBLISH"
    assert first.meeting_url.encode() not in response.content
    # The site's own sender under the organization's name: never a staff member's address.
    organizers = {str(event["ORGANIZER"]) for event in feed.walk("VEVENT")}
    assert organizers == {"mailto:noreply@tsunagu.test"}
    assert organizer.email.encode() not in response.content
    assert b"ATTENDEE" not in response.content
    assert len(feed.walk("VTIMEZONE")) == 1
    # Google deletes STATUS:CANCELLED events from subscribed feeds: the cancelled session stays,
    # marked in its title and no longer blocking the subscriber's time.
    _, off = feed.walk("VEVENT")
    assert (str(off["STATUS"]), str(off["TRANSP"])) == ("CONFIRMED", "TRANSPARENT")


async def test_region_feed_includes_sessions_of_wider_areas(client: Any) -> None:
    organizer = await make_organizer()
    await published(organizer, title="中四国の回", region="chushikoku")
    await published(organizer, title="四国の回", region="shikoku")

    chugoku = await client.get("/regions/chugoku/calendar.ics")
    shikoku = await client.get("/regions/shikoku/calendar.ics")
    kanto = await client.get("/regions/kanto/calendar.ics")

    assert summaries(chugoku.content) == ["中四国の回"]
    assert sorted(summaries(shikoku.content)) == ["中四国の回", "四国の回"]
    assert summaries(kanto.content) == []
    assert b"BEGIN:VTIMEZONE" in kanto.content  # an empty feed is still a valid calendar


async def test_region_feed_is_revalidated_by_etag(client: Any) -> None:
    organizer = await make_organizer()
    session = await published(organizer)
    url = "/regions/chushikoku/calendar.ics"

    first = await client.get(url)
    cached = await client.get(url)
    unchanged = await client.get(url, headers={"if-none-match": first.headers["etag"]})
    moved = session.starts_at + dt.timedelta(days=1)
    await update_session(
        organizer, session.id, {"starts_at": moved, "ends_at": moved + dt.timedelta(hours=2)}
    )
    changed = await client.get(url, headers={"if-none-match": first.headers["etag"]})

    assert first.headers["cache-control"] == "no-cache"
    assert cached.content == first.content
    assert cached.headers["etag"] == first.headers["etag"]
    assert cached.headers["content-type"] == "text/calendar; charset=utf-8"
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert changed.status_code == 200
    assert changed.headers["etag"] != first.headers["etag"]
    [event] = icalendar.Calendar.from_ical(changed.content).events
    assert event.DTSTART.astimezone(dt.UTC) == moved.astimezone(dt.UTC)
    sequence = event["SEQUENCE"]
    assert isinstance(sequence, icalendar.vInt) and int(sequence) == session.sequence + 1


async def test_unknown_region_has_no_feed(client: Any) -> None:
    response = await client.get("/regions/atlantis/calendar.ics")
    assert response.status_code == 404


async def test_calendars_page_lists_every_feed_with_instructions(client: Any) -> None:
    page = await client.get("/calendars")

    assert page.status_code == 200
    assert 'href="webcal://tsunagu.test/regions/chushikoku/calendar.ics"' in page.text
    assert 'value="http://tsunagu.test/regions/kanto/calendar.ics"' in page.text
    for heading in ("Outlook", "Googleカレンダー", "Appleのカレンダー（Mac・iPhone・iPad）"):
        assert f"<h3>{heading}</h3>" in page.text
    sessions = await client.get("/sessions")
    assert 'href="/calendars"' in sessions.text


def test_vtimezone_is_built_once() -> None:
    assert ics.tokyo_timezone() is ics.tokyo_timezone()


async def test_region_feed_keeps_the_sessions_of_the_last_12_months() -> None:
    """Seen from 420 days ahead: the session 400 days ahead ended 20 days before and stays (so a
    subscribed calendar keeps it); the one 30 days ahead ended over a year before and is gone."""
    organizer = await make_organizer()
    soon, late = future_weekday(days_ahead=30), future_weekday(days_ahead=400)
    await published(organizer, title="一年以上前の回", starts_at=soon, ends_at=soon + TWO_HOURS)
    await published(organizer, title="20日前の回", starts_at=late, ends_at=late + TWO_HOURS)
    upcoming = future_weekday(days_ahead=430)
    await published(organizer, title="次の回", starts_at=upcoming, ends_at=upcoming + TWO_HOURS)

    data = await region_feed("chushikoku", now=late + dt.timedelta(days=20))

    assert summaries(data) == ["20日前の回", "次の回"]
    assert summaries(await region_feed("chushikoku", now=soon)) == [
        "一年以上前の回",
        "20日前の回",
        "次の回",
    ]
