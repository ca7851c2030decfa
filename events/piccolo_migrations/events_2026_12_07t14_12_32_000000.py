from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T14:12:32:000000"
VERSION = "1.38.0"
DESCRIPTION = "A survey response's consent to have its free-text answers quoted in the report"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    manager.add_column(
        table_class_name="SurveyResponse",
        tablename="survey_response",
        column_name="quote_consent",
        db_column_name="quote_consent",
        column_class_name="Boolean",
        column_class=Boolean,
        params={
            "default": False,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    return manager
