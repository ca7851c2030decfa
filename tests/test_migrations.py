"""Committed migrations build the schema the tables describe, on the engine under test."""

from __future__ import annotations

import pytest
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder

from events.lib.database import engine


@pytest.mark.parametrize("app_name", ["networking", "events"])
async def test_migrations_cover_every_table_change(app_name: str) -> None:
    app_config = Finder().get_app_config(app_name)
    alterations = await AutoMigrationManager().get_alter_statements(app_config=app_config)
    pending = [statement for alteration in alterations for statement in alteration.statements]
    assert pending == []


async def test_every_migration_has_run() -> None:
    ran = {row["name"] for row in await Migration.select(Migration.name)}
    manager = BaseMigrationManager()
    for app_config in Finder().get_app_registry().app_configs.values():
        modules = manager.get_migration_modules(app_config.resolved_migrations_folder_path)
        assert set(modules) <= ran, app_config.app_name


async def test_every_table_exists_in_the_database() -> None:
    for table in Finder().get_table_classes():
        assert await table.table_exists(), table._meta.tablename


async def test_sqlite_runs_in_wal_mode() -> None:
    db = engine()
    if db.engine_type != "sqlite":
        pytest.skip("journal mode is a SQLite setting")
    assert await db.run_ddl("PRAGMA journal_mode") == [{"journal_mode": "wal"}]
