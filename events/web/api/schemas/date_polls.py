"""JSON shapes of the date poll API, written by hand."""

from __future__ import annotations

import datetime as dt

import msgspec
from msgspec import Struct

from events.web.api.schemas.sessions import AwareDatetime, WarningOut


class DatePollSlotBody(Struct, forbid_unknown_fields=True):
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class DatePollCreate(Struct, forbid_unknown_fields=True):
    """A new poll; without `codes` every municipality of the series' region is asked."""

    series: int
    title: str
    slots: list[DatePollSlotBody]
    codes: list[str] = msgspec.field(default_factory=list)
    contact_emails: dict[str, str] = msgspec.field(default_factory=dict)
    # An existing session whose date the poll decides; without it, deciding creates a draft.
    session: int | None = None


class DatePollSlotOut(Struct):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    rank: int
    yes: int
    maybe: int
    no: int
    unanswered: int
    holiday: str | None
    weekend: bool
    chosen: bool


class DatePollRecipientOut(Struct):
    code: str
    name: str
    contact_email: str
    link: str
    answered_at: dt.datetime | None
    # Slot id → "yes", "maybe" or "no".
    answers: dict[str, str]
    comment: str


class DatePollOut(Struct):
    id: int
    title: str
    series: int
    status: str
    session: int | None
    # Best slot first: most ○, then fewest ×, then the earliest.
    slots: list[DatePollSlotOut]
    recipients: list[DatePollRecipientOut]
    warnings: list[WarningOut] = msgspec.field(default_factory=list)


class DatePollAnswerBody(Struct, forbid_unknown_fields=True):
    # Slot id → "○", "△", "×" (or "yes", "maybe", "no"); every slot needs a mark.
    answers: dict[str, str]
    comment: str = ""


class DatePollAnswerSlotOut(Struct):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    holiday: str | None
    weekend: bool


class DatePollAnswerOut(Struct):
    """One municipality's view of a poll: the slots (earliest first) and its own answers."""

    poll: int
    title: str
    status: str
    municipality: str
    name: str
    slots: list[DatePollAnswerSlotOut]
    answers: dict[str, str]
    comment: str
    answered_at: dt.datetime | None


class DatePollDecideBody(Struct, forbid_unknown_fields=True):
    slot: int


class DatePollReminded(Struct):
    reminded: list[str]
