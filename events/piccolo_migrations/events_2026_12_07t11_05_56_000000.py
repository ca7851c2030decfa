"""group_seat: one row per attendee and segment, and the rows of group_membership copied.

A group published in another topic than the current one becomes a row of its own. The old table
is left in place, unused.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-07T11:05:56:000000"
VERSION = "1.38.0"
DESCRIPTION = "Unique index of group_seat (attendee, segment); group_membership rows copied"


async def create_index() -> None:
    await engine_finder().run_ddl(
        "CREATE UNIQUE INDEX group_seat_attendee_segment ON group_seat (attendee, segment)"
    )


async def copy_memberships() -> None:
    engine = engine_finder()
    await engine.run_ddl(
        "INSERT INTO group_seat (assignment, attendee, segment, group_number, "
        "published_group_number) SELECT assignment, attendee, segment, group_number, "
        "CASE WHEN published_segment = segment THEN published_group_number END "
        "FROM group_membership"
    )
    await engine.run_ddl(
        "INSERT INTO group_seat (assignment, attendee, segment, group_number, "
        "published_group_number) SELECT assignment, attendee, published_segment, NULL, "
        "published_group_number FROM group_membership "
        "WHERE published_segment IS NOT NULL AND published_segment <> segment"
    )


async def drop_index() -> None:
    await engine_finder().run_ddl("DROP INDEX IF EXISTS group_seat_attendee_segment")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    manager.add_raw(create_index)
    manager.add_raw(copy_memberships)
    manager.add_raw_backwards(drop_index)
    return manager
