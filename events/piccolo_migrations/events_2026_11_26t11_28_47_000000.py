"""One response per attendee and survey, one version number per series; indexes on survey keys."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T11:28:47:000000"
VERSION = "1.38.0"
DESCRIPTION = "Survey uniqueness (response per attendee, version per series) and indexes"

# Raw indexes: Piccolo's composite constraints fail on SQLite.
INDEXES = {
    "survey_response_survey_attendee": (
        "CREATE UNIQUE INDEX survey_response_survey_attendee "
        "ON survey_response (survey, attendee)"
    ),
    "survey_question_set_series_version": (
        "CREATE UNIQUE INDEX survey_question_set_series_version "
        "ON survey_question_set (series, version)"
    ),
    "survey_question_set_position": (
        "CREATE INDEX survey_question_set_position ON survey_question (question_set, position)"
    ),
    "survey_answer_response": "CREATE INDEX survey_answer_response ON survey_answer (response)",
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
