"""Date polls as pages, mails and the API read them: the poll, its slots, who was asked and how."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from events.enums import PollMark, PollStatus
from events.lib.errors import NotFoundError
from events.lib.formatting import in_tokyo
from events.lib.i18n import N_, gettext
from events.lib.links import personal_link
from events.lib.tokens import LinkKind
from events.sessions.checks import holiday_name
from events.tables import DatePoll, DatePollAnswer, DatePollRecipient, DatePollSlot

# Kind of the personal link a municipality answers a poll with (see events.lib.tokens.link_token).


@dataclass(frozen=True)
class PollSlot:
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    chosen: bool

    @property
    def holiday(self) -> str | None:
        """The national holiday it falls on (in the current language), or None."""
        return holiday_name(in_tokyo(self.starts_at).date())

    @property
    def is_weekend(self) -> bool:
        return in_tokyo(self.starts_at).weekday() >= 5

    @property
    def day_note(self) -> str:
        return day_note(in_tokyo(self.starts_at).date())


def day_note(day: dt.date) -> str:
    """「祝日: 文化の日」 or 「土日」, flagging a slot wherever it is listed; else empty."""
    if holiday := holiday_name(day):
        return gettext("祝日: %(name)s", name=holiday)
    return gettext("土日") if day.weekday() >= 5 else ""


@dataclass(frozen=True)
class PollView:
    id: int
    series_id: int
    series_title: str
    region: str
    owner_id: int
    # Who municipalities can write to (Reply-To of the poll's mails); never on the answer page.
    organizer_name: str
    organizer_email: str
    organization: str
    title: str
    status: str
    session_id: int | None
    created_at: dt.datetime
    closed_at: dt.datetime | None
    slots: tuple[PollSlot, ...]  # earliest first

    @property
    def status_label(self) -> str:
        return PollStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN

    @property
    def is_decided(self) -> bool:
        return self.status == PollStatus.DECIDED

    @property
    def chosen_slot(self) -> PollSlot | None:
        return next((slot for slot in self.slots if slot.chosen), None)

    def slot(self, slot_id: int) -> PollSlot | None:
        return next((slot for slot in self.slots if slot.id == slot_id), None)


@dataclass(frozen=True)
class PollRecipient:
    """A municipality asked to answer, with its answers so far (none until it answers)."""

    id: int
    poll_id: int
    code: str
    name: str
    contact_email: str
    link_nonce: str
    comment: str
    answered_at: dt.datetime | None
    answers: Mapping[int, PollMark]

    @property
    def has_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def link(self) -> str:
        """Its answer page, rebuilt from the nonce: every mail carries the same link."""
        return personal_link(LinkKind.DATE_POLL, self.link_nonce)

    def mark(self, slot_id: int) -> PollMark | None:
        return self.answers.get(slot_id)


_POLL_COLUMNS = (
    *DatePoll.all_columns(),
    DatePoll.series.title.as_alias("series_title"),
    DatePoll.series.region.as_alias("region"),
    DatePoll.series.owner.as_alias("owner_id"),
    DatePoll.series._.owner._.display_name.as_alias("organizer_name"),
    DatePoll.series._.owner._.email.as_alias("organizer_email"),
    DatePoll.series._.owner._.organization.as_alias("organization"),
)


async def get_poll(poll_id: int) -> PollView:
    views = await poll_views([poll_id])
    if not views:
        raise NotFoundError(N_("日程調整が見つかりません。"), field="poll")
    return views[0]


async def poll_views(poll_ids: Sequence[int]) -> list[PollView]:
    """Views of the given polls, in the given order."""
    if not poll_ids:
        return []
    rows = await DatePoll.select(*_POLL_COLUMNS).where(DatePoll.id.is_in(list(poll_ids)))
    slots: dict[int, list[PollSlot]] = {poll_id: [] for poll_id in poll_ids}
    for row in await (
        DatePollSlot.select()
        .where(DatePollSlot.poll.is_in(list(poll_ids)))
        .order_by(DatePollSlot.starts_at)
        .order_by(DatePollSlot.ends_at)
    ):
        slots[row["poll"]].append(
            PollSlot(row["id"], row["starts_at"], row["ends_at"], row["chosen"])
        )
    by_id = {row["id"]: _view(row, slots[row["id"]]) for row in rows}
    return [by_id[poll_id] for poll_id in poll_ids if poll_id in by_id]


def _view(row: dict[str, Any], slots: list[PollSlot]) -> PollView:
    return PollView(
        id=row["id"],
        series_id=row["series"],
        series_title=row["series_title"],
        region=row["region"],
        owner_id=row["owner_id"],
        organizer_name=row["organizer_name"],
        organizer_email=row["organizer_email"],
        organization=row["organization"],
        title=row["title"],
        status=row["status"],
        session_id=row["exchange_session"],
        created_at=row["created_at"],
        closed_at=row["closed_at"],
        slots=tuple(slots),
    )


_RECIPIENT_COLUMNS = (
    *DatePollRecipient.all_columns(),
    DatePollRecipient.municipality.display_name.as_alias("municipality_name"),
)


async def recipients_of(poll_id: int, *conditions: Any) -> list[PollRecipient]:
    """The municipalities asked, in code order, each with its answers."""
    rows = await (
        DatePollRecipient.select(*_RECIPIENT_COLUMNS)
        .where(DatePollRecipient.poll == poll_id, *conditions)
        .order_by(DatePollRecipient.municipality)
    )
    answers: dict[int, dict[int, PollMark]] = {row["id"]: {} for row in rows}
    if rows:
        for answer in await DatePollAnswer.select().where(
            DatePollAnswer.recipient.is_in(list(answers))
        ):
            answers[answer["recipient"]][answer["slot"]] = PollMark(answer["mark"])
    return [_recipient(row, answers[row["id"]]) for row in rows]


def _recipient(row: dict[str, Any], answers: dict[int, PollMark]) -> PollRecipient:
    return PollRecipient(
        id=row["id"],
        poll_id=row["poll"],
        code=row["municipality"],
        name=row["municipality_name"],
        contact_email=row["contact_email"],
        link_nonce=row["link_nonce"],
        comment=row["comment"],
        answered_at=row["answered_at"],
        answers=answers,
    )
