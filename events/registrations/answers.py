"""A delegation's answers to the information-sharing items."""

from __future__ import annotations

from collections.abc import Sequence

from events.lib.bulk_insert import insert_rows
from events.registrations.delegations import DelegationInput
from events.tables import SharingAnswer


async def store_answers(registration_id: int, delegation: DelegationInput) -> None:
    """Replace the registration's answers with the delegation's."""
    await SharingAnswer.delete().where(SharingAnswer.registration == registration_id)
    await insert_answers([(registration_id, delegation)])


async def insert_answers(registrations: Sequence[tuple[int, DelegationInput]]) -> None:
    """Store the answers of registrations that have none yet, in one INSERT."""
    await insert_rows(
        SharingAnswer,
        [
            {"registration": registration_id, "item": item, "text": text}
            for registration_id, delegation in registrations
            for item, text in delegation.sharing_answers.items()
        ],
    )
