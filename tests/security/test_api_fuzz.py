"""Requests generated from the app's own OpenAPI document: no 5xx, every 4xx a JSON problem,
and every answer as documented (its status, its content type, its body's schema).

Schemathesis generates the cases (valid ones and deliberately invalid ones) with a fixed seed
and a bounded count; they are sent through the same in-process client as every other test, on
the test session's event loop, so they run on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import functools
import json
from typing import Any, TypeAlias

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from events.app import create_app
from tests.security.world import CODE_A, World, build_world

# schemathesis hands out operations and cases with every type parameter Any.
Operation: TypeAlias = APIOperation[Any, Any, Any, Any]
GeneratedCase: TypeAlias = Case[Any]

# Per operation and kind of case: about 600 requests, well under a minute on either engine.
EXAMPLES = 5
_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def api_schema() -> Any:
    return schemathesis.openapi.from_dict(create_app().openapi_schema.to_schema())


@functools.cache
def operations() -> list[Operation]:
    found = [result.ok() for result in api_schema().get_all_operations()]
    return sorted(found, key=lambda operation: (operation.path, operation.method))


def real_parameters(operation: Operation, world: World) -> dict[str, Any]:
    """Path parameters that open something, so that cases get past the first lookup."""
    polls = "date-polls" in operation.path
    token = world.poll_tokens[CODE_A] if polls else world.coordinator_tokens[CODE_A]
    known = {
        "session_id": world.session_id,
        "poll_id": world.poll_id,
        "token": token,
        "code": CODE_A,
    }
    names = {parameter.name for parameter in operation.path_parameters}
    return {name: value for name, value in known.items() if name in names}


def generate(operation: Operation, mode: GenerationMode, **fixed: Any) -> list[GeneratedCase]:
    cases: list[GeneratedCase] = []

    @_SETTINGS
    @given(operation.as_strategy(generation_mode=mode, **fixed))
    def collect(case: GeneratedCase) -> None:
        cases.append(case)

    try:
        collect()
    except Unsatisfiable:
        # Nothing left to make invalid (every parameter fixed): no negative cases to send.
        assert mode is GenerationMode.NEGATIVE
    return cases


def cases_for(operation: Operation, world: World) -> list[tuple[GeneratedCase, bool]]:
    """(case, signed in): valid and invalid input on real resources, then made-up resources
    (ids beyond any integer column among them) with and without the owner's token."""
    real = real_parameters(operation, world)
    fixed = {"path_parameters": real} if real else {}
    made_up = generate(operation, GenerationMode.POSITIVE)
    return [
        *((case, True) for case in generate(operation, GenerationMode.POSITIVE, **fixed)),
        *((case, True) for case in generate(operation, GenerationMode.NEGATIVE, **fixed)),
        *((case, True) for case in made_up),
        *((case, False) for case in made_up),
    ]


async def send(
    client: httpx.AsyncClient, case: GeneratedCase, headers: dict[str, str]
) -> httpx.Response:
    sent = case.as_transport_kwargs(base_url=str(client.base_url))
    request: dict[str, Any] = {
        "headers": {**sent.get("headers", {}), **headers},
        "params": sent.get("params"),
    }
    # The API never reads cookies; generated ones would only leak between cases.
    client.cookies.clear()
    if "json" in sent:
        request["content"] = json.dumps(sent["json"]).encode()
        request["headers"].setdefault("Content-Type", "application/json")
    elif isinstance(sent.get("data"), (bytes, str)):
        request["content"] = sent["data"]
    elif "data" in sent:
        request["data"] = sent["data"]
    return await client.request(sent["method"], sent["url"], **request)


def problem_failures(response: httpx.Response) -> list[str]:
    """What is wrong with a 4xx answer that is not our JSON problem."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return [f"content-type {response.headers.get('content-type')!r}"]
    body = response.json()
    if not isinstance(body, dict) or set(body) != {"error", "message", "fields"}:
        return [f"body {body!r}"]
    failures = []
    if not (isinstance(body["error"], str) and body["error"]):
        failures.append("error")
    if not (isinstance(body["message"], str) and body["message"]):
        failures.append("message")
    if not isinstance(body["fields"], list) or not all(
        isinstance(item, dict) and set(item) == {"field", "message"} for item in body["fields"]
    ):
        failures.append(f"fields {body['fields']!r}")
    return failures


CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]


def conformance_failures(case: GeneratedCase, response: httpx.Response) -> list[str]:
    """What schemathesis finds undocumented in an answer: status, content type, body."""
    try:
        case.validate_response(response, checks=CONFORMANCE)
    except FailureGroup as group:
        found: tuple[Failure, ...] = group.exceptions
    except Failure as failure:
        found = (failure,)
    else:
        return []
    return [f"{failure.title}: {' '.join(failure.message.split())[:400]}" for failure in found]


def test_the_document_describes_the_api() -> None:
    paths = {operation.path for operation in operations()}
    assert "/api/sessions/{session_id}" in paths
    assert "/api/invitations/{token}/registration" in paths
    assert all(path.startswith("/api/") for path in paths)


async def test_generated_requests_get_no_server_error_and_structured_refusals(
    client: httpx.AsyncClient,
) -> None:
    world = await build_world()
    owner = {"authorization": f"Bearer {world.api_tokens['owner']}"}
    failures: list[str] = []
    sent = 0
    for operation in operations():
        for case, signed_in in cases_for(operation, world):
            response = await send(client, case, owner if signed_in else {})
            sent += 1
            where = f"{case.method} {case.formatted_path} -> {response.status_code}"
            if response.status_code >= 500:
                failures.append(f"{where}: {case.as_curl_command()}")
            elif response.status_code >= 400:
                failures.extend(f"{where}: {problem}" for problem in problem_failures(response))
            failures.extend(
                f"{where}: {problem}" for problem in conformance_failures(case, response)
            )
    assert not failures, "\n".join(failures)
    assert sent >= len(operations()) * EXAMPLES
