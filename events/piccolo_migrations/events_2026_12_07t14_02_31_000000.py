from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean, Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T14:02:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "A delegation's consent to be named in the report, and when it last changed"

COMMON = {
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}

COLUMNS = [
    ("report_consent", Boolean, {"default": False, "null": False}),
    ("report_consent_changed_at", Timestamptz, {"default": None, "null": True}),
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="Registration",
            tablename="registration",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={**COMMON, **params},
            schema=None,
        )
    return manager
