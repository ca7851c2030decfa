"""Apply pending Piccolo migrations of both apps, one process at a time."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import AsyncIterator

import asyncpg
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine.postgres import PostgresEngine

from events.lib.database import enable_sqlite_wal, engine

# Any constant works; it only has to be the same for every Tsunagu process on the database.
_MIGRATION_LOCK_KEY = 0x7473756E


class MigrationFailed(Exception):
    pass


@contextlib.asynccontextmanager
async def _exclusive() -> AsyncIterator[None]:
    """On PostgreSQL, an advisory lock keeps the app and the worker from migrating at once."""
    db = engine()
    if not isinstance(db, PostgresEngine):
        yield
        return
    connection = await asyncpg.connect(**db.config)
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK_KEY)
        yield
    finally:
        await connection.close()  # closing the session releases the lock


async def migrate(*, verbose: bool = True) -> None:
    """Run every migration not yet applied; Piccolo prints each one as progress when verbose."""
    await enable_sqlite_wal()
    output = sys.stdout if verbose else io.StringIO()
    async with _exclusive():
        with contextlib.redirect_stdout(output):
            result = await run_forwards(app_name="all")
    if not result.success:
        raise MigrationFailed(result.message or "migration failed")
