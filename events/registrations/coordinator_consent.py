"""The coordinator gives or withdraws the report consent on its own, deadline or not."""

from __future__ import annotations

import datetime as dt

from events.audit import trail
from events.invitations.invitations import CoordinatorAccess
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.registrations import report_consent
from events.registrations.actors import coordinator
from events.registrations.registrations import active_registration


async def change_report_consent(
    access: CoordinatorAccess, consent: bool, *, now: dt.datetime | None = None
) -> bool:
    """Allowed after the deadline and after the report is published: withdrawing must never be
    refused. True when it changed; saying the same again records nothing."""
    now = now or utcnow()
    async with write_transaction():
        registration = await active_registration(access.session.id, access.municipality_code)
        changed = await report_consent.store(registration["id"], consent, now)
        if changed:
            await trail.record(
                coordinator(access).name,
                "report_consent_changed",
                session_id=access.session.id,
                details={"municipality": access.municipality_code, "report_consent": consent},
            )
    return changed
