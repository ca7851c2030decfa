"""Registrations keep the Idempotency-Key they were made with, so that a retry is answered once."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T14:02:35:000000"
VERSION = "1.38.0"
DESCRIPTION = "Registration: idempotency key hash and request fingerprint"

PARAMS = {
    "length": 64,
    "default": None,
    "null": True,
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    for name in ("idempotency_key_hash", "request_fingerprint"):
        manager.add_column(
            table_class_name="Registration",
            tablename="registration",
            column_name=name,
            db_column_name=name,
            column_class_name="Varchar",
            column_class=Varchar,
            params=PARAMS,
            schema=None,
        )
    return manager
