"""Fill municipality.display_name from the directory's own rule (networking.municipalities)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-07T14:44:45:000000"
VERSION = "1.38.0"
DESCRIPTION = "Fill municipality.display_name"


async def fill_display_names() -> None:
    from networking.municipalities import read_data_file

    engine = engine_finder()
    async with engine.transaction():
        for record in read_data_file():
            await engine.run_querystring(
                QueryString(
                    "UPDATE municipality SET display_name = {} WHERE code = {}",
                    record.display_name,
                    record.code,
                )
            )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="networking", description=DESCRIPTION)
    manager.add_raw(fill_display_names)
    return manager
