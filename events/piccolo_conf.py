"""Piccolo configuration (PICCOLO_CONF=events.piccolo_conf): the engine comes from settings."""

from piccolo.conf.apps import AppRegistry

from events.database import engine_for
from events.settings import load_settings

DB = engine_for(load_settings().database)

APP_REGISTRY = AppRegistry(apps=["networking.piccolo_app", "events.piccolo_app"])
