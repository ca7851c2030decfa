"""Discussion rounds: an assignment's mode and plenary rounds; one group per attendee and segment.

group_seat takes over from group_membership, which allowed one group per attendee; the next
migration gives it its unique index and copies the old rows (raw statements run before a
migration's tables are made, hence two).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Integer, Serial, Text, Varchar
from piccolo.table import Table


class AgendaSegment(Table, tablename="agenda_segment", schema=None):
    id = Serial(null=False, primary_key=True)


class Attendee(Table, tablename="attendee", schema=None):
    id = Serial(null=False, primary_key=True)


class GroupAssignment(Table, tablename="group_assignment", schema=None):
    id = Serial(null=False, primary_key=True)


ID = "2026-12-07T11:05:55:000000"
VERSION = "1.38.0"
DESCRIPTION = "group_assignment.mode and plenary_segments; group_seat (attendee, segment)"

SEAT = {"table_class_name": "GroupSeat", "tablename": "group_seat", "schema": None}
ASSIGNMENT = {"table_class_name": "GroupAssignment", "tablename": "group_assignment"}


def _reference(table: type[Table]) -> dict[str, object]:
    return {
        "references": table,
        "on_delete": OnDelete.cascade,
        "on_update": OnUpdate.cascade,
        "target_column": None,
        "null": False,
    }


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    manager.add_column(
        **ASSIGNMENT,
        column_name="mode",
        db_column_name="mode",
        column_class_name="Varchar",
        column_class=Varchar,
        params={"length": 16, "default": "tracks", "null": False},
    )
    manager.add_column(
        **ASSIGNMENT,
        column_name="plenary_segments",
        db_column_name="plenary_segments",
        column_class_name="Text",
        column_class=Text,
        params={"default": "[]", "null": False},
    )
    manager.add_table(class_name="GroupSeat", tablename="group_seat", schema=None, columns=None)
    columns = (
        ("id", Serial, {"null": False, "primary_key": True}),
        ("assignment", ForeignKey, _reference(GroupAssignment)),
        ("attendee", ForeignKey, _reference(Attendee)),
        ("segment", ForeignKey, _reference(AgendaSegment)),
        ("group_number", Integer, {"null": True, "default": None}),
        ("published_group_number", Integer, {"null": True, "default": None}),
    )
    for name, column_class, params in columns:
        manager.add_column(
            **SEAT,
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
        )
    return manager
