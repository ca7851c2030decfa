"""Piccolo configuration (PICCOLO_CONF=events.piccolo_conf): the engine comes from settings."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from events.lib.settings import DatabaseSettings, load_settings
from events.lib.sqlite_readers import KeptConnectionsSQLiteEngine

# Seconds a SQLite connection waits for another writer before giving up ("database is locked").
SQLITE_BUSY_TIMEOUT = 30.0


def engine_for(database: DatabaseSettings) -> Engine:  # type: ignore[type-arg]
    if database.sqlite_path is not None:
        return KeptConnectionsSQLiteEngine(
            path=str(database.sqlite_path), timeout=SQLITE_BUSY_TIMEOUT
        )
    return PostgresEngine(config={"dsn": database.url})


DB = engine_for(load_settings().database)

APP_REGISTRY = AppRegistry(apps=["networking.piccolo_app", "events.piccolo_app"])
