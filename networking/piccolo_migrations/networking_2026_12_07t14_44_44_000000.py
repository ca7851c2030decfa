"""municipality.display_name: the one name pages, mails and reports show (岡山県岡山市).

The next migration fills it from the directory (raw statements run before a migration's
columns are added, hence two).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-07T14:44:44:000000"
VERSION = "1.38.0"
DESCRIPTION = "municipality.display_name, the name shown everywhere"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="networking", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Municipality",
        tablename="municipality",
        column_name="display_name",
        db_column_name="display_name",
        column_class_name="Varchar",
        column_class=Varchar,
        params={"length": 48, "default": "", "null": False},
    )
    return manager
