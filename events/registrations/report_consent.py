"""A delegation's consent to have the municipality named in the report beside what it shared.

Stored with the moment it last changed: a report version published before that moment stays
as published, and its page says the consent has changed since.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from events.tables import Registration


def new_row_values(consent: bool | None, now: dt.datetime) -> dict[str, Any]:
    """The consent columns of a registration row about to be inserted: what `store` would
    leave on a row inserted without consent, in the INSERT itself."""
    return {"report_consent": bool(consent), "report_consent_changed_at": now if consent else None}


async def store(registration_id: int, consent: bool | None, now: dt.datetime) -> bool:
    """Set the consent inside the caller's transaction; None keeps it. True when it changed."""
    if consent is None:
        return False
    changed = (
        await Registration.update(
            {Registration.report_consent: consent, Registration.report_consent_changed_at: now}
        )
        .where(Registration.id == registration_id, Registration.report_consent != consent)
        .returning(Registration.id)
    )
    return bool(changed)
