"""The organizer's order of a session's invited municipalities.

Municipalities are listed in the report and on the public session page in this order: first
as they were picked (an explicit number in the picker, else the list's order), then as the
organizer moves them up or down on the session's invitations page.
"""

from __future__ import annotations

import enum

from piccolo.query.functions.aggregate import Max

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.lib.database import write_transaction
from events.lib.errors import ConflictError, NotFoundError
from events.lib.i18n import N_
from events.sessions.exchange_sessions import locked_session
from events.sessions.series import actor, require_owner
from events.tables import Invitation


class Direction(enum.StrEnum):
    UP = "up"
    DOWN = "down"


async def next_position(session_id: int) -> int:
    """The position after the session's last invitation (0 for the first)."""
    row = await (
        Invitation.select(Max(Invitation.position).as_alias("last"))
        .where(Invitation.exchange_session == session_id)
        .first()
    )
    last = row["last"] if row else None
    return 0 if last is None else last + 1


async def _positions(session_id: int) -> dict[str, int]:
    """Code -> position of every invitation of the session, in the organizer's order (ties in
    the order invited, as sessions.participants.invitation_order reads it)."""
    rows = await (
        Invitation.select(Invitation.municipality, Invitation.position)
        .where(Invitation.exchange_session == session_id)
        .order_by(Invitation.position)
        .order_by(Invitation.id)
    )
    return {row["municipality"]: row["position"] for row in rows}


async def move(
    organizer: OrganizerIdentity, session_id: int, code: str, direction: Direction
) -> None:
    """Swap a municipality with its neighbour above or below; refused at either end."""
    async with write_transaction():
        session = await locked_session(session_id)
        require_owner(organizer, session.owner_id)
        positions = await _positions(session_id)
        codes = list(positions)
        if code not in codes:
            raise NotFoundError(
                N_("この団体は招待されていません。"), field="code", params={"code": code}
            )
        index = codes.index(code)
        other = index - 1 if direction is Direction.UP else index + 1
        if not 0 <= other < len(codes):
            raise ConflictError(
                N_("いちばん上の自治体はそれ以上上に移動できません。")
                if direction is Direction.UP
                else N_("いちばん下の自治体はそれ以上下に移動できません。"),
                field="code",
            )
        codes[index], codes[other] = codes[other], codes[index]
        # Numbered from 0 again, so that positions are distinct even where two invitations made
        # at the same moment shared one; only the rows whose number changes are written.
        for position, each in enumerate(codes):
            if positions[each] != position:
                await Invitation.update({Invitation.position: position}).where(
                    Invitation.exchange_session == session_id, Invitation.municipality == each
                )
        await trail.record(
            actor(organizer),
            "invitation_moved",
            session_id=session_id,
            details={"code": code, "direction": direction.value},
        )
