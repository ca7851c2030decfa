"""Mail about new board answers: immediately, or one daily digest per person; one-click unsubscribe.

Who hears of a new answer: the asker and everyone who answered the same question before, never
its own author, each reached at a personal link of theirs that still opens the board. A
person (an e-mail address) chooses digest (the default), immediate or off. A digest covers the
answers written on one day in Japan time, so each answer is listed once; building the digests
of a day twice sends nothing more (one BoardDigest row per person and day).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from events.board.queries import person_label
from events.board.text import excerpt
from events.enums import BoardMailMode, SessionStatus
from events.enums import RegistrationStatus as R
from events.lib.clock import utcnow
from events.lib.database import is_unique_violation, write_transaction
from events.lib.errors import NotFoundError
from events.lib.formatting import TOKYO
from events.lib.i18n import DEFAULT_LOCALE
from events.lib.links import personal_link
from events.lib.tokens import INVALID_LINK, LinkKind, hash_token, link_token, looks_like_token
from events.mail import outbox
from events.mail.compose import compose
from events.tables import Attendee, BoardAnswer, BoardDigest, BoardSubscription


@dataclass(frozen=True)
class AnnouncedAnswer:
    """A new answer as one recipient reads it in a mail (link: their own question page)."""

    answer_id: int
    series_title: str
    question_title: str
    author: str
    excerpt: str
    link: str


async def subscription(email: str) -> dict[str, Any]:
    """The person's mail setting, created (digest) the first time it is needed."""
    row = await BoardSubscription.select().where(BoardSubscription.email == email).first()
    if row is not None:
        return row
    nonce = secrets.token_hex(16)
    async with write_transaction(public=False):
        await BoardSubscription(
            email=email,
            mode=BoardMailMode.DIGEST,
            link_nonce=nonce,
            token_hash=hash_token(link_token(LinkKind.BOARD_UNSUBSCRIBE, nonce)),
        ).save()
    return await subscription(email)


def unsubscribe_link(row: dict[str, Any]) -> str:
    return personal_link(LinkKind.BOARD_UNSUBSCRIBE, row["link_nonce"])


async def set_mode(email: str, mode: BoardMailMode, *, now: dt.datetime | None = None) -> None:
    await subscription(email)
    async with write_transaction(public=False):
        await BoardSubscription.update(
            {BoardSubscription.mode: mode, BoardSubscription.updated_at: now or utcnow()}
        ).where(BoardSubscription.email == email)


async def subscription_by_token(token: str) -> dict[str, Any]:
    row = None
    if looks_like_token(token):
        row = await (
            BoardSubscription.select()
            .where(BoardSubscription.token_hash == hash_token(token))
            .first()
        )
    if row is None:
        raise NotFoundError(INVALID_LINK)
    return row


async def unsubscribe(token: str) -> dict[str, Any]:
    """One click from the mail, no sign-in: the person gets no more board mail."""
    row = await subscription_by_token(token)
    await set_mode(row["email"], BoardMailMode.OFF)
    return row


async def _board_links(emails: Iterable[str], series_id: int) -> dict[str, str]:
    """Each person's newest attendee link (its nonce) that still opens the series' board."""
    rows = await (
        Attendee.select(Attendee.email, Attendee.link_nonce)
        .where(
            Attendee.email.is_in(list(emails) or [""]),
            Attendee.status == R.CONFIRMED,
            Attendee.link_nonce.is_not_null(),
            Attendee.exchange_session._.series == series_id,
            Attendee.exchange_session._.status != SessionStatus.CANCELLED,
        )
        .order_by(Attendee.id)
    )
    return {row["email"]: row["link_nonce"] for row in rows}


def question_link(attendee_nonce: str, question_id: int) -> str:
    """The question's page on the board, opened with the recipient's own attendee link."""
    return personal_link(LinkKind.ATTENDEE, attendee_nonce, f"/board/questions/{question_id}")


def author_label(row: dict[str, Any]) -> str:
    return person_label(
        row["municipality_name"], row["department"], row["author_name"], row["share_contact"]
    )


_ANSWER_COLUMNS = (
    BoardAnswer.id,
    BoardAnswer.body,
    BoardAnswer.created_at,
    BoardAnswer.question,
    BoardAnswer.author._.email.as_alias("author_email"),
    BoardAnswer.author._.name.as_alias("author_name"),
    BoardAnswer.author._.department.as_alias("department"),
    BoardAnswer.author._.share_contact.as_alias("share_contact"),
    BoardAnswer.author._.registration._.municipality._.display_name.as_alias("municipality_name"),
    BoardAnswer.question._.title.as_alias("question_title"),
    BoardAnswer.question._.series.as_alias("series_id"),
    BoardAnswer.question._.series._.title.as_alias("series_title"),
    BoardAnswer.question._.asker._.email.as_alias("asker_email"),
)


async def _followers(question_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Question -> (answer id, author e-mail) of its visible answers, oldest first."""
    rows = await (
        BoardAnswer.select(BoardAnswer.id, BoardAnswer.question, BoardAnswer.author._.email)
        .where(BoardAnswer.question.is_in(question_ids or [0]), BoardAnswer.hidden.eq(False))
        .order_by(BoardAnswer.id)
    )
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in rows:
        found[row["question"]].append((row["id"], row["author.email"]))
    return found


def _recipients(row: dict[str, Any], answers: list[tuple[int, str]]) -> set[str]:
    """The asker and those who answered before this answer, never its author."""
    earlier = {email for answer_id, email in answers if answer_id < row["id"]}
    return ({row["asker_email"]} | earlier) - {row["author_email"]}


async def announce(answer_id: int, *, now: dt.datetime) -> None:
    """Inside the answer's transaction: immediate mail for those who chose it; digests later."""
    row = await BoardAnswer.select(*_ANSWER_COLUMNS).where(BoardAnswer.id == answer_id).first()
    if row is None:
        return
    followers = await _followers([row["question"]])
    recipients = sorted(_recipients(row, followers[row["question"]]))
    links = await _board_links(recipients, row["series_id"])
    for email in recipients:
        setting = await subscription(email)
        if setting["mode"] != BoardMailMode.IMMEDIATE or email not in links:
            continue
        announced = _announced(row, links[email])
        await _enqueue("board_answer", email, setting, answers=[announced], now=now)


def _announced(row: dict[str, Any], nonce: str) -> AnnouncedAnswer:
    return AnnouncedAnswer(
        answer_id=row["id"],
        series_title=row["series_title"],
        question_title=row["question_title"],
        author=author_label(row),
        excerpt=excerpt(row["body"], 200),
        link=question_link(nonce, row["question"]),
    )


async def _enqueue(
    kind: str,
    email: str,
    setting: dict[str, Any],
    *,
    answers: list[AnnouncedAnswer],
    now: dt.datetime,
    day: dt.date | None = None,
) -> None:
    link = unsubscribe_link(setting)
    mail = compose(kind, DEFAULT_LOCALE, answers=answers, unsubscribe=link, day=day)
    await outbox.enqueue(
        outbox.OutgoingMail(
            kind=kind,
            recipient=email,
            subject=mail.subject,
            text_body=mail.text,
            html_body=mail.html,
            due_at=now,
            list_unsubscribe=link if link.startswith("https:") else None,
        )
    )


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A calendar day in Japan, as UTC instants [start, end)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=TOKYO)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


async def build_digests(day: dt.date, *, now: dt.datetime | None = None) -> int:
    """One mail per person listing the answers of `day` (Japan time); returns mails queued.

    Safe to run again, from the worker or a cron job: a person already sent that day's digest
    is skipped.
    """
    now = now or utcnow()
    start, end = day_bounds(day)
    rows = await (
        BoardAnswer.select(*_ANSWER_COLUMNS)
        .where(
            BoardAnswer.created_at >= start,
            BoardAnswer.created_at < end,
            BoardAnswer.hidden.eq(False),
            BoardAnswer.question._.hidden.eq(False),
        )
        .order_by(BoardAnswer.id)
    )
    followers = await _followers(sorted({row["question"] for row in rows}))
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        for email in _recipients(row, followers[row["question"]]):
            by_person[email].append(row)
    sent = 0
    for email in sorted(by_person):
        if await _digest(email, by_person[email], day, now):
            sent += 1
    return sent


async def _digest(email: str, rows: list[dict[str, Any]], day: dt.date, now: dt.datetime) -> bool:
    setting = await subscription(email)
    if setting["mode"] != BoardMailMode.DIGEST:
        return False
    if await BoardDigest.exists().where(BoardDigest.email == email, BoardDigest.day == str(day)):
        return False
    answers: list[AnnouncedAnswer] = []
    for series_id in dict.fromkeys(row["series_id"] for row in rows):
        nonce = (await _board_links([email], series_id)).get(email)
        if nonce is not None:
            answers.extend(_announced(r, nonce) for r in rows if r["series_id"] == series_id)
    if not answers:
        return False
    try:
        async with write_transaction(public=False):
            await BoardDigest(email=email, day=day.isoformat(), answers=len(answers)).save()
            await _enqueue("board_digest", email, setting, answers=answers, now=now, day=day)
    except Exception as error:
        if is_unique_violation(error):
            return False  # another run sent this day's digest meanwhile
        raise
    return True


# Digests of a day go out the next morning in Japan, not at midnight.
DIGEST_HOUR = 7


def digest_day_due(now: dt.datetime) -> dt.date | None:
    """The day whose digests are due at `now`: yesterday, once it is DIGEST_HOUR in Japan."""
    local = now.astimezone(TOKYO)
    return local.date() - dt.timedelta(days=1) if local.hour >= DIGEST_HOUR else None
