"""Mail to participants about their own place: confirmed, waitlisted, promoted, removed, reminder.

Each message is written to the outbox inside the caller's transaction. Messages that carry a
calendar invitation share one supersede key per attendee, so a message still waiting is
replaced by a newer one and nobody receives a stale invite after a fresh one.

What a mail says is the same for every attendee of a session version, language and status
but for their name, link and place in line, so it is rendered once and filled in per person
(events/mail/personal.py): a registration of three, or a session update to hundreds, renders
each mail once, not once per person. The mails of a new place are made apart from queueing them
(`place_mails`), since their supersede keys name the attendee row (`queue_place`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from events.calendars import entries, ics, session_files
from events.enums import RegistrationStatus as R
from events.groups.placement import Placement, group_of
from events.lib import links
from events.lib.i18n import N_
from events.lib.links import session_page
from events.lib.lru import LeastRecentlyUsed
from events.lib.settings import load_settings
from events.lib.tokens import LinkKind
from events.mail import outbox
from events.mail.compose import ComposedMail, compose
from events.mail.personal import PersonalTemplate, markers
from events.registrations.waitlist import waitlist_position
from events.sessions.exchange_sessions import ExchangeSessionView, raise_sequence


def personal_link(attendee: dict[str, Any]) -> str:
    """The attendee's own page, rebuilt from their nonce: every mail carries the same link."""
    return links.personal_link(LinkKind.ATTENDEE, attendee["link_nonce"])


def calendar_key(session_id: int, attendee_id: int) -> str:
    return f"calendar:{session_id}:{attendee_id}"


def reminder_key(session_id: int, attendee_id: int) -> str:
    return f"reminder:{session_id}:{attendee_id}"


def mail_context(
    session: ExchangeSessionView,
    attendee: dict[str, Any],
    group: Placement | None,
    **extra: Any,
) -> dict[str, Any]:
    return _context(session, attendee, personal_link(attendee), group, **extra)


def _context(
    session: ExchangeSessionView,
    attendee: dict[str, Any],
    link: str,
    group: Placement | None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "session": session,
        "attendee": attendee,
        "personal_link": link,
        "session_link": session_page(session.id),
        "with_join": attendee["status"] == R.CONFIRMED,
        "group": group,
        **extra,
    }


# What a mail says is the same for everyone of a session version, language and status but for
# their name, link and place in line: each is rendered once and filled in per person. Tens of
# kilobytes each; a busy day mails about a few dozen sessions in two languages.
_templates: LeastRecentlyUsed[tuple[object, ...], PersonalTemplate] = LeastRecentlyUsed(
    max_entries=256
)


def _composed(
    kind: str,
    session: ExchangeSessionView,
    attendee: dict[str, Any],
    group: Placement | None,
    extra: dict[str, Any],
    position: object,
) -> ComposedMail:
    personal = {"name": str(attendee["name"]), "link": personal_link(attendee)}
    if position is not None:
        personal["position"] = str(position)
    settings = load_settings()
    # Everything the templates read but the personal values (the session view holds its
    # agenda, organizer and series; the site's address makes every link).
    key = (
        kind,
        session,
        attendee["locale"],
        attendee["status"],
        group,
        tuple(sorted(extra.items())),
        tuple(personal),
        settings.base_url,
        settings.mail_from,
    )
    template = _templates.get(key)
    if template is None:
        marked = markers(personal)
        stand_in = {"name": marked["name"], "status": attendee["status"]}
        place = {"position": marked["position"]} if "position" in marked else {}
        context = _context(session, stand_in, marked["link"], group, **extra, **place)
        template = PersonalTemplate(compose(kind, attendee["locale"], **context), marked)
        _templates.put(key, template)
    return template.fill(**personal)


def _render(
    kind: str,
    session: ExchangeSessionView,
    attendee: dict[str, Any],
    *,
    group: Placement | None = None,
    calendar_file: bytes | None = None,
    calendar_method: str | None = None,
    supersede_key: str | None = None,
    due_at: dt.datetime | None = None,
    position: object = None,
    **extra: Any,
) -> outbox.OutgoingMail:
    """The mail of `kind` to `attendee`; `position` is their place in line (a waitlist mail)."""
    mail = _composed(kind, session, attendee, group, extra, position)
    return outbox.OutgoingMail(
        kind=kind,
        recipient=attendee["email"],
        subject=mail.subject,
        text_body=mail.text,
        html_body=mail.html,
        calendar=calendar_file.decode("utf-8") if calendar_file else None,
        calendar_method=calendar_method,
        reply_to=session.organizer_email,
        supersede_key=supersede_key,
        topic_key=f"session:{session.id}",
        due_at=due_at,
    )


async def _send(
    kind: str, session: ExchangeSessionView, attendee: dict[str, Any], **options: Any
) -> None:
    await outbox.enqueue(_render(kind, session, attendee, **options))


@dataclass(frozen=True)
class PlaceMails:
    """The mails of a held place, rendered: the invitation with its calendar entry, and the
    reminder (None when the start is already inside the reminder window). Their supersede
    keys are added when they are queued, from the attendee's id."""

    invitation: outbox.OutgoingMail
    reminder: outbox.OutgoingMail | None


def place_mails(
    kind: str,
    session: ExchangeSessionView,
    attendee: dict[str, Any],
    now: dt.datetime,
    *,
    group: Placement | None,
    **extra: Any,
) -> PlaceMails:
    """Render the mail with a fresh calendar entry, and the reminder that goes with it.

    Someone who registers (or a session moved) inside the reminder window has just been
    sent everything a reminder says, so no reminder is rendered then.
    """
    invite = (
        entries.invitation_file(
            session, email=attendee["email"], name=attendee["name"], now=now, group=group
        )
        if group
        else session_files.invitation_file(
            session, ics.Invitee(email=attendee["email"], name=attendee["name"]), now=now
        )
    )
    invitation = _render(
        kind,
        session,
        attendee,
        group=group,
        calendar_file=invite,
        calendar_method="REQUEST",
        **extra,
    )
    due_at = session.starts_at - dt.timedelta(hours=load_settings().reminder_hours_before)
    reminder = (
        _render("reminder", session, attendee, group=group, due_at=due_at) if due_at > now else None
    )
    return PlaceMails(invitation, reminder)


def confirmation_mails(
    session: ExchangeSessionView, attendee: dict[str, Any], now: dt.datetime
) -> PlaceMails:
    """The mails of a newcomer who gets a place; nobody is in a group before they exist, so
    they can be rendered before the attendee row (and its id) is written."""
    return place_mails("confirmation", session, attendee, now, group=None)


@dataclass(frozen=True)
class ConfirmationsAhead:
    """The place mails of a registration's newcomers, rendered before the change takes the
    session's turn, from the session as read then: rendering is the costliest part of a
    registration, and the changes of one session wait for each other. Under the lock a
    newcomer who gets a place is mailed these, unless the session read there differs (then
    they are rendered again); one who waits gets a waitlist mail instead."""

    session: ExchangeSessionView
    now: dt.datetime
    by_link: dict[str, PlaceMails]

    @classmethod
    def render(
        cls, session: ExchangeSessionView, newcomers: Sequence[dict[str, Any]], now: dt.datetime
    ) -> ConfirmationsAhead:
        mails = {row["link_nonce"]: confirmation_mails(session, row, now) for row in newcomers}
        return cls(session, now, mails)

    def for_place(
        self, session: ExchangeSessionView, attendee: dict[str, Any], now: dt.datetime
    ) -> PlaceMails:
        """confirmation_mails(session, attendee, now), rendered ahead where it could be."""
        ahead = self.by_link.get(attendee["link_nonce"])
        if ahead is None or session != self.session or now != self.now:
            return confirmation_mails(session, attendee, now)
        return ahead


async def queue_place(mails: PlaceMails, session_id: int, attendee_id: int) -> None:
    """Queue a place's mails: the invitation replaces any older one still waiting, and the
    reminder replaces the waiting one, or, when there is none to send, drops it."""
    invitation, reminder = _keyed(mails, session_id, attendee_id)
    await outbox.enqueue(invitation)
    if reminder is None:
        await outbox.cancel_pending(reminder_key(session_id, attendee_id))
    else:
        await outbox.enqueue(reminder)


def newcomer_place(
    mails: PlaceMails, session_id: int, attendee_id: int
) -> tuple[outbox.OutgoingMail, ...]:
    """The mails of a place to queue for an attendee whose row this transaction created: no
    message bears keys naming it yet, so there is nothing to replace or drop, and they can be
    stored with `outbox.enqueue_new`."""
    return tuple(mail for mail in _keyed(mails, session_id, attendee_id) if mail)


def _keyed(
    mails: PlaceMails, session_id: int, attendee_id: int
) -> tuple[outbox.OutgoingMail, outbox.OutgoingMail | None]:
    """The place's mails with the supersede keys that name the attendee."""
    reminder = mails.reminder
    return (
        dataclasses.replace(mails.invitation, supersede_key=calendar_key(session_id, attendee_id)),
        dataclasses.replace(reminder, supersede_key=reminder_key(session_id, attendee_id))
        if reminder is not None
        else None,
    )


async def _with_invitation(
    kind: str,
    session: ExchangeSessionView,
    attendee: dict[str, Any],
    now: dt.datetime,
    *,
    group: Placement | None = None,
    **extra: Any,
) -> None:
    """The mail with a fresh calendar entry; `group` defaults to the published one, if any."""
    group = group or await group_of(attendee["id"])
    mails = place_mails(kind, session, attendee, now, group=group, **extra)
    await queue_place(mails, session.id, attendee["id"])


async def confirmed(
    session: ExchangeSessionView, attendee: dict[str, Any], now: dt.datetime
) -> None:
    """A place is held: the whole invitation, with the join link and a calendar entry."""
    await _with_invitation("confirmation", session, attendee, now)


async def promoted(
    session: ExchangeSessionView, attendee: dict[str, Any], now: dt.datetime
) -> None:
    """A place freed up for someone on the waiting list."""
    await _with_invitation("promoted", session, attendee, now)


async def waitlisted(session: ExchangeSessionView, attendee: dict[str, Any]) -> None:
    """The session is full: their position on the list, no join link yet."""
    await outbox.enqueue(waitlist_mail(session, attendee, await waitlist_position(attendee)))


def waitlist_mail(
    session: ExchangeSessionView, attendee: dict[str, Any], position: int
) -> outbox.OutgoingMail:
    """The mail of someone waiting `position`th in line: no join link yet."""
    return _render("waitlisted", session, attendee, position=position)


async def removed(session: ExchangeSessionView, attendee: dict[str, Any], now: dt.datetime) -> None:
    """No longer attending: a calendar cancellation if they held a place, no reminder."""
    cancel = None
    if attendee["status"] == R.CONFIRMED:
        raised = await raise_sequence(session.id)
        cancel = entries.removal_file(
            raised, email=attendee["email"], name=attendee["name"], now=now
        )
    await _send(
        "attendee_cancelled",
        session,
        {**attendee, "status": R.CANCELLED.value},
        calendar_file=cancel,
        calendar_method="CANCEL" if cancel else None,
        supersede_key=calendar_key(session.id, attendee["id"]),
    )
    await outbox.cancel_pending(reminder_key(session.id, attendee["id"]))


# How an update names what changed, in the order participants care about.
CHANGE_LABELS = {
    "starts_at": N_("日時"),
    "ends_at": N_("日時"),
    "meeting_url": N_("参加URL"),
    "meeting_passcode": N_("パスコード"),
    "title": N_("タイトル"),
}


async def session_updated(
    before: ExchangeSessionView,
    session: ExchangeSessionView,
    attendee: dict[str, Any],
    changed: tuple[str, ...],
    now: dt.datetime,
) -> None:
    """Time, link or title changed: an update that replaces the calendar entry (same UID)."""
    labels = tuple(
        dict.fromkeys(CHANGE_LABELS[field] for field in changed if field in CHANGE_LABELS)
    )
    extra: dict[str, Any] = {
        "changed_labels": labels,
        "previous": before,
        "time_changed": "starts_at" in changed or "ends_at" in changed,
    }
    if attendee["status"] == R.CONFIRMED:
        await _with_invitation("update", session, attendee, now, **extra)
    else:
        await _send("update", session, attendee, **extra)


async def session_cancelled(
    session: ExchangeSessionView, attendee: dict[str, Any], reason: str, now: dt.datetime
) -> None:
    """The whole session is off: METHOD:CANCEL removes it from the entries."""
    cancel = entries.cancellation_file(
        session, email=attendee["email"], name=attendee["name"], now=now
    )
    await _send(
        "session_cancelled",
        session,
        attendee,
        reason=reason,
        calendar_file=cancel,
        calendar_method="CANCEL",
        supersede_key=calendar_key(session.id, attendee["id"]),
    )
    await outbox.cancel_pending(reminder_key(session.id, attendee["id"]))


async def group_assigned(
    session: ExchangeSessionView, attendee: dict[str, Any], group: Placement, now: dt.datetime
) -> None:
    """The assignment is published: their topic and group, and the calendar entry with it."""
    await _with_invitation("group_assigned", session, attendee, now, group=group)


async def group_changed(
    session: ExchangeSessionView,
    attendee: dict[str, Any],
    group: Placement,
    previous: str,
    now: dt.datetime,
) -> None:
    """The organizer moved them after publication: the new group, and the one it replaces."""
    await _with_invitation("group_changed", session, attendee, now, group=group, previous=previous)
