"""Invitations made before invitation.position keep the order they had: the order invited."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-07T14:25:57:000000"
VERSION = "1.38.0"
DESCRIPTION = "Invitations numbered in the order they were made, within each session"


async def number_invitations() -> None:
    await engine_finder().run_ddl(
        'UPDATE invitation SET "position" = (SELECT COUNT(*) FROM invitation AS earlier '
        "WHERE earlier.exchange_session = invitation.exchange_session "
        "AND earlier.id < invitation.id)"
    )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    manager.add_raw(number_invitations)
    return manager
