"""Load the municipality directory shipped in networking/data/municipalities.csv."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Text, Varchar
from piccolo.table import Table

ID = "2026-11-26T08:07:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "Load the municipality directory"

BATCH_SIZE = 500


class Municipality(Table, tablename="municipality"):
    """The table as this migration knows it, independent of later changes to networking.tables."""

    code = Varchar(length=6, primary_key=True)
    prefecture_code = Varchar(length=2)
    prefecture = Varchar(length=8)
    name = Varchar(length=32)
    kana = Varchar(length=64)
    kind = Varchar(length=8)
    region = Varchar(length=16)
    search_key = Text()


async def load_directory() -> None:
    from networking.municipalities import read_data_file

    columns = {column._meta.name for column in Municipality._meta.columns}
    rows = [
        Municipality(**{key: value for key, value in record.as_row().items() if key in columns})
        for record in read_data_file()
    ]
    for start in range(0, len(rows), BATCH_SIZE):
        await Municipality.insert(*rows[start : start + BATCH_SIZE])


async def remove_directory() -> None:
    await Municipality.delete(force=True)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="networking", description=DESCRIPTION)
    manager.add_raw(load_directory)
    manager.add_raw_backwards(remove_directory)
    return manager
