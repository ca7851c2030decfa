"""invitation.position: the organizer's order of the invited municipalities.

The next migration numbers the invitations made before it (raw statements run before a
migration's columns are added, hence two).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer

ID = "2026-12-07T14:25:56:000000"
VERSION = "1.38.0"
DESCRIPTION = "invitation.position, the order the organizer gave the invited municipalities"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Invitation",
        tablename="invitation",
        column_name="position",
        db_column_name="position",
        column_class_name="Integer",
        column_class=Integer,
        params={"default": 0, "null": False},
    )
    return manager
