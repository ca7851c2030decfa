"""One invitation per municipality and session, and indexes on the foreign keys read most."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T08:31:46:000000"
VERSION = "1.38.0"
DESCRIPTION = "Unique invitation per session and municipality; foreign key indexes"

# Composite unique constraints fail on SQLite through Piccolo; a raw unique index works on both.
STATEMENTS = (
    "CREATE UNIQUE INDEX invitation_session_municipality "
    "ON invitation (exchange_session, municipality)",
    "CREATE INDEX agenda_segment_session ON agenda_segment (exchange_session, position)",
    "CREATE INDEX agenda_item_segment ON agenda_item (segment, position)",
    "CREATE INDEX audit_entry_session ON audit_entry (exchange_session)",
    "CREATE INDEX exchange_session_series ON exchange_session (series)",
)
INDEXES = (
    "invitation_session_municipality",
    "agenda_segment_session",
    "agenda_item_segment",
    "audit_entry_session",
    "exchange_session_series",
)


async def create_indexes() -> None:
    engine = engine_finder()
    for statement in STATEMENTS:
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
