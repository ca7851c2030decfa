"""Piccolo app of the lower layer."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from networking.tables import Encounter, Municipality

APP_CONFIG = AppConfig(
    app_name="networking",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Municipality, Encounter],
    migration_dependencies=[],
    commands=[],
)
