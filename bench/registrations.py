"""A registration burst against the running server: every municipality registers 3 people at once.

    .venv/bin/python bench/registrations.py                      # SQLite (fresh file under /tmp)
    .venv/bin/python bench/registrations.py --database-url postgresql://postgres@127.0.0.1:5432/bench

1,788 municipalities × 3 attendees are sent by 64 concurrent clients to the registration API
(`registerDelegation`) of one nationwide session whose capacity is smaller than the demand.
Prints requests/s, p50/p99 latency, errors and how many attendees ended over capacity (must be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # runnable from a checkout

from bench.harness import free_port, peak_rss_mb, table, tsunagu_server  # noqa: E402
from bench.seed import recreate_postgres_database  # noqa: E402

ATTENDEES_PER_MUNICIPALITY = 3


async def prepare(database_url: str, capacity: int) -> tuple[int, dict[str, str]]:
    """A published nationwide session with every municipality invited; returns their tokens."""
    if database_url.startswith("postgres"):
        await recreate_postgres_database(database_url)
    os.environ.update(
        {"DATABASE_URL": database_url, "PICCOLO_CONF": "events.piccolo_conf", "TSUNAGU_ENV": "demo"}
    )
    from events.invitations.invitations import invite
    from events.lib.migrations import migrate
    from events.organizing.session_actions import transition
    from events.sessions.lifecycle import Transition
    from networking.municipalities import read_data_file
    from tests.factories import make_organizer, make_session

    await migrate(verbose=False)
    organizer = await make_organizer("bench@tsunagu.example.jp", admin=True)
    session = await make_session(
        organizer,
        region="nationwide",
        capacity=capacity,
        per_municipality_limit=ATTENDEES_PER_MUNICIPALITY,
    )
    codes = [record.code for record in read_data_file()]
    links = await invite(organizer, session.id, codes)
    await transition(organizer, session.id, Transition.PUBLISH)
    return session.id, {link.code: link.link.rsplit("/", 1)[1] for link in links}


def delegation(code: str) -> dict[str, object]:
    return {
        "plan_status": "drafting",
        "attendees": [
            {
                "name": f"職員{n}",
                "department": "デジタル推進課",
                "position": ("manager", "mid", "staff")[n],
                "email": f"staff{n}.{code}@bench.example.lg.jp",
            }
            for n in range(ATTENDEES_PER_MUNICIPALITY)
        ],
    }


async def burst(
    base_url: str, tokens: dict[str, str], clients: int
) -> tuple[list[float], int, float]:
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for item in tokens.items():
        queue.put_nowait(item)
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty():
            code, token = queue.get_nowait()
            started = time.perf_counter()
            try:
                response = await http.post(
                    f"/api/invitations/{token}/registration", json=delegation(code)
                )
                ok = response.status_code in (200, 201)
            except httpx.TimeoutException:
                ok = False
            latencies.append(time.perf_counter() - started)
            errors += not ok

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


async def outcome(session_id: int, capacity: int) -> tuple[int, int, int]:
    from events.tables import Attendee

    confirmed = await Attendee.count().where(
        Attendee.exchange_session == session_id, Attendee.status == "confirmed"
    )
    waitlisted = await Attendee.count().where(
        Attendee.exchange_session == session_id, Attendee.status == "waitlisted"
    )
    return confirmed, waitlisted, max(confirmed - capacity, 0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--capacity", type=int, default=5000)
    args = parser.parse_args()
    database_url = (
        args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='tsunagu-bench-')}/bench.sqlite3"
    )
    session_id, tokens = asyncio.run(prepare(database_url, args.capacity))
    with tsunagu_server(database_url, free_port()) as server:
        latencies, errors, elapsed = asyncio.run(burst(server.base_url, tokens, args.clients))
        rss = peak_rss_mb(server.pid)
    confirmed, waitlisted, over = asyncio.run(outcome(session_id, args.capacity))
    cuts = statistics.quantiles(latencies, n=100)
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    shape = f"{len(tokens):,} municipalities × {ATTENDEES_PER_MUNICIPALITY} attendees"
    load = f"{args.clients} concurrent clients, capacity {args.capacity:,}"
    print(f"\n{engine}: {shape}, {load}\n")
    print(
        table(
            [
                "requests",
                "requests/s",
                "p50 ms",
                "p99 ms",
                "errors",
                "confirmed",
                "waitlisted",
                "over capacity",
                "peak RSS MB",
            ],
            [
                [
                    f"{len(latencies):,}",
                    f"{len(latencies) / elapsed:,.0f}",
                    f"{cuts[49] * 1000:.0f}",
                    f"{cuts[98] * 1000:.0f}",
                    str(errors),
                    f"{confirmed:,}",
                    f"{waitlisted:,}",
                    str(over),
                    f"{rss:.0f}",
                ]
            ],
        )
    )


if __name__ == "__main__":
    main()
