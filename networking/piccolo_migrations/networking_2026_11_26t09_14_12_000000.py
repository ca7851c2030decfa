"""One encounter per pair and session; encounters found by session."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T09:14:12:000000"
VERSION = "1.38.0"
DESCRIPTION = "Encounter uniqueness per session and pair"

# Raw index: Piccolo's composite constraints fail on SQLite.
INDEXES = {
    "encounter_session_pair": (
        "CREATE UNIQUE INDEX encounter_session_pair "
        "ON encounter (session_id, municipality_a, municipality_b)"
    ),
}


async def create_indexes() -> None:
    engine = engine_finder()
    for statement in INDEXES.values():
        await engine.run_ddl(statement)


async def drop_indexes() -> None:
    engine = engine_finder()
    for name in INDEXES:
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="networking", description=DESCRIPTION)
    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
