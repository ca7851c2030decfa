"""JSON shapes of the coordinator API (by the token of the invitation link), written by hand."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import Meta, Struct

PositionName = Annotated[
    str, Meta(description="manager (管理職), mid (中堅職員) or staff (一般職員)")
]
PlanStatusName = Annotated[
    str, Meta(description="adopted (計画策定済), drafting (策定中) or not_started (未着手)")
]
TopicRef = Annotated[int | str, Meta(description="a discussion topic: its id or its title")]


class AttendeeBody(Struct, forbid_unknown_fields=True):
    name: str
    department: str
    position: PositionName
    email: str
    reading: Annotated[
        str,
        Meta(
            description="よみがな, optional: hiragana or katakana, spaces and ー only; "
            "family and given name apart by a space"
        ),
    ] = ""
    is_digital_department: bool = False
    share_contact: bool = False
    # Most wanted first.
    topic_preferences: list[TopicRef] = msgspec.field(default_factory=list)
    # Given on update to keep a registered person's place (and their personal link).
    id: int | None = None


class DelegationBody(Struct, forbid_unknown_fields=True):
    plan_status: PlanStatusName
    attendees: list[AttendeeBody]
    sharing_answers: Annotated[
        dict[str, str],
        Meta(description="what the municipality will share, keyed by sharing item id or text"),
    ] = msgspec.field(default_factory=dict)
    report_consent: Annotated[
        bool | None,
        Meta(
            description="the report may name the municipality beside what it shared; "
            "omitted or null keeps what was stored (false for a first registration)"
        ),
    ] = None


class AgendaItemOut(Struct):
    id: int
    text: str


class AgendaSegmentOut(Struct):
    id: int
    kind: str
    title: str
    minutes: int
    items: list[AgendaItemOut]


class InvitedSessionOut(Struct):
    """What a coordinator sees of the session: its public facts, no join details."""

    id: int
    title: str
    series_title: str
    region: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    registration_deadline: dt.datetime
    per_municipality_limit: int
    background: str
    status: str
    accepts_registrations: bool
    agenda: list[AgendaSegmentOut]
    page: str
    calendar: str


class MunicipalityOut(Struct):
    code: str
    name: str


class DelegationAttendeeOut(Struct):
    id: int
    name: str
    # よみがな; "" when not given.
    reading: str
    department: str
    position: str
    is_digital_department: bool
    email: str
    share_contact: bool
    topic_preferences: list[int]
    status: str
    waitlist_position: int | None


class DelegationOut(Struct):
    id: int
    status: str
    plan_status: str
    # Keyed by sharing item id.
    sharing_answers: dict[str, str]
    attendees: list[DelegationAttendeeOut]
    updated_at: dt.datetime
    # The report may name the municipality beside what it shared.
    report_consent: bool


class CoordinatorInvitationOut(Struct):
    session: InvitedSessionOut
    municipality: MunicipalityOut
    registration: DelegationOut | None
