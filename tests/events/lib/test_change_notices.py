"""Notices of public changes between processes on one PostgreSQL database: what they carry."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from events.lib.change_notices import CHANNEL, EVERYTHING, PROCESS_ID, PublicChange, listening
from tests.conftest import POSTGRES_SERVER, TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(not POSTGRES_SERVER, reason="LISTEN/NOTIFY is PostgreSQL's")


async def test_a_notice_names_the_sessions_changed_or_everything() -> None:
    heard: asyncio.Queue[PublicChange] = asyncio.Queue()
    sender = await asyncpg.connect(TEST_DATABASE_URL)
    try:
        async with listening(TEST_DATABASE_URL, heard.put_nowait):
            for payload in (f"{PROCESS_ID} 4", "another-process 5 17", "another-process"):
                await sender.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
            first = await asyncio.wait_for(heard.get(), timeout=10)
            second = await asyncio.wait_for(heard.get(), timeout=10)
    finally:
        await sender.close()
    # This process's own notice is not heard: it acted on its change at commit.
    assert first == frozenset({5, 17})
    assert second is EVERYTHING
    assert heard.empty()
