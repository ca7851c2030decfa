"""Group memberships found by assignment."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T09:14:13:000000"
VERSION = "1.38.0"
DESCRIPTION = "Group membership index by assignment"

INDEXES = {
    "group_membership_assignment": (
        "CREATE INDEX group_membership_assignment ON group_membership (assignment)"
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
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
