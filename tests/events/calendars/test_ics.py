"""Calendar files checked with icalendar, the independent `ical` parser and golden files."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import TypedDict
from zoneinfo import ZoneInfo

import pytest
from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar, Event, vDDDTypes

from events.calendars.ics import (
    CANCELLED_PREFIX,
    CalendarEntry,
    Invitee,
    PersonalTemplate,
    attendee_removal,
    cancellation,
    cancellation_template,
    feed,
    invitation,
    invitation_template,
    public_event,
    session_uid,
)
from tests.helpers import GOLDEN as GOLDEN_FILES

GOLDEN = GOLDEN_FILES / "ics"
NOW = datetime(2026, 11, 20, 1, 2, 3, tzinfo=UTC)
JOIN_URL = "https://meet.example.jp/j/81234567890?pwd=Secret123"
PASSCODE = "987654"
ENTRY = CalendarEntry(
    uid=session_uid(42, "tsunagu.example.jp"),
    sequence=0,
    title="第3回 四国地域 情報交換会「防災DX」",
    # Given in UTC on purpose: the files must say 14:00 Asia/Tokyo.
    starts_at=datetime(2026, 12, 3, 5, 0, tzinfo=UTC),
    ends_at=datetime(2026, 12, 3, 7, 0, tzinfo=UTC),
    description="議題：避難所運営のデジタル化について。\n詳細は公開ページをご覧ください。",
    organizer_email="yamada@pref.kochi.example.lg.jp",
    organizer_name="山田 太郎（高知県 危機管理課）",
    url="https://tsunagu.example.jp/sessions/42",
    location="オンライン",
    join_url=JOIN_URL,
    join_label="Web会議に参加",
    join_details=f"参加URL：{JOIN_URL}\nパスコード：{PASSCODE}",
    publisher=Invitee("noreply@tsunagu.example.jp", "四国地域DX推進協議会"),
)
HANAKO = Invitee("hanako.sato@city.matsuyama.example.lg.jp", "佐藤 花子")
COMMA = Invitee("suzuki@city.example.lg.jp", "鈴木, 一郎; 総務課: 係長")
UPDATED = replace(
    ENTRY,
    sequence=1,
    starts_at=datetime(2026, 12, 3, 6, 0, tzinfo=UTC),
    ends_at=datetime(2026, 12, 3, 8, 0, tzinfo=UTC),
)
CANCELLED = replace(ENTRY, uid=session_uid(43, "tsunagu.example.jp"), cancelled=True)


@cache  # building a VTIMEZONE takes ~25 ms; the inputs are constants
def produced() -> dict[str, bytes]:
    """Every kind of file, as the golden tests and the generic checks see them."""
    return {
        "invitation": invitation(ENTRY, HANAKO, now=NOW),
        "invitation_update": invitation(UPDATED, COMMA, now=NOW),
        "cancellation": cancellation(replace(UPDATED, sequence=2), COMMA, now=NOW),
        "attendee_removal": attendee_removal(replace(UPDATED, sequence=2), HANAKO, now=NOW),
        "public_event": public_event(ENTRY, now=NOW),
        "feed": feed("つなぐ 四国地域", [ENTRY, CANCELLED], now=NOW),
        "feed_empty": feed("つなぐ 四国地域", [], now=NOW),
    }


def assert_golden(name: str, data: bytes) -> None:
    """UPDATE_GOLDEN=1 rewrites the file; inspect the diff before committing it."""
    path = GOLDEN / f"{name}.ics"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert data == path.read_bytes()


def parse_both(data: bytes) -> tuple[Calendar, IcalCalendar]:
    return Calendar.from_ical(data), IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))


def only_event(calendar: Calendar) -> Event:
    (event,) = calendar.events
    return event


def unfolded(data: bytes) -> str:
    return data.decode("utf-8").replace("\r\n ", "")


@pytest.mark.parametrize("name", sorted(produced()))
def test_golden_file_matches_output(name: str) -> None:
    assert_golden(name, produced()[name])


@pytest.mark.parametrize("name", sorted(produced()))
def test_every_file_lines_are_crlf_and_at_most_75_octets(name: str) -> None:
    data = produced()[name]
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    data.decode("utf-8")  # folding never splits a multi-byte character


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("invitation", "REQUEST"),
        ("invitation_update", "REQUEST"),
        ("cancellation", "CANCEL"),
        ("attendee_removal", "CANCEL"),
        ("public_event", "PUBLISH"),
        ("feed", "PUBLISH"),
        ("feed_empty", "PUBLISH"),
    ],
)
def test_every_file_method_and_tokyo_vtimezone_in_both_parsers(name: str, method: str) -> None:
    ours, theirs = parse_both(produced()[name])
    assert ours["METHOD"] == method
    assert theirs.method == method
    assert [tz.tz_name for tz in ours.timezones] == ["Asia/Tokyo"]
    assert [tz.tz_id for tz in theirs.timezones] == ["Asia/Tokyo"]
    assert ours.get_missing_tzids() == set()


def test_invitation_identity_and_times_in_both_parsers() -> None:
    data = invitation(ENTRY, HANAKO, now=NOW)
    ours, theirs = parse_both(data)
    event, (other,) = only_event(ours), theirs.events
    assert event.uid == other.uid == ENTRY.uid
    assert event.sequence == other.sequence == 0
    assert event.start == other.dtstart == ENTRY.starts_at
    assert event.end == other.dtend == ENTRY.ends_at
    assert isinstance(event.start, datetime)
    assert event.start.astimezone(UTC) == datetime(2026, 12, 3, 5, 0, tzinfo=UTC)
    assert event.DTSTAMP == other.dtstamp == NOW
    assert str(event["STATUS"]) == other.status == "CONFIRMED"
    assert b"DTSTART;TZID=Asia/Tokyo:20261203T140000\r\n" in data
    assert b"DTEND;TZID=Asia/Tokyo:20261203T160000\r\n" in data
    assert b"DTSTAMP:20261120T010203Z\r\n" in data


def test_invitation_summary_description_and_url_in_both_parsers() -> None:
    ours, theirs = parse_both(invitation(ENTRY, HANAKO, now=NOW))
    event, (other,) = only_event(ours), theirs.events
    assert event.summary == other.summary == ENTRY.title
    expected = f"{ENTRY.description}\n\n{ENTRY.join_details}"
    assert event.description == other.description == expected
    assert event.url == other.url == ENTRY.url
    assert event.location == other.location == "オンライン"


def test_invitation_conference_is_video_uri_with_label() -> None:
    data = invitation(ENTRY, HANAKO, now=NOW)
    ours, theirs = parse_both(data)
    (conference,) = only_event(ours).conferences
    assert (conference.uri, conference.feature, conference.label) == (
        JOIN_URL,
        "VIDEO",
        "Web会議に参加",
    )
    (other,) = theirs.events[0].conference
    assert (other.uri, [f.value for f in other.feature or []], other.label) == (
        JOIN_URL,
        ["VIDEO"],
        "Web会議に参加",
    )
    assert "CONFERENCE;FEATURE=VIDEO;LABEL=Web会議に参加;VALUE=URI:" in unfolded(data)


def test_invitation_without_join_url_has_no_conference() -> None:
    data = invitation(replace(ENTRY, join_url=None, join_details=""), HANAKO, now=NOW)
    assert b"CONFERENCE" not in data
    assert only_event(Calendar.from_ical(data)).description == ENTRY.description


def test_invitation_attendee_parameters_are_required_no_rsvp() -> None:
    data = invitation(ENTRY, HANAKO, now=NOW)
    ours, theirs = parse_both(data)
    (attendee,) = only_event(ours).attendees
    assert str(attendee) == f"mailto:{HANAKO.email}"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "FALSE"
    (other,) = theirs.events[0].attendees
    assert (other.uri, other.role, other.status, other.rsvp) == (
        f"mailto:{HANAKO.email}",
        "REQ-PARTICIPANT",
        "NEEDS-ACTION",
        False,
    )


def test_invitation_organizer_is_mailto_with_cn() -> None:
    ours, theirs = parse_both(invitation(ENTRY, HANAKO, now=NOW))
    organizer = only_event(ours).organizer
    assert str(organizer) == f"mailto:{ENTRY.organizer_email}"
    assert organizer.params["CN"] == ENTRY.organizer_name
    assert theirs.events[0].organizer is not None
    assert theirs.events[0].organizer.common_name == ENTRY.organizer_name


@pytest.mark.parametrize(
    "name",
    [
        "佐藤 花子",
        "佐藤　花子（松山市 総務課）",  # full-width space must survive
        "鈴木, 一郎",
        "鈴木; 一郎",
        "課長: 鈴木一郎",
        "Suzuki, Ichiro; Section: DX",
    ],
)
def test_attendee_cn_with_japanese_and_punctuation_survives_round_trip(name: str) -> None:
    data = invitation(ENTRY, Invitee("a@city.example.lg.jp", name), now=NOW)
    ours, theirs = parse_both(data)
    assert only_event(ours).attendees[0].params["CN"] == name
    assert theirs.events[0].attendees[0].common_name == name
    if any(ch in name for ch in ",;:"):
        assert f'CN="{name}"' in unfolded(data)  # quoted, not escaped


def test_attendee_cn_with_double_quote_or_newline_is_sanitized() -> None:
    data = invitation(ENTRY, Invitee("a@b.example.jp", '"DX"推進\n担当'), now=NOW)
    ours, theirs = parse_both(data)
    assert only_event(ours).attendees[0].params["CN"] == "'DX'推進担当"
    assert theirs.events[0].attendees[0].common_name == "'DX'推進担当"
    assert b"^" not in data  # no RFC 6868 escapes, which Outlook would show literally


LONG_NAME = Invitee(
    "a.very.long.address.of.the.digital.department@city.matsuyama.example.lg.jp",
    "デジタル推進課 課長補佐 兼 情報政策係長, 佐藤 花子; 「防災DX」担当: 窓口",
)


@pytest.mark.parametrize("attendee", [HANAKO, COMMA, LONG_NAME, Invitee("a@b.jp", '"DX"\n担当')])
@pytest.mark.parametrize(
    "now",
    [NOW, datetime(2026, 11, 20, 10, 2, 3, 999999, tzinfo=ZoneInfo("Asia/Tokyo"))],
)
def test_filled_template_is_the_file_rendered_for_that_attendee(
    attendee: Invitee, now: datetime
) -> None:
    assert invitation_template(UPDATED).fill(attendee, now=now) == invitation(
        UPDATED, attendee, now=now
    )
    assert cancellation_template(UPDATED).fill(attendee, now=now) == cancellation(
        UPDATED, attendee, now=now
    )


def test_filled_template_folds_a_long_attendee_line_and_parses() -> None:
    data = invitation_template(ENTRY).fill(LONG_NAME, now=NOW)
    assert b"\r\nATTENDEE;" in data and max(len(line) for line in data.split(b"\r\n")) <= 75
    ours, theirs = parse_both(data)
    assert str(only_event(ours).attendees[0]) == f"mailto:{LONG_NAME.email}"
    assert theirs.events[0].attendees[0].common_name == LONG_NAME.name
    assert only_event(ours).DTSTAMP == NOW


def test_template_needs_one_attendee_line() -> None:
    with pytest.raises(ValueError, match="exactly one ATTENDEE line"):
        PersonalTemplate.cut(public_event(ENTRY, now=NOW))


def test_update_has_same_uid_higher_sequence_and_new_times() -> None:
    first = only_event(Calendar.from_ical(invitation(ENTRY, HANAKO, now=NOW)))
    later = only_event(Calendar.from_ical(invitation(UPDATED, HANAKO, now=NOW)))
    assert later.uid == first.uid
    assert later.sequence > first.sequence
    assert later.start == datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert isinstance(later.end, datetime)
    assert later.end.astimezone(UTC) == UPDATED.ends_at


def test_cancellation_has_method_cancel_and_status_cancelled() -> None:
    entry = replace(ENTRY, sequence=5, cancelled=True)
    data = cancellation(entry, HANAKO, now=NOW)
    ours, theirs = parse_both(data)
    event, (other,) = only_event(ours), theirs.events
    assert ours["METHOD"] == theirs.method == "CANCEL"
    assert str(event["STATUS"]) == other.status == "CANCELLED"
    assert event.uid == other.uid == ENTRY.uid
    assert event.sequence == other.sequence == 5
    assert str(event.attendees[0]) == f"mailto:{HANAKO.email}"
    assert event.start == other.dtstart == ENTRY.starts_at


def test_attendee_removal_is_a_cancel_without_status() -> None:
    """RFC 5546 §3.2.5: taking one attendee off raises SEQUENCE (done by the caller, here 6)
    and carries no STATUS, which would cancel the event for everyone."""
    data = attendee_removal(replace(ENTRY, sequence=6), HANAKO, now=NOW)
    ours, theirs = parse_both(data)
    event, (other,) = only_event(ours), theirs.events
    assert ours["METHOD"] == theirs.method == "CANCEL"
    assert "STATUS" not in event
    assert other.status is None
    assert event.sequence == other.sequence == 6
    assert [str(attendee) for attendee in event.attendees] == [f"mailto:{HANAKO.email}"]
    assert str(event.organizer) == f"mailto:{ENTRY.organizer_email}"
    assert b"CONFERENCE" not in data
    assert JOIN_URL not in unfolded(data)


@pytest.mark.parametrize("name", ["public_event", "feed"])
def test_public_files_name_the_publisher_as_organizer(name: str) -> None:
    """libical's iTIP check wants ORGANIZER in METHOD:PUBLISH too; it is the site's sender."""
    ours, theirs = parse_both(produced()[name])
    assert ours.events
    for event, other in zip(ours.events, theirs.events, strict=True):
        assert str(event.organizer) == "mailto:noreply@tsunagu.example.jp"
        assert event.organizer.params["CN"] == "四国地域DX推進協議会"
        assert other.organizer is not None
        assert other.organizer.common_name == "四国地域DX推進協議会"


def test_cancellation_has_no_join_data() -> None:
    data = cancellation(replace(ENTRY, sequence=1), HANAKO, now=NOW)
    assert b"CONFERENCE" not in data
    assert JOIN_URL not in unfolded(data)
    assert PASSCODE not in unfolded(data)


@pytest.mark.parametrize("name", ["public_event", "feed", "feed_empty"])
def test_public_files_have_no_join_url_passcode_or_people(name: str) -> None:
    data = produced()[name]
    for secret in (JOIN_URL, PASSCODE, "meet.example.jp"):
        assert secret.encode() not in data
        assert secret not in unfolded(data)
    for prop in (b"CONFERENCE", b"ATTENDEE", ENTRY.organizer_email.encode()):
        assert prop not in data
    ours, theirs = parse_both(data)
    assert all(not event.conferences for event in ours.events)
    assert all(not event.conference and not event.attendees for event in theirs.events)


def test_public_event_carries_public_fields() -> None:
    ours, theirs = parse_both(public_event(ENTRY, now=NOW))
    event, (other,) = only_event(ours), theirs.events
    assert (event.summary, event.description, event.url) == (
        ENTRY.title,
        ENTRY.description,
        ENTRY.url,
    )
    assert other.dtstart == ENTRY.starts_at and other.dtend == ENTRY.ends_at
    assert other.uid == ENTRY.uid and other.sequence == ENTRY.sequence


def test_feed_cancelled_entry_stays_confirmed_with_prefixed_title() -> None:
    ours, theirs = parse_both(feed("つなぐ", [ENTRY, CANCELLED], now=NOW))
    by_uid = {str(event.uid): event for event in ours.events}
    cancelled, active = by_uid[CANCELLED.uid], by_uid[ENTRY.uid]
    assert cancelled.summary == f"【中止】{ENTRY.title}" == CANCELLED_PREFIX + ENTRY.title
    assert str(cancelled["STATUS"]) == "CONFIRMED"
    assert str(cancelled["TRANSP"]) == "TRANSPARENT"
    assert active.summary == ENTRY.title
    assert "TRANSP" not in active
    assert sorted(e.summary or "" for e in theirs.events) == sorted(
        [ENTRY.title, f"【中止】{ENTRY.title}"]
    )
    assert {e.status for e in theirs.events} == {"CONFIRMED"}


def test_public_event_cancelled_entry_is_prefixed_not_cancelled() -> None:
    event = only_event(Calendar.from_ical(public_event(CANCELLED, now=NOW)))
    assert event.summary == f"【中止】{ENTRY.title}"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_feed_calendar_properties_have_explicit_value_types() -> None:
    data = feed("つなぐ 四国地域", [ENTRY], now=NOW)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in data
    assert b"X-PUBLISHED-TTL;VALUE=DURATION:PT6H\r\n" in data
    assert b"X-WR-TIMEZONE:Asia/Tokyo\r\n" in data
    ours, theirs = parse_both(data)
    assert ours.refresh_interval == timedelta(hours=6)
    ttl = ours["X-PUBLISHED-TTL"]
    assert isinstance(ttl, vDDDTypes) and ttl.dt == timedelta(hours=6)
    assert ours.calendar_name == "つなぐ 四国地域"
    assert theirs.name == ["つなぐ 四国地域"]
    assert ("x-wr-calname", "つなぐ 四国地域") in [(x.name, x.value) for x in theirs.extras]


def test_feed_name_with_comma_and_semicolon_is_escaped() -> None:
    data = feed("中国, 四国; 九州", [], now=NOW)
    assert "X-WR-CALNAME:中国\\, 四国\\; 九州\r\n".encode() in data
    assert IcsCalendarStream.calendar_from_ics(data.decode()).name == ["中国, 四国; 九州"]


def test_feed_one_vevent_per_entry_in_order() -> None:
    entries = [replace(ENTRY, uid=session_uid(n, "tsunagu.example.jp")) for n in (3, 1, 2)]
    ours, theirs = parse_both(feed("つなぐ", entries, now=NOW))
    assert [str(e.uid) for e in ours.events] == [e.uid for e in entries]
    assert [e.uid for e in theirs.events] == [e.uid for e in entries]


@pytest.mark.parametrize(
    "zone",
    [ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin"), timezone(timedelta(hours=9))],
)
def test_times_in_any_zone_are_written_in_tokyo_and_equal_in_utc(zone: timezone) -> None:
    # 23:30 in New York on a DST boundary date is already the next day in Tokyo.
    starts = datetime(2026, 11, 1, 23, 30, tzinfo=zone)
    entry = replace(ENTRY, starts_at=starts, ends_at=starts + timedelta(minutes=90))
    data = invitation(entry, HANAKO, now=NOW)
    ours, theirs = parse_both(data)
    event, (other,) = only_event(ours), theirs.events
    assert isinstance(event.start, datetime) and isinstance(event.end, datetime)
    assert event.start.astimezone(UTC) == starts.astimezone(UTC) == other.dtstart
    assert event.end.astimezone(UTC) == entry.ends_at.astimezone(UTC) == other.dtend
    local = starts.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%Y%m%dT%H%M%S")
    assert f"DTSTART;TZID=Asia/Tokyo:{local}\r\n".encode() in data
    assert b"TZID=America" not in data and b"TZID=Europe" not in data


def test_times_with_microseconds_are_truncated_to_seconds() -> None:
    entry = replace(ENTRY, starts_at=ENTRY.starts_at.replace(microsecond=999_999))
    event = only_event(Calendar.from_ical(invitation(entry, HANAKO, now=NOW)))
    assert event.start == ENTRY.starts_at


def test_long_japanese_description_folds_and_round_trips() -> None:
    text = "自治体間の情報交換。" * 60 + f"\n詳細：{ENTRY.url}?ref=" + "x" * 120
    ours, theirs = parse_both(public_event(replace(ENTRY, description=text), now=NOW))
    assert only_event(ours).description == theirs.events[0].description == text


def test_session_uid_is_stable() -> None:
    assert session_uid(42, "tsunagu.example.jp") == "tsunagu-session-42@tsunagu.example.jp"


def test_invitation_with_cancelled_entry_is_refused() -> None:
    with pytest.raises(ValueError, match="cancellation"):
        invitation(CANCELLED, HANAKO, now=NOW)


class EntryChanges(TypedDict, total=False):
    """The fields of CalendarEntry that the invalid cases below replace."""

    starts_at: datetime
    ends_at: datetime
    sequence: int
    uid: str
    description: str
    location: str | None


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": datetime(2026, 12, 3, 14, 0)},  # noqa: DTZ001 (the point of the test)
        {"ends_at": datetime(2026, 12, 3, 5, 0, tzinfo=UTC)},
        {"sequence": -1},
        {"uid": ""},
        {"description": f"参加はこちら {JOIN_URL}"},
        {"location": JOIN_URL},
    ],
)
def test_entry_with_invalid_fields_is_refused(changes: EntryChanges) -> None:
    with pytest.raises(ValueError):
        replace(ENTRY, **changes)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="now"):
        public_event(ENTRY, now=datetime(2026, 11, 20, 1, 2, 3))  # noqa: DTZ001


def test_golden_directory_holds_only_known_files() -> None:
    # A renamed case must not leave a stale golden file behind.
    assert {p.stem for p in GOLDEN.glob("*.ics")} == set(produced())
    assert all(re.fullmatch(r"[a-z_]+", p.stem) for p in GOLDEN.glob("*.ics"))
