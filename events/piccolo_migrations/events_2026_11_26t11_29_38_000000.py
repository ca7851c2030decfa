"""One note per topic/group slot of a session, one version number per report; archive indexes."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T11:29:38:000000"
VERSION = "1.38.0"
DESCRIPTION = "Report uniqueness (note slot per session, version number per report) and indexes"

# Raw indexes: Piccolo's composite constraints fail on SQLite.
INDEXES = {
    "session_note_session_slot": (
        "CREATE UNIQUE INDEX session_note_session_slot ON session_note (exchange_session, slot)"
    ),
    "report_version_report_number": (
        "CREATE UNIQUE INDEX report_version_report_number ON report_version (report, number)"
    ),
    "report_comment_report": "CREATE INDEX report_comment_report ON report_comment (report, id)",
    "report_archive_entry_order": (
        "CREATE INDEX report_archive_entry_order ON report_archive_entry (starts_at, id)"
    ),
    # Filtered lists read in order from these, without sorting the matches.
    "report_archive_entry_region_order": (
        "CREATE INDEX report_archive_entry_region_order "
        "ON report_archive_entry (region, starts_at, id)"
    ),
    "report_archive_entry_year_order": (
        "CREATE INDEX report_archive_entry_year_order "
        "ON report_archive_entry (fiscal_year, starts_at, id)"
    ),
    "report_archive_entry_series": (
        "CREATE INDEX report_archive_entry_series ON report_archive_entry (series)"
    ),
}


async def create_indexes() -> None:
    engine = engine_finder()
    for statement in INDEXES.values():
        await engine.run_ddl(statement)
    if engine.engine_type == "postgres":
        # The search text lives out of line, so that counting and listing read slim rows.
        await engine.run_ddl(
            "ALTER TABLE report_archive_entry ALTER COLUMN search_text SET STORAGE EXTERNAL"
        )


async def drop_indexes() -> None:
    engine = engine_finder()
    for name in INDEXES:
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
