"""Calendar entries for sessions: what goes into .ics files, public or personal."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from email.utils import parseaddr

from events.calendars import ics
from events.enums import SessionStatus
from events.groups.placement import Placement
from events.lib.formatting import format_period
from events.lib.i18n import gettext
from events.lib.links import session_page, site_host
from events.lib.settings import load_settings
from events.sessions.exchange_sessions import ExchangeSessionView
from events.templating import render


def agenda_text(session: ExchangeSessionView) -> str:
    """The agenda as plain text, for calendar descriptions and mails."""
    return render("calendar/description.txt.jinja2", session=session).strip()


def calendar_entry(session: ExchangeSessionView) -> ics.CalendarEntry:
    """The public facts of a session; join data is added only in attendees' own copies."""
    description = "\n\n".join(
        part
        for part in (
            f"{format_period(session.starts_at, session.ends_at)}",
            agenda_text(session),
            f"{gettext('詳細')}: {session_page(session.id)}",
        )
        if part
    )
    return ics.CalendarEntry(
        uid=ics.session_uid(session.id, site_host()),
        sequence=session.sequence,
        title=session.title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        description=description,
        organizer_email=session.organizer_email,
        organizer_name=session.organization or session.organizer_name,
        url=session_page(session.id),
        location=gettext("オンライン"),
        cancelled=session.status == SessionStatus.CANCELLED,
        publisher=publisher(session),
    )


def publisher(session: ExchangeSessionView) -> ics.Invitee:
    """ORGANIZER of public files: the organization's name at the site's own sender address."""
    sender_name, sender_address = parseaddr(load_settings().mail_from)
    return ics.Invitee(email=sender_address, name=session.organization or sender_name)


def attendee_entry(
    session: ExchangeSessionView, group: Placement | None = None
) -> ics.CalendarEntry:
    """The entry as a participant gets it: with the join link, passcode and their group."""
    join_details = "\n".join(
        line
        for line in (
            f"{gettext('あなたのグループ')}: {group.label}" if group else "",
            f"{gettext('参加URL')}: {session.meeting_url}" if session.meeting_url else "",
            f"{gettext('パスコード')}: {session.meeting_passcode}"
            if session.meeting_passcode
            else "",
        )
        if line
    )
    return dataclasses.replace(
        calendar_entry(session),
        join_url=session.meeting_url or None,
        join_label=gettext("オンライン会議に参加"),
        join_details=join_details,
    )


def invitation_file(
    session: ExchangeSessionView,
    *,
    email: str,
    name: str,
    now: dt.datetime,
    group: Placement | None = None,
) -> bytes:
    """METHOD:REQUEST for one participant (or METHOD:CANCEL once the session is cancelled)."""
    invitee = ics.Invitee(email=email, name=name)
    if session.status == SessionStatus.CANCELLED:
        return ics.cancellation(calendar_entry(session), invitee, now=now)
    return ics.invitation(attendee_entry(session, group), invitee, now=now)


def invitation_template(session: ExchangeSessionView) -> ics.PersonalTemplate:
    """invitation_file for any participant without a group, rendered once: fill in the person."""
    if session.status == SessionStatus.CANCELLED:
        return ics.cancellation_template(calendar_entry(session))
    return ics.invitation_template(attendee_entry(session))


def cancellation_file(
    session: ExchangeSessionView, *, email: str, name: str, now: dt.datetime
) -> bytes:
    """METHOD:CANCEL of a cancelled session, for one participant."""
    entry = dataclasses.replace(calendar_entry(session), cancelled=True)
    return ics.cancellation(entry, ics.Invitee(email=email, name=name), now=now)


def removal_file(session: ExchangeSessionView, *, email: str, name: str, now: dt.datetime) -> bytes:
    """METHOD:CANCEL for one participant who no longer attends a session that still takes
    place; `session` carries the SEQUENCE already raised for it (see raise_sequence)."""
    return ics.attendee_removal(
        calendar_entry(session), ics.Invitee(email=email, name=name), now=now
    )


def public_file(session: ExchangeSessionView) -> bytes:
    """The public .ics download; DTSTAMP is the last change, so the bytes change only with it."""
    return ics.public_event(calendar_entry(session), now=session.updated_at)


def etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
