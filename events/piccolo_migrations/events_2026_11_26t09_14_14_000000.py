"""One answer set per municipality and poll, one mark per slot; indexes on the keys read most."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T09:14:14:000000"
VERSION = "1.38.0"
DESCRIPTION = "Date poll uniqueness (municipality per poll, mark per slot) and indexes"

# Raw indexes: Piccolo's composite constraints fail on SQLite.
INDEXES = {
    "date_poll_recipient_poll_municipality": (
        "CREATE UNIQUE INDEX date_poll_recipient_poll_municipality "
        "ON date_poll_recipient (poll, municipality)"
    ),
    "date_poll_answer_recipient_slot": (
        "CREATE UNIQUE INDEX date_poll_answer_recipient_slot ON date_poll_answer (recipient, slot)"
    ),
    "date_poll_slot_poll": "CREATE INDEX date_poll_slot_poll ON date_poll_slot (poll, starts_at)",
    "date_poll_series": "CREATE INDEX date_poll_series ON date_poll (series)",
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
