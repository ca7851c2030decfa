"""Every mail kind of a session rendered for a sample recipient: the organizer's preview page."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from events.enums import RegistrationStatus as R
from events.invitations import mail as coordinator_mail
from events.lib.i18n import DEFAULT_LOCALE, N_, gettext
from events.lib.links import personal_link, session_page
from events.lib.tokens import LinkKind
from events.mail import kinds
from events.mail.compose import ComposedMail, compose
from events.registrations.mail import CHANGE_LABELS, mail_context
from events.sessions.exchange_sessions import ExchangeSessionView

# In the order a participant meets them.
KINDS = (
    "confirmation",
    "waitlisted",
    "promoted",
    "update",
    "reminder",
    "attendee_cancelled",
    "session_cancelled",
    coordinator_mail.KIND,
)
KIND_LABELS = {kind: kinds.LABELS[kind] for kind in KINDS}
# Sample data only; the nonces belong to no row, so the sample links open nothing.
SAMPLE_NONCE = "preview"
SAMPLE_MUNICIPALITY = N_("見本市")
SAMPLE_REASON = N_("（中止の理由がここに入ります）")


def sample_attendee(status: str = R.CONFIRMED.value) -> dict[str, Any]:
    return {
        "id": 0,
        "name": gettext("見本 太郎"),
        "email": "sample@example.jp",
        "status": status,
        "locale": DEFAULT_LOCALE,
        "link_nonce": SAMPLE_NONCE,
    }


def preview(kind: str, session: ExchangeSessionView) -> ComposedMail:
    """The message `kind` as it would go out for `session` now, to a sample recipient."""
    if kind == coordinator_mail.KIND:
        context: dict[str, Any] = {
            "session": session,
            "municipality": gettext(SAMPLE_MUNICIPALITY),
            "coordinator_link": personal_link(LinkKind.INVITATION, SAMPLE_NONCE),
            "session_link": session_page(session.id),
        }
        return compose(kind, DEFAULT_LOCALE, **context)
    attendee, extra = _participant(kind, session)
    return compose(kind, DEFAULT_LOCALE, **mail_context(session, attendee, None, **extra))


def _participant(kind: str, session: ExchangeSessionView) -> tuple[dict[str, Any], dict[str, Any]]:
    if kind not in KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    status = {"waitlisted": R.WAITLISTED, "attendee_cancelled": R.CANCELLED}.get(kind, R.CONFIRMED)
    extra: dict[str, Any] = {}
    if kind == "waitlisted":
        extra = {"position": 1}
    elif kind == "update":
        # A sample move by one day, so that the before and after lines both show.
        day = dt.timedelta(days=1)
        previous = dataclasses.replace(
            session, starts_at=session.starts_at - day, ends_at=session.ends_at - day
        )
        extra = {
            "changed_labels": [CHANGE_LABELS["starts_at"]],
            "previous": previous,
            "time_changed": True,
        }
    elif kind == "session_cancelled":
        extra = {"reason": gettext(SAMPLE_REASON)}
    return sample_attendee(status.value), extra
