"""Committed migrations build the schema the tables describe, on the engine under test."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder

from events.lib.database import engine
from events.tables import GroupAssignment, GroupMembership, GroupSeat
from tests.factories import (
    SEED_MUNICIPALITIES,
    discussion_ids,
    make_organizer,
    published_session,
    register_delegation,
)


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


def by_seat(row: tuple[Any, ...]) -> tuple[int, int]:
    return row[0], row[1]


async def test_group_memberships_are_copied_to_one_seat_per_discussion() -> None:
    """Before discussion rounds a person had one group; the copy keeps what they were told."""
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, SEED_MUNICIPALITIES[:3])
    people = [
        (await register_delegation(accesses[code]))[0]["id"] for code in SEED_MUNICIPALITIES[:3]
    ]
    hr, kpi = discussion_ids(session)
    assignment = GroupAssignment(
        exchange_session=session.id, min_group_size=2, max_group_size=2, seed=1
    )
    await assignment.save()
    stays, moved, unpublished = people
    await GroupMembership.insert(
        GroupMembership(
            assignment=assignment.id,
            attendee=stays,
            segment=hr,
            group_number=1,
            published_segment=hr,
            published_group_number=1,
        ),
        GroupMembership(
            assignment=assignment.id,
            attendee=moved,
            segment=kpi,
            group_number=2,
            published_segment=hr,
            published_group_number=1,
        ),
        GroupMembership(assignment=assignment.id, attendee=unpublished, segment=hr, group_number=1),
    )
    migration = importlib.import_module(
        "events.piccolo_migrations.events_2026_12_07t11_05_56_000000"
    )
    await migration.copy_memberships()
    rows = await GroupSeat.select(
        GroupSeat.attendee,
        GroupSeat.segment,
        GroupSeat.group_number,
        GroupSeat.published_group_number,
    )
    assert sorted((tuple(row.values()) for row in rows), key=by_seat) == sorted(
        [
            (stays, hr, 1, 1),
            (moved, kpi, 2, None),  # now in the other topic, not told yet
            (moved, hr, None, 1),  # what they were told
            (unpublished, hr, 1, None),
        ],
        key=by_seat,
    )
