"""A date poll's result: totals per slot, best slot first, and the table as CSV for Excel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from events.accounts.organizers import OrganizerIdentity
from events.date_polls.polls import poll_for_editing
from events.date_polls.queries import PollRecipient, PollSlot, PollView, recipients_of
from events.enums import PollMark
from events.lib.csv_export import Cell
from events.lib.formatting import format_moment, format_period
from events.lib.i18n import gettext
from events.lib.spreadsheet import Table


@dataclass(frozen=True)
class SlotTally:
    slot: PollSlot
    rank: int
    yes: int
    maybe: int
    no: int
    unanswered: int


@dataclass(frozen=True)
class PollResults:
    poll: PollView
    tallies: tuple[SlotTally, ...]  # best slot first
    recipients: tuple[PollRecipient, ...]  # in code order

    @property
    def answered(self) -> tuple[PollRecipient, ...]:
        return tuple(recipient for recipient in self.recipients if recipient.has_answered)

    @property
    def unanswered(self) -> tuple[PollRecipient, ...]:
        return tuple(recipient for recipient in self.recipients if not recipient.has_answered)

    @property
    def remindable(self) -> tuple[PollRecipient, ...]:
        return tuple(recipient for recipient in self.unanswered if recipient.contact_email)


def tally(poll: PollView, recipients: Sequence[PollRecipient]) -> PollResults:
    """Best slot first: most ○, then fewest ×, then the earliest."""
    counted = []
    for slot in poll.slots:
        marks = [recipient.mark(slot.id) for recipient in recipients]
        counted.append(
            (
                slot,
                marks.count(PollMark.YES),
                marks.count(PollMark.MAYBE),
                marks.count(PollMark.NO),
                marks.count(None),
            )
        )
    counted.sort(key=lambda c: (-c[1], c[3], c[0].starts_at, c[0].ends_at))
    return PollResults(
        poll=poll,
        tallies=tuple(SlotTally(c[0], rank, *c[1:]) for rank, c in enumerate(counted, start=1)),
        recipients=tuple(recipients),
    )


async def poll_results(organizer: OrganizerIdentity, poll_id: int) -> PollResults:
    poll = await poll_for_editing(organizer, poll_id)
    return tally(poll, await recipients_of(poll_id))


def results_table(results: PollResults) -> Table:
    """Municipalities × slots (best slot first) with ○ △ ×, comments, and the totals below."""
    slots = [tallied.slot for tallied in results.tallies]
    header = [
        gettext("団体コード"),
        gettext("自治体"),
        *map(_slot_label, slots),
        gettext("コメント"),
        gettext("回答日時"),
    ]
    rows: list[list[Cell]] = []
    for recipient in results.recipients:
        marks = [recipient.mark(slot.id) for slot in slots]
        answered_at = recipient.answered_at
        rows.append(
            [
                recipient.code,
                recipient.name,
                *(mark.symbol if mark else "" for mark in marks),
                recipient.comment,
                format_moment(answered_at) if answered_at else gettext("未回答"),
            ]
        )
    for label, counts in (
        ("○", [t.yes for t in results.tallies]),
        ("△", [t.maybe for t in results.tallies]),
        ("×", [t.no for t in results.tallies]),
        (gettext("未回答"), [t.unanswered for t in results.tallies]),
    ):
        rows.append([None, gettext("計 %(mark)s", mark=label), *counts])
    poll = results.poll
    return Table(
        header=header,
        rows=rows,
        ascii_name=f"date-poll-{poll.id}",
        name=gettext("日程調整_%(title)s", title=poll.title),
    )


def _slot_label(slot: PollSlot) -> str:
    period = format_period(slot.starts_at, slot.ends_at)
    return f"{period}（{slot.day_note}）" if slot.day_note else period
