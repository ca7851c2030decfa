"""Board keys: one helpful mark per answer and person, one digest per person and day; indexes."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T11:28:38:000000"
VERSION = "1.38.0"
DESCRIPTION = "Board uniqueness (helpful mark, digest per day, theme per question) and indexes"

# Raw indexes: Piccolo's composite constraints fail on SQLite.
INDEXES = {
    "board_helpful_mark_answer_attendee": (
        "CREATE UNIQUE INDEX board_helpful_mark_answer_attendee "
        "ON board_helpful_mark (answer, attendee)"
    ),
    "board_digest_email_day": (
        "CREATE UNIQUE INDEX board_digest_email_day ON board_digest (email, day)"
    ),
    "board_question_theme_question_theme": (
        "CREATE UNIQUE INDEX board_question_theme_question_theme "
        "ON board_question_theme (question, theme)"
    ),
    "board_question_series": (
        "CREATE INDEX board_question_series ON board_question (series, created_at)"
    ),
    "board_answer_question": "CREATE INDEX board_answer_question ON board_answer (question, id)",
    "board_moderation_series": (
        "CREATE INDEX board_moderation_series ON board_moderation (series, id)"
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
