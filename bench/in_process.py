"""Renders measured in process, one request at a time: CPU and wall time per request.

wrk cannot tell a first render after a change from a render of a new query string: both miss
the page cache, but only the first reads the database, since what public pages share is kept
per data version (events/web/page_cache.py, `PageCache.part`). Here each request goes through
the whole ASGI application, and a request marked `after_change` is preceded by what a commit
of public data does (`public_data_changed`), so the page cache and its kept parts are empty.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

WARM_UP = 20


@dataclass(frozen=True)
class Probe:
    path: str  # with its query string
    after_change: bool
    # Each request gets a query string never sent before (the page cache never answers).
    fresh_query: bool = True


async def _get(app: Any, path: str) -> None:
    route, _, query = path.partition("?")
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 1),
        "server": ("localhost", 80),
    }
    await app(scope, receive, send)
    if sent[0]["status"] != 200:
        raise RuntimeError(f"{path} answered {sent[0]['status']}")


def _numbered(probe: Probe, number: int) -> str:
    if not probe.fresh_query:
        return probe.path
    separator = "&" if "?" in probe.path else "?"
    return f"{probe.path}{separator}fresh={number}"


async def measure(probes: dict[str, Probe], count: int) -> list[list[str]]:
    """Rows of (name, CPU ms, p50 ms, p99 ms) per request, `count` requests per probe."""
    from events.app import create_app
    from events.lib.database import public_data_changed

    app = create_app()
    rows = []
    async with app.lifespan():
        for name, probe in probes.items():
            for number in range(-WARM_UP, 0):
                await _get(app, _numbered(probe, number))
            walls: list[float] = []
            cpu_start = time.process_time()
            for number in range(count):
                if probe.after_change:
                    public_data_changed()
                started = time.perf_counter()
                await _get(app, _numbered(probe, number))
                walls.append((time.perf_counter() - started) * 1000)
            cpu_ms = (time.process_time() - cpu_start) / count * 1000
            percentiles = statistics.quantiles(walls, n=100)
            rows.append([name, f"{cpu_ms:.2f}", f"{percentiles[49]:.2f}", f"{percentiles[98]:.2f}"])
    return rows
