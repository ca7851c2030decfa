"""Telling a repeated registration from a new one.

A client whose answer was lost (the server stopped right after the commit, the network broke)
sends the same registration again. With an Idempotency-Key the repeat is recognised by the key
and the fingerprint of what was sent with it; without one, by a delegation identical to the
stored one. Either way it is answered from what is stored, and nothing is written or mailed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from events.lib.errors import ValidationError
from events.lib.i18n import N_
from events.lib.tokens import hash_token
from events.registrations.delegations import AttendeeInput, DelegationInput
from events.registrations.queries import stored_delegation

KEY_FIELD = "idempotency_key"


def key_hash(key: str | None) -> str | None:
    """Keys are stored hashed: a key is the client's secret as much as its link is."""
    return hash_token(key) if key is not None else None


def fingerprint(delegation: DelegationInput) -> str:
    """SHA-256 of what a normalised delegation says; attendee ids (an edit's) play no part."""
    content = {
        "plan_status": delegation.plan_status,
        # Left out, consent stays as it is; a first registration then stores no consent.
        "report_consent": bool(delegation.report_consent),
        "attendees": [
            [
                attendee.name,
                attendee.reading,
                attendee.department,
                attendee.position,
                attendee.email,
                attendee.is_digital_department,
                attendee.share_contact,
                list(attendee.topic_preferences),
            ]
            for attendee in delegation.attendees
        ],
        "sharing_answers": sorted(delegation.sharing_answers.items()),
    }
    canonical = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


async def is_repeat(
    registration: dict[str, Any], delegation: DelegationInput, key: str | None
) -> bool:
    """Whether a registration sent for an active one repeats it (True) or is another one
    (False: the caller's conflict). Raises ValidationError when the key was used for a
    different request: reusing a key is the client's mistake, not a conflict of state."""
    stored_key = registration["idempotency_key_hash"]
    if key is not None and stored_key == key_hash(key):
        if registration["request_fingerprint"] != fingerprint(delegation):
            raise ValidationError(
                N_(
                    "この Idempotency-Key は別の内容の参加登録にすでに使われています。"
                    "新しい登録には新しいキーを使ってください。"
                ),
                field=KEY_FIELD,
            )
        return True
    return fingerprint(await _as_submitted(registration)) == fingerprint(delegation)


async def _as_submitted(registration: dict[str, Any]) -> DelegationInput:
    """The active registration (its row) as a submission would state it."""
    stored = await stored_delegation(registration["exchange_session"], registration["municipality"])
    return DelegationInput(
        plan_status=stored.plan_status,
        report_consent=stored.report_consent,
        attendees=tuple(
            AttendeeInput(
                name=attendee.name,
                reading=attendee.reading,
                department=attendee.department,
                position=attendee.position,
                email=attendee.email,
                is_digital_department=attendee.is_digital_department,
                share_contact=attendee.share_contact,
                topic_preferences=attendee.topic_preferences,
            )
            for attendee in stored.attendees
        ),
        sharing_answers=dict(stored.sharing_answers),
    )
