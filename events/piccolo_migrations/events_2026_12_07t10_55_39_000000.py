"""The development mailbox: messages delivered to /dev/mail instead of a mail server."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T10:55:39:000000"
VERSION = "1.38.0"
DESCRIPTION = "Table mailbox_message"

COMMON = {
    "null": False,
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}

COLUMNS = [
    ("id", Serial, {"primary_key": True}),
    ("delivered_at", Timestamptz, {"default": TimestamptzNow(), "index": True}),
    ("recipient", Varchar, {"length": 254, "default": ""}),
    ("subject", Varchar, {"length": 300, "default": ""}),
    ("kind", Varchar, {"length": 40, "default": ""}),
    ("source", Text, {"default": ""}),
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    manager.add_table(
        class_name="MailboxMessage", tablename="mailbox_message", schema=None, columns=None
    )
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="MailboxMessage",
            tablename="mailbox_message",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={**COMMON, **params},
            schema=None,
        )
    return manager
