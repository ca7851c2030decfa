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


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


async def test_a_token_is_required_exactly_where_the_document_says(client: Any) -> None:
    """Every operation that declares the bearer scheme answers 401 without a token, with the
    challenge; every other operation lets an anonymous caller through to its own answer."""
    document = (await client.get("/schema")).json()
    assert document["components"]["securitySchemes"] == {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "A token issued with `tsunagu create-api-token EMAIL`.",
        }
    }
    secured = 0
    for method, path, operation in _operations(document):
        url = re.sub(r"\{[a-z_]*id\}", "1", path)
        url = re.sub(r"\{[a-z_]+\}", "unknown-link", url)
        response = await client.request(method, url, json={})
        if "security" in operation:
            secured += 1
            assert operation["security"] == [{"bearer": []}], path
            assert (response.status_code, response.headers.get("www-authenticate")) == (
                401,
                "Bearer",
            ), f"{method} {path}"
        else:
            assert response.status_code != 401, f"{method} {path}"
    assert secured == 32


async def test_every_refusal_is_documented_with_the_error_body(client: Any) -> None:
    document = (await client.get("/schema")).json()
    error_body = {"$ref": "#/components/schemas/ErrorOut"}
    for method, path, operation in _operations(document):
        refusals = {int(s): r for s, r in operation["responses"].items() if int(s) >= 400}
        assert 400 in refusals, f"{method} {path}"
        assert (401 in refusals) == ("security" in operation), f"{method} {path}"
        for status, response in refusals.items():
            schema = response["content"]["application/json"]["schema"]
            assert schema == error_body, f"{method} {path} {status}"
    assert document["components"]["schemas"]["ErrorOut"]["required"] == [
        "error",
        "fields",
        "message",
    ]
