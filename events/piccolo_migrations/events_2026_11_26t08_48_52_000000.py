"""One registration per municipality and session; one live attendee per e-mail and session."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T08:48:52:000000"
VERSION = "1.38.0"
DESCRIPTION = "Registration uniqueness, attendee e-mail uniqueness, registration indexes"

# Raw indexes: Piccolo's composite constraints fail on SQLite; partial indexes work on both.
INDEXES = {
    "registration_session_municipality": (
        "CREATE UNIQUE INDEX registration_session_municipality "
        "ON registration (exchange_session, municipality)"
    ),
    "attendee_session_email": (
        "CREATE UNIQUE INDEX attendee_session_email ON attendee (exchange_session, email) "
        "WHERE status <> 'cancelled'"
    ),
    "attendee_session_status": (
        "CREATE INDEX attendee_session_status ON attendee (exchange_session, status, waitlisted_at)"
    ),
    "attendee_registration": "CREATE INDEX attendee_registration ON attendee (registration)",
    "topic_preference_attendee": "CREATE INDEX topic_preference_attendee ON topic_preference (attendee)",
    "sharing_answer_registration": (
        "CREATE INDEX sharing_answer_registration ON sharing_answer (registration)"
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
