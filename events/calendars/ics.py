"""iCalendar files for session invitations, cancellations, public downloads and feeds."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from icalendar import STATUS, TRANSP, Calendar, Event, Timezone, vCalAddress, vDuration, vText
from icalendar.prop.conference import Conference

__all__ = [
    "CANCELLED_PREFIX",
    "TOKYO",
    "CalendarEntry",
    "Invitee",
    "PersonalTemplate",
    "attendee_removal",
    "cancellation",
    "cancellation_template",
    "feed",
    "invitation",
    "invitation_template",
    "public_event",
    "session_uid",
]

TOKYO = ZoneInfo("Asia/Tokyo")
PRODID = "-//Tsunagu//Tsunagu//JA"
CANCELLED_PREFIX = "【中止】"
# Subscribers poll at most this often; both the RFC 7986 and the Microsoft spelling are sent.
FEED_REFRESH = timedelta(hours=6)


@dataclass(frozen=True)
class Invitee:
    """One recipient; every invitation names a single attendee (one message per person)."""

    email: str
    name: str


@dataclass(frozen=True)
class CalendarEntry:
    """One exchange session as calendars see it.

    `description` must be safe to publish. `join_details` (join label, passcode, how to
    connect) is only ever appended in invitations, and `join_url` only becomes CONFERENCE there.
    `publisher` is the ORGANIZER of public files and feeds: the site's own address, never a
    staff member's (libical's iTIP check wants an ORGANIZER even in METHOD:PUBLISH).
    """

    uid: str
    sequence: int
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str
    organizer_email: str
    organizer_name: str
    url: str | None = None
    location: str | None = None
    join_url: str | None = None
    join_label: str = "オンライン会議に参加"
    join_details: str = ""
    cancelled: bool = False
    publisher: Invitee | None = None

    def __post_init__(self) -> None:
        if not self.uid or self.sequence < 0:
            raise ValueError("uid must be non-empty and sequence >= 0")
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("starts_at and ends_at must be timezone-aware")
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        public_text = (self.title, self.description, self.location or "", self.url or "")
        # The public file and feed are built from these fields: a join URL here would leak.
        if self.join_url and any(self.join_url in text for text in public_text):
            raise ValueError("join_url must only be given as join_url, not in public fields")


def session_uid(session_id: int, domain: str) -> str:
    """The UID every calendar file of one session shares, so updates replace the event."""
    return f"tsunagu-session-{session_id}@{domain}"


def invitation(entry: CalendarEntry, attendee: Invitee, *, now: datetime) -> bytes:
    """METHOD:REQUEST for one attendee, with the join link (CONFERENCE and description)."""
    if entry.cancelled:
        raise ValueError("a cancelled entry is sent with cancellation(), not invitation()")
    description = "\n\n".join(text for text in (entry.description, entry.join_details) if text)
    event = _event(
        entry, now, summary=entry.title, description=description, status=STATUS.CONFIRMED
    )
    event.organizer = _organizer(entry)
    event.attendees = [_attendee(attendee)]
    if entry.join_url:
        event.conferences = [Conference(entry.join_url, feature="VIDEO", label=entry.join_label)]
    return _serialize(_calendar("REQUEST", [event]))


def cancellation(entry: CalendarEntry, attendee: Invitee, *, now: datetime) -> bytes:
    """METHOD:CANCEL of the whole session, sent to one attendee; the caller passes the already
    bumped SEQUENCE (RFC 5546 §3.2.5: STATUS:CANCELLED cancels the event for everyone)."""
    event = _event(
        entry, now, summary=entry.title, description=entry.description, status=STATUS.CANCELLED
    )
    event.organizer = _organizer(entry)
    event.attendees = [_attendee(attendee)]
    return _serialize(_calendar("CANCEL", [event]))


# Stand-ins rendered into the copy all attendees share, then replaced by each one's own lines.
_ANYONE = Invitee(email="attendee@example.invalid", name="attendee")
_ANY_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PersonalTemplate:
    """An invitation or cancellation rendered once for every attendee of one session version.

    Their copies differ only in two content lines, ATTENDEE and DTSTAMP: `chunks` is the
    rendered file cut out around them, `gaps` names the line that goes between two chunks.
    Each line is rendered (and folded) by icalendar exactly as in a whole file.
    """

    chunks: tuple[bytes, ...]
    gaps: tuple[str, ...]

    @classmethod
    def cut(cls, rendered: bytes) -> PersonalTemplate:
        places: list[tuple[int, int, str]] = []
        for name, line in _personal_lines(_ANYONE, _ANY_MOMENT).items():
            whole_line = b"\r\n" + line + b"\r\n"
            if rendered.count(whole_line) != 1:
                raise ValueError(f"the rendered file must have exactly one {name} line")
            start = rendered.index(whole_line) + 2
            places.append((start, start + len(line), name))
        places.sort()
        chunks: list[bytes] = []
        end = 0
        for start, stop, _ in places:
            chunks.append(rendered[end:start])
            end = stop
        chunks.append(rendered[end:])
        return cls(tuple(chunks), tuple(name for _, _, name in places))

    def fill(self, attendee: Invitee, *, now: datetime) -> bytes:
        """The file of one attendee; `now` as in invitation() or cancellation()."""
        lines = _personal_lines(attendee, now)
        parts = [self.chunks[0]]
        for gap, chunk in zip(self.gaps, self.chunks[1:], strict=True):
            parts += (lines[gap], chunk)
        return b"".join(parts)


def invitation_template(entry: CalendarEntry) -> PersonalTemplate:
    """invitation() for any attendee: fill in the one it goes to."""
    return PersonalTemplate.cut(invitation(entry, _ANYONE, now=_ANY_MOMENT))


def cancellation_template(entry: CalendarEntry) -> PersonalTemplate:
    """cancellation() for any attendee: fill in the one it goes to."""
    return PersonalTemplate.cut(cancellation(entry, _ANYONE, now=_ANY_MOMENT))


def _personal_lines(attendee: Invitee, now: datetime) -> dict[str, bytes]:
    """The ATTENDEE and DTSTAMP content lines, folded, as _event and _attendee make them."""
    return {"ATTENDEE": _attendee_line(attendee), "DTSTAMP": _stamp_line(now)}


# A calendar app asks for the same person's file again and again, and making this line costs
# more than the rest of the answer; a few hundred bytes per person. Read, never changed.
@lru_cache(maxsize=4096)
def _attendee_line(attendee: Invitee) -> bytes:
    line: bytes = Event().content_line("ATTENDEE", _attendee(attendee)).to_ical()
    return line


# Everyone mailed by one change shares the moment, and so this line.
@lru_cache(maxsize=64)
def _stamp_line(now: datetime) -> bytes:
    event = Event()
    event.DTSTAMP = _stamp(now)
    line: bytes = event.content_line("DTSTAMP", event["DTSTAMP"]).to_ical()
    return line


def attendee_removal(entry: CalendarEntry, attendee: Invitee, *, now: datetime) -> bytes:
    """METHOD:CANCEL that takes one attendee off a session that still takes place: the caller
    passes the raised SEQUENCE, and there is no STATUS (RFC 5546 §3.2.5)."""
    event = _event(entry, now, summary=entry.title, description=entry.description, status=None)
    event.organizer = _organizer(entry)
    event.attendees = [_attendee(attendee)]
    return _serialize(_calendar("CANCEL", [event]))


def public_event(entry: CalendarEntry, *, now: datetime) -> bytes:
    """METHOD:PUBLISH download for the public page: no attendee, no join data."""
    return _serialize(_calendar("PUBLISH", [_public_event(entry, now)]))


def feed(name: str, entries: Iterable[CalendarEntry], *, now: datetime) -> bytes:
    """A subscribable METHOD:PUBLISH feed of public events."""
    calendar = _calendar("PUBLISH", [_public_event(entry, now) for entry in entries])
    # icalendar 7.3 stores NAME/X-WR-CALNAME untyped (no TEXT escaping); vText escapes , ; \.
    calendar.add("NAME", vText(name))
    calendar.add("X-WR-CALNAME", vText(name))
    calendar.add("X-WR-TIMEZONE", vText(TOKYO.key))
    # Without VALUE=DURATION an X- property is TEXT, and a bare timedelta prints as "6:00:00".
    calendar.add("REFRESH-INTERVAL", vDuration(FEED_REFRESH, params={"VALUE": "DURATION"}))
    calendar.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH, params={"VALUE": "DURATION"}))
    if not calendar.timezones:
        # An empty feed still needs one component (RFC 5545) and names Asia/Tokyo above.
        calendar.add_component(tokyo_timezone())
    return _serialize(calendar)


def _public_event(entry: CalendarEntry, now: datetime) -> Event:
    # Google deletes STATUS:CANCELLED events from subscribed feeds, so a cancelled session
    # stays CONFIRMED, is marked in its title and no longer blocks the subscriber's time.
    summary = f"{CANCELLED_PREFIX}{entry.title}" if entry.cancelled else entry.title
    event = _event(
        entry, now, summary=summary, description=entry.description, status=STATUS.CONFIRMED
    )
    if entry.cancelled:
        event.transparency = TRANSP.TRANSPARENT
    # Never the organizer's own address, which would publish a staff member's on a public page.
    if entry.publisher is not None:
        event.organizer = vCalAddress.new(
            entry.publisher.email, cn=_common_name(entry.publisher.name)
        )
    return event


def _event(
    entry: CalendarEntry,
    now: datetime,
    *,
    summary: str,
    description: str,
    status: STATUS | None,
) -> Event:
    return Event.new(
        uid=entry.uid,
        sequence=entry.sequence,
        stamp=_stamp(now),
        start=_second(entry.starts_at.astimezone(TOKYO)),
        end=_second(entry.ends_at.astimezone(TOKYO)),
        summary=summary,
        description=description or None,
        location=entry.location,
        url=entry.url,
        status=status,
    )


def _stamp(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return _second(now.astimezone(UTC))  # RFC 5545: DTSTAMP is always UTC


def _second(moment: datetime) -> datetime:
    # iCalendar has second resolution; truncating here keeps the UTC round trip exact.
    return moment.replace(microsecond=0)


def _organizer(entry: CalendarEntry) -> vCalAddress:
    return vCalAddress.new(entry.organizer_email, cn=_common_name(entry.organizer_name))


def _attendee(invitee: Invitee) -> vCalAddress:
    return vCalAddress.new(
        invitee.email,
        cn=_common_name(invitee.name),
        role="REQ-PARTICIPANT",
        partstat="NEEDS-ACTION",
        rsvp=False,
    )


def _common_name(name: str) -> str:
    # icalendar quotes CN containing , ; : itself. A double quote cannot sit inside a quoted
    # parameter except as RFC 6868 ^' which Outlook shows literally; control characters
    # would break the line. Neither belongs in a display name.
    printable = "".join(ch for ch in name if unicodedata.category(ch) != "Cc")
    return printable.replace('"', "'")


def _calendar(method: str, events: list[Event]) -> Calendar:
    calendar = Calendar.new(method=method, prodid=PRODID)
    # Calendar.new adds a random calendar UID: nothing needs it and it defeats golden files.
    calendar.pop("UID", None)
    for event in events:
        calendar.add_component(event)
    # Outlook shifts times whose TZID has no VTIMEZONE in the same file. Every event is in
    # Asia/Tokyo (see _event), whose one VTIMEZONE is built once per process.
    if events:
        calendar.subcomponents.insert(0, tokyo_timezone())
    return calendar


@cache
def tokyo_timezone() -> Timezone:
    """VTIMEZONE for Asia/Tokyo; building it from zoneinfo costs more than a whole event."""
    return Timezone.from_tzid(TOKYO.key)


def _serialize(calendar: Calendar) -> bytes:
    data: bytes = calendar.to_ical()
    return data
