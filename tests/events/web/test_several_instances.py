"""Two real server processes on one PostgreSQL database: a change through one is on the other's
next page, although that page was kept in the other's memory (LISTEN/NOTIFY)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from events.tables import ExchangeSession
from tests.conftest import POSTGRES_SERVER
from tests.factories import open_session_with_links

pytestmark = pytest.mark.skipif(
    not POSTGRES_SERVER, reason="several instances share one PostgreSQL database"
)

TSUNAGU = str(Path(sys.executable).parent / "tsunagu")
OKAYAMA_PREF = "330001"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def instance() -> AsyncIterator[httpx.AsyncClient]:
    """`tsunagu serve --no-worker` in a process of its own, on this run's database."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        *(TSUNAGU, "serve", "--port", str(port), "--no-worker"),
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(600):
                assert process.returncode is None, "the server exited"
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            yield client
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=30)


async def test_a_registration_through_one_instance_is_on_the_others_next_page() -> None:
    _, session, tokens = await open_session_with_links()
    page = f"/sessions/{session.id}"
    async with instance() as first, instance() as second:
        before = await second.get(page)
        assert before.status_code == 200
        assert "岡山県" not in before.text
        assert (await second.get("/sessions")).status_code == 200
        network = f"/api/municipalities/{OKAYAMA_PREF}/network"
        assert (await second.get(network)).json()["plan_status"] is None
        # Changed behind every instance's back (no NOTIFY): the second keeps its page.
        await ExchangeSession.update({ExchangeSession.title: "第3回 情報交換会(改)"}).where(
            ExchangeSession.id == session.id
        )
        kept = await second.get(page)
        assert kept.text == before.text
        assert "第3回 情報交換会(改)" not in (await second.get("/sessions")).text

        registered = await first.post(
            f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration",
            json={
                "plan_status": "drafting",
                "attendees": [
                    {
                        "name": "参加者1",
                        "department": "デジタル推進課",
                        "position": "mid",
                        "email": "p1@example.lg.jp",
                    }
                ],
            },
        )
        assert registered.status_code == 201

        after = await second.get(page)
        assert after.status_code == 200
        assert "岡山県" in after.text
        assert "第3回 情報交換会(改)" in after.text
        # The notice drops the pages listing what was registered too, and keeps the session
        # list, which shows nothing of it.
        assert (await second.get(network)).json()["plan_status"] == "drafting"
        assert "第3回 情報交換会(改)" not in (await second.get("/sessions")).text
