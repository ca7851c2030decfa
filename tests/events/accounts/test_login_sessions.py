"""Login sessions: hashed tokens, a 12-hour absolute lifetime, rotation, sign-out and purging."""

from __future__ import annotations

import datetime as dt

import pytest

from events.accounts import login_sessions
from events.accounts.organizers import OrganizerIdentity, create_organizer
from events.lib.clock import utcnow
from events.lib.tokens import hash_token
from events.tables import LoginSession


@pytest.fixture
async def organizer() -> OrganizerIdentity:
    return await create_organizer("soumu@pref.kagawa.example.jp", "correct horse battery staple")


async def _expire(token: str, ago: dt.timedelta = dt.timedelta(seconds=1)) -> None:
    await LoginSession.update({LoginSession.expires_at: utcnow() - ago}).where(
        LoginSession.token_hash == hash_token(token)
    )


async def test_start_stores_only_the_hash_for_twelve_hours(organizer: OrganizerIdentity) -> None:
    token = await login_sessions.start(organizer.id)
    [row] = await LoginSession.select()
    assert row["token_hash"] == hash_token(token)
    assert row["organizer"] == organizer.id
    assert row["expires_at"] - row["created_at"] == dt.timedelta(hours=12)
    assert await login_sessions.organizer_for(token) == organizer


async def test_start_deletes_the_previous_session(organizer: OrganizerIdentity) -> None:
    first = await login_sessions.start(organizer.id)
    second = await login_sessions.start(organizer.id, previous_token=first)
    assert await login_sessions.organizer_for(first) is None
    assert await login_sessions.organizer_for(second) == organizer
    assert await LoginSession.count() == 1


async def test_start_with_an_unknown_previous_token_still_signs_in(
    organizer: OrganizerIdentity,
) -> None:
    token = await login_sessions.start(organizer.id, previous_token="planted-by-someone-else")
    assert await login_sessions.organizer_for(token) == organizer


@pytest.mark.parametrize("token", ["", "short", "A" * 32, "ä" * 32])
async def test_unknown_or_malformed_tokens_find_nobody(
    organizer: OrganizerIdentity, token: str
) -> None:
    await login_sessions.start(organizer.id)
    assert await login_sessions.organizer_for(token) is None


async def test_expired_session_finds_nobody(organizer: OrganizerIdentity) -> None:
    token = await login_sessions.start(organizer.id)
    await _expire(token)
    assert await login_sessions.organizer_for(token) is None


async def test_end_deletes_the_session(organizer: OrganizerIdentity) -> None:
    token = await login_sessions.start(organizer.id)
    other = await login_sessions.start(organizer.id)
    await login_sessions.end(token)
    assert await login_sessions.organizer_for(token) is None
    assert await login_sessions.organizer_for(other) == organizer


async def test_purge_expired_keeps_live_sessions(organizer: OrganizerIdentity) -> None:
    expired = await login_sessions.start(organizer.id)
    live = await login_sessions.start(organizer.id)
    await _expire(expired, ago=dt.timedelta(hours=1))
    assert await login_sessions.purge_expired() == 1
    assert await LoginSession.count() == 1
    assert await login_sessions.organizer_for(live) == organizer


async def test_the_worker_deletes_expired_sign_ins_once_a_day(organizer: OrganizerIdentity) -> None:
    from events.worker import OutboxWorker

    expired = await login_sessions.start(organizer.id)
    await _expire(expired, ago=dt.timedelta(hours=1))
    worker = OutboxWorker()
    now = utcnow()
    await worker.daily_jobs(now)
    assert await LoginSession.count() == 0
    later = await login_sessions.start(organizer.id)
    await _expire(later)
    await worker.daily_jobs(now)  # the same day: done already
    assert await LoginSession.count() == 1
    await worker.daily_jobs(now + dt.timedelta(days=1))
    assert await LoginSession.count() == 0
    await worker.close()
