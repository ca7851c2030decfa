"""The OpenAPI document's public contract: component names that moving a file can never change."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any

from msgspec import Struct

from events.web.api import schemas

SCHEMA_MODULES = [
    importlib.import_module(f"{schemas.__name__}.{info.name}")
    for info in pkgutil.iter_modules(schemas.__path__)
]


def _components(document: dict[str, Any]) -> list[str]:
    return sorted(document["components"]["schemas"])


async def test_no_component_name_carries_a_module_prefix(client: Any) -> None:
    names = _components((await client.get("/schema")).json())
    assert len(names) > 50
    # Litestar prefixes a module's name ("sessions_RegistrationOut") when two classes share one.
    assert [name for name in names if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", name)] == []


def test_every_shape_class_has_a_name_unique_across_the_api() -> None:
    owners: dict[str, list[str]] = {}
    for module in SCHEMA_MODULES:
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Struct)
                and value.__module__ == module.__name__
            ):
                owners.setdefault(name, []).append(module.__name__)
    assert len(SCHEMA_MODULES) >= 8
    assert {name: where for name, where in owners.items() if len(where) > 1} == {}
