"""Test session set-up: a fresh database per run (SQLite by default, PostgreSQL on request).

Set TSUNAGU_TEST_POSTGRES to a server URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to
run the same suite against PostgreSQL: a database of its own is created for the run and dropped
afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from litestar import Litestar

POSTGRES_SERVER = os.environ.get("TSUNAGU_TEST_POSTGRES", "")
_TEMP_DIR = tempfile.TemporaryDirectory(prefix="tsunagu-tests-")


def _database_url() -> str:
    if not POSTGRES_SERVER:
        return f"sqlite:///{Path(_TEMP_DIR.name) / 'test.sqlite3'}"
    name = f"tsunagu_test_{os.getpid()}_{secrets.token_hex(3)}"
    return urlunsplit(urlsplit(POSTGRES_SERVER)._replace(path=f"/{name}"))


TEST_DATABASE_URL = _database_url()

# Settings are read from the environment once; these must be in place before events is imported.
os.environ.update(
    {
        "PICCOLO_CONF": "events.piccolo_conf",
        "TSUNAGU_ENV": "test",
        "DATABASE_URL": TEST_DATABASE_URL,
        "BASE_URL": "http://tsunagu.test",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "MAIL_FROM": "Tsunagu <noreply@tsunagu.test>",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": "1",  # nothing listens here; tests that send mail start their own server
    }
)
for key in ("SMTP_USER", "SMTP_PASSWORD", "SMTP_TLS", "REDIS_URL", "MAIL_REPLY_TO"):
    os.environ.pop(key, None)


def _admin_dsn() -> str:
    return POSTGRES_SERVER


async def _create_postgres_database() -> None:
    connection = await asyncpg.connect(_admin_dsn())
    try:
        name = urlsplit(TEST_DATABASE_URL).path[1:]
        await connection.execute(f'CREATE DATABASE "{name}"')
        # A test database is thrown away: waiting for each commit to reach the disk buys nothing.
        await connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await connection.close()


async def _drop_postgres_database() -> None:
    connection = await asyncpg.connect(_admin_dsn())
    try:
        await connection.execute(
            f'DROP DATABASE IF EXISTS "{urlsplit(TEST_DATABASE_URL).path[1:]}" WITH (FORCE)'
        )
    finally:
        await connection.close()


def pytest_configure(config: pytest.Config) -> None:
    if POSTGRES_SERVER:
        asyncio.run(_create_postgres_database())


def pytest_unconfigure(config: pytest.Config) -> None:
    if POSTGRES_SERVER:
        asyncio.run(_drop_postgres_database())
    _TEMP_DIR.cleanup()


def pytest_report_header() -> str:
    engine = "PostgreSQL" if POSTGRES_SERVER else "SQLite"
    return f"tsunagu: {engine} database {TEST_DATABASE_URL.rsplit('/', 1)[-1]}"


@pytest.fixture(scope="session", autouse=True)
async def database() -> AsyncIterator[Snapshot]:
    """Migrate once per run; the pool (PostgreSQL) lives on the session's event loop. Yields the
    freshly migrated database: empty tables but for reference data (the municipalities)."""
    from piccolo.engine.postgres import PostgresEngine

    from events.lib.database import engine, start_pool
    from events.lib.migrations import migrate

    db = engine()
    if isinstance(db, PostgresEngine):
        await start_pool(db, min_size=1, max_size=20)
    await migrate(verbose=False)
    yield await take_snapshot()
    if isinstance(db, PostgresEngine):
        await db.close_connection_pool()


@pytest.fixture(autouse=True)
async def clean_database(database: Snapshot) -> None:
    """Every test starts from the freshly migrated database."""
    await restore(database)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Change settings for one test as the environment would: environment(BASE_URL="https://…").
    Settings are read once per process, so the cached ones are dropped before and after."""
    from events.lib.settings import load_settings

    def change(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        load_settings.cache_clear()

    yield change
    monkeypatch.undo()
    load_settings.cache_clear()


@pytest.fixture
def tmp_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@contextlib.asynccontextmanager
async def running(app: Any) -> AsyncIterator[None]:
    """Run the app's lifespan in a task of its own: its task group must start and stop there."""
    started, stop = asyncio.Event(), asyncio.Event()

    async def serve() -> None:
        async with app.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(serve())
    waiter = asyncio.create_task(started.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiter.cancel()
        task.result()  # startup failed: raise its error
    try:
        yield
    finally:
        stop.set()
        await task


@functools.cache
def shared_app() -> Litestar:
    """One application per test process: building one registers some 300 handlers, which costs
    more than most tests."""
    from events.app import create_app

    return create_app()


async def forget_earlier_tests(app: Litestar) -> None:
    """What the application keeps in memory between requests: cached public pages and sign-in
    attempt counters."""
    from events.web.page_cache import PublicPageCacheMiddleware
    from events.web.rate_limits import RATE_LIMIT_STORE

    for middleware in app.middleware:
        if isinstance(middleware, PublicPageCacheMiddleware):
            middleware.cache.invalidate()
    await app.stores.get(RATE_LIMIT_STORE).delete_all()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client speaking to the whole application, lifespan included.

    httpx's ASGI transport runs the app on the test's own event loop. Litestar's
    AsyncTestClient runs it on a second loop in a thread and blocks on each request, which
    neither shares the asyncpg pool nor lets concurrent requests overlap.
    """
    from tests.helpers import asgi_transport

    app = shared_app()
    await forget_earlier_tests(app)
    transport = asgi_transport(app)
    async with (
        running(app),
        httpx.AsyncClient(transport=transport, base_url="http://tsunagu.test") as test_client,
    ):
        yield test_client


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """Argon2 with its cheapest parameters: still argon2, but tests create many accounts."""
    from argon2 import PasswordHasher

    from events.accounts import passwords

    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = original


from tests.database_snapshot import Snapshot, restore, take_snapshot  # noqa: E402

# The SMTP server fixture and the autouse guard against unexpected SMTP connections.
from tests.smtp_server import guard_smtp_connections, smtp_server  # noqa: E402, F401
