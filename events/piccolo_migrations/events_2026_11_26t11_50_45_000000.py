"""Posting lists of the report search: one index by pair (covering), one by report for updates."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T11:50:45:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes of report_search_term: (term, entry) and (entry)"

INDEXES = {
    "report_search_term_term_entry": (
        "CREATE UNIQUE INDEX report_search_term_term_entry ON report_search_term (term, entry)"
    ),
    "report_search_term_entry": (
        "CREATE INDEX report_search_term_entry ON report_search_term (entry)"
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
