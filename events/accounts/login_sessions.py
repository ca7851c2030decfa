"""Login sessions of organizers: a random token in the browser's cookie, only its hash stored."""

from __future__ import annotations

import datetime as dt

from events.accounts.organizers import OrganizerIdentity, organizer_by_id
from events.lib.clock import utcnow
from events.lib.database import write_transaction
from events.lib.tokens import hash_token, looks_like_token, new_token
from events.tables import LoginSession

# Absolute, not sliding: a browser left signed in on a shared office PC stops working by the
# next morning, however busy it was.
LIFETIME = dt.timedelta(hours=12)


async def start(organizer_id: int, previous_token: str | None = None) -> str:
    """Sign the organizer in and return the new token for the cookie.

    The session the browser held before (if any) is deleted: a token planted in the browser
    before sign-in (session fixation) never becomes a signed-in session.
    """
    token, token_hash = new_token()
    now = utcnow()
    async with write_transaction(public=False):
        if previous_token:
            await LoginSession.delete().where(LoginSession.token_hash == hash_token(previous_token))
        await LoginSession(
            token_hash=token_hash, organizer=organizer_id, created_at=now, expires_at=now + LIFETIME
        ).save()
    return token


async def organizer_for(token: str) -> OrganizerIdentity | None:
    """The organizer signed in with this token, or None when it is unknown, ended or expired."""
    if not looks_like_token(token):
        return None
    row = await (
        LoginSession.select(LoginSession.organizer)
        .where(LoginSession.token_hash == hash_token(token), LoginSession.expires_at > utcnow())
        .first()
    )
    if row is None:
        return None
    return await organizer_by_id(row["organizer"])


async def end(token: str) -> None:
    """Sign out: the token stops working at once, wherever a copy of it is."""
    async with write_transaction(public=False):
        await LoginSession.delete().where(LoginSession.token_hash == hash_token(token))


async def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete sessions past their lifetime; returns how many were deleted."""
    async with write_transaction(public=False):
        deleted = await (
            LoginSession.delete()
            .where(LoginSession.expires_at <= (now or utcnow()))
            .returning(LoginSession.id)
        )
    return len(deleted)
