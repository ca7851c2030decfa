"""Answering a date poll from a municipality's own link: ○ △ × per slot and a comment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from events.audit import trail
from events.date_polls.mail import reminder_key
from events.date_polls.polls import locked_poll
from events.date_polls.queries import PollRecipient, PollView, get_poll, recipients_of
from events.enums import PollMark
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.errors import ConflictError, NotFoundError, Problems
from events.lib.formatting import format_period
from events.lib.i18n import N_
from events.lib.tokens import hash_token, looks_like_token
from events.mail import outbox
from events.tables import DatePollAnswer, DatePollRecipient

MAX_COMMENT = 1000
# The marks everyone knows from paper date polls, and their names for scripts.
MARKS = {
    "○": PollMark.YES,
    "△": PollMark.MAYBE,
    "×": PollMark.NO,
    **{mark.value: mark for mark in PollMark},
}
INVALID_LINK = N_(
    "このリンクは無効です。日程調整のメールのリンクをもう一度ご確認いただくか、主催者にお問い合わせください。"
)


@dataclass(frozen=True)
class PollAccess:
    """What a valid answer link opens: one municipality's answers to one poll."""

    poll: PollView
    recipient: PollRecipient


async def access_by_token(token: str, poll_id: int | None = None) -> PollAccess:
    """The poll and municipality of a link; one message for unknown, malformed or foreign tokens.

    With `poll_id` (the API names the poll in its path) a token of another poll is refused alike.
    """
    row = None
    if looks_like_token(token):
        row = await (
            DatePollRecipient.select(DatePollRecipient.id, DatePollRecipient.poll)
            .where(DatePollRecipient.token_hash == hash_token(token))
            .first()
        )
    if row is None or (poll_id is not None and row["poll"] != poll_id):
        raise NotFoundError(INVALID_LINK)
    return await _access(row["poll"], row["id"])


async def _access(poll_id: int, recipient_id: int) -> PollAccess:
    recipient = await recipients_of(poll_id, DatePollRecipient.id == recipient_id)
    return PollAccess(poll=await get_poll(poll_id), recipient=recipient[0])


async def answer(
    access: PollAccess,
    marks: Mapping[str, str],
    comment: str = "",
    *,
    now: dt.datetime | None = None,
) -> PollAccess:
    """Store the municipality's answer set, replacing the previous one; allowed until close."""
    now = now or utcnow()
    comment = comment.strip()
    recipient = access.recipient
    async with write_transaction():
        poll = await locked_poll(recipient.poll_id)
        if not poll.is_open:
            raise ConflictError(
                N_("この日程調整は締め切られました。回答の送信・変更はできません。"), field="status"
            )
        chosen = checked_answer(poll, marks, comment)
        await DatePollAnswer.delete().where(DatePollAnswer.recipient == recipient.id)
        await DatePollAnswer.insert(
            *(
                DatePollAnswer(recipient=recipient.id, slot=slot_id, mark=mark)
                for slot_id, mark in chosen.items()
            )
        )
        await DatePollRecipient.update(
            {DatePollRecipient.comment: comment, DatePollRecipient.answered_at: now}
        ).where(DatePollRecipient.id == recipient.id)
        await outbox.cancel_pending(reminder_key(poll.id, recipient.id))
        await trail.record(
            f"coordinator:{recipient.code}",
            "date_poll_answered",
            details={"poll": poll.id, "municipality": recipient.code},
        )
    return await _access(poll.id, recipient.id)


def checked_answer(poll: PollView, marks: Mapping[str, str], comment: str) -> dict[int, PollMark]:
    """The mark of each slot; ValidationError listing every problem of the answer."""
    problems = Problems()
    chosen = parse_marks(poll, marks, problems)
    if len(comment) > MAX_COMMENT:
        problems.add("comment", N_("コメントは%(max)d文字以内にしてください。"), max=MAX_COMMENT)
    problems.raise_if_any()
    return chosen


def parse_marks(
    poll: PollView, marks: Mapping[str, str], problems: Problems
) -> dict[int, PollMark]:
    """A mark for every slot: field `answers` names foreign slots, `slot-<id>` each slot's own."""
    slot_ids = {str(slot.id): slot.id for slot in poll.slots}
    for key in marks:
        if key not in slot_ids:
            problems.add("answers", N_("候補日時 %(slot)s はこの日程調整にありません。"), slot=key)
    chosen: dict[int, PollMark] = {}
    for slot in poll.slots:
        value = marks.get(str(slot.id), "").strip()
        period = format_period(slot.starts_at, slot.ends_at)
        if not value:
            problems.add(f"slot-{slot.id}", N_("%(slot)s の回答を選んでください。"), slot=period)
        elif value not in MARKS:
            problems.add(
                f"slot-{slot.id}",
                N_(
                    "%(slot)s の回答「%(mark)s」は使えません。"
                    "○・△・×（yes・maybe・no）のいずれかにしてください。"
                ),
                slot=period,
                mark=value[:20],
            )
        else:
            chosen[slot.id] = MARKS[value]
    return chosen
