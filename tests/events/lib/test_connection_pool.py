"""The PostgreSQL connection pool: a connection goes back without a round trip of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from asyncpg import Pool
from piccolo.engine.postgres import PostgresEngine

from events.lib.database import start_pool
from tests.conftest import POSTGRES_SERVER, TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(not POSTGRES_SERVER, reason="the pool is PostgreSQL's")


@pytest.fixture
async def pool_of_one() -> AsyncIterator[Pool]:
    """A pool with a single connection: each acquire gets the one released before."""
    db = PostgresEngine(config={"dsn": TEST_DATABASE_URL})
    await start_pool(db, min_size=1, max_size=1)
    assert db.pool is not None
    try:
        yield db.pool
    finally:
        await db.close_connection_pool()


async def test_a_released_connection_sends_nothing_more(pool_of_one: Pool) -> None:
    sent: list[str] = []
    async with pool_of_one.acquire() as connection:
        connection.add_query_logger(lambda record: sent.append(record.query))
        assert await connection.fetchval("SELECT 1") == 1
    # asyncpg's own reset would have sent "SELECT pg_advisory_unlock_all(); CLOSE ALL; ..."
    assert sent == ["SELECT 1"]


async def test_a_transaction_left_open_is_rolled_back_before_the_next_use(
    pool_of_one: Pool,
) -> None:
    async with pool_of_one.acquire() as connection:
        await connection.execute("BEGIN")
        await connection.execute("CREATE TEMPORARY TABLE left_open (id integer)")
    async with pool_of_one.acquire() as connection:
        assert not connection.is_in_transaction()
        exists = "SELECT to_regclass('pg_temp.left_open') IS NOT NULL"
        assert await connection.fetchval(exists) is False
