from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T14:23:05:000000"
VERSION = "1.38.0"
DESCRIPTION = "An attendee's name reading (よみがな)"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Attendee",
        tablename="attendee",
        column_name="reading",
        db_column_name="reading",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 100,
            "default": "",
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
