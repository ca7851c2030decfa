"""JSON shapes of the sessions API, written by hand: series, sessions, invitations and the
organizer's registration lists."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

AwareDatetime = Annotated[dt.datetime, Meta(tz=True, description="ISO 8601 with offset")]
SegmentKindName = Literal["sharing", "discussion", "other"]


class SegmentBody(Struct, forbid_unknown_fields=True):
    kind: SegmentKindName
    title: str
    minutes: int = 0
    items: list[str] = msgspec.field(default_factory=list)
    id: int | None = None


class SeriesCreate(Struct, forbid_unknown_fields=True):
    title: str
    region: str
    description: str = ""


class SeriesOut(Struct):
    id: int
    title: str
    region: str
    description: str


class SessionCreate(Struct, forbid_unknown_fields=True):
    title: str
    series: int
    region: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    registration_deadline: AwareDatetime
    capacity: int
    per_municipality_limit: int
    meeting_url: str = ""
    meeting_passcode: str = ""
    background: str = ""
    agenda: list[SegmentBody] = msgspec.field(default_factory=list)


class SessionUpdate(Struct, forbid_unknown_fields=True):
    """Partial update: only the fields sent change."""

    title: str | UnsetType = UNSET
    series: int | UnsetType = UNSET
    region: str | UnsetType = UNSET
    starts_at: AwareDatetime | UnsetType = UNSET
    ends_at: AwareDatetime | UnsetType = UNSET
    registration_deadline: AwareDatetime | UnsetType = UNSET
    capacity: int | UnsetType = UNSET
    per_municipality_limit: int | UnsetType = UNSET
    meeting_url: str | UnsetType = UNSET
    meeting_passcode: str | UnsetType = UNSET
    background: str | UnsetType = UNSET
    agenda: list[SegmentBody] | UnsetType = UNSET


class SegmentOut(Struct):
    id: int | None
    kind: str
    title: str
    minutes: int
    items: list[str]


class WarningOut(Struct):
    field: str | None
    message: str


class SessionLinks(Struct):
    page: str
    calendar: str


class SessionOut(Struct):
    id: int
    title: str
    series: int
    series_title: str
    region: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    registration_deadline: dt.datetime
    capacity: int
    per_municipality_limit: int
    meeting_url: str
    meeting_passcode: str
    background: str
    status: str
    sequence: int
    agenda: list[SegmentOut]
    links: SessionLinks
    warnings: list[WarningOut] = msgspec.field(default_factory=list)


class SessionList(Struct):
    items: list[SessionOut]


class InviteBody(Struct, forbid_unknown_fields=True):
    codes: list[str]
    contact_emails: dict[str, str] = msgspec.field(default_factory=dict)


class InvitationOut(Struct):
    code: str
    name: str
    status: str
    link: str


class InvitationList(Struct):
    invitations: list[InvitationOut]


class TransitionBody(Struct, forbid_unknown_fields=True):
    reason: str = ""


class SharingAnswerOut(Struct):
    item_id: int
    item: str
    text: str


class RegisteredAttendeeOut(Struct):
    id: int
    name: str
    department: str
    position: str
    is_digital_department: bool
    email: str
    share_contact: bool
    status: str
    waitlist_position: int | None
    topic_preferences: list[int]


class RegistrationOut(Struct):
    id: int
    municipality_code: str
    municipality_name: str
    prefecture: str
    status: str
    plan_status: str
    sharing_answers: list[SharingAnswerOut]
    attendees: list[RegisteredAttendeeOut]


class RegistrationTotals(Struct):
    confirmed: int
    capacity: int
    waitlisted: int
    registered: int
    invited: int


class RegistrationList(Struct):
    session: int
    totals: RegistrationTotals
    items: list[RegistrationOut]
