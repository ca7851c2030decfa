"""A region's calendar feed with 500 upcoming sessions: requests/s with and without ETag.

.venv/bin/python bench/feed.py                        # SQLite (a fresh file under /tmp)
.venv/bin/python bench/feed.py --database-url postgresql://postgres@127.0.0.1:5432/bench_feed

The sessions are scheduled through the domain (one a day from a month ahead, every tenth of
them cancelled) in the 中四国 region; `tsunagu serve --no-worker` answers the requests. "first
render" is the feed built once from the database (the page cache is then empty); "full body"
is every request asking for the feed as a new subscriber would; "If-None-Match" is a
subscriber that already has it and revalidates (304, no body).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # runnable from a checkout

from bench.harness import free_port, peak_rss_mb, table, tsunagu_server, wrk  # noqa: E402

REGION = "chushikoku"
FEED = f"/regions/{REGION}/calendar.ics"


async def seed(database_url: str, sessions: int) -> None:
    if database_url.startswith("postgres"):
        from bench.seed import recreate_postgres_database

        await recreate_postgres_database(database_url)
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "PICCOLO_CONF": "events.piccolo_conf",
            "TSUNAGU_ENV": "demo",
        }
    )
    from events.accounts.organizers import create_organizer
    from events.lib.formatting import TOKYO
    from events.lib.migrations import migrate
    from events.sessions.exchange_sessions import create_session
    from events.sessions.lifecycle import Transition
    from events.sessions.series import SeriesInput, create_series
    from events.sessions.transitions import apply
    from tests.factories import session_input

    await migrate(verbose=False)
    organizer = await create_organizer("bench@tsunagu.example.jp", "bench-password-123")
    series = await create_series(
        organizer, SeriesInput(title="中四国エリア 庁内デジタル人材育成 情報交換会", region=REGION)
    )
    first = dt.datetime.now(TOKYO).replace(hour=14, minute=0, second=0, microsecond=0)
    for number in range(sessions):
        starts_at = first + dt.timedelta(days=30 + number)
        data = session_input(
            series["id"],
            title=f"第{number + 1}回 情報交換会",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
        )
        view, _ = await create_session(organizer, data)
        await apply(organizer, view.id, Transition.PUBLISH)
        if number % 10 == 9:
            await apply(organizer, view.id, Transition.CANCEL, reason="台風接近のため")


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, Any]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (local server)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return 304, b"", error.headers
        raise


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    database_url = (
        args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='tsunagu-bench-')}/bench.sqlite3"
    )
    asyncio.run(seed(database_url, args.sessions))

    with tsunagu_server(database_url, free_port()) as server:
        url = server.base_url + FEED
        started = time.perf_counter()
        status, body, headers = fetch(url)
        first_ms = (time.perf_counter() - started) * 1000
        etag = headers["etag"]
        assert status == 200 and body.count(b"BEGIN:VEVENT") == args.sessions, status
        assert fetch(url, {"if-none-match": etag})[0] == 304
        full = wrk(url, seconds=args.seconds, connections=args.connections)
        revalidated = wrk(
            url,
            seconds=args.seconds,
            connections=args.connections,
            headers={"If-None-Match": etag},
        )
        peak = peak_rss_mb(server.pid)

    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(
        f"\n{engine}, {args.sessions} sessions in the {REGION} feed ({len(body) / 1024:.0f} KB), "
        f"wrk -c{args.connections} -d{args.seconds}s, {os.cpu_count()} cores\n"
    )
    rows = [
        ["first render (empty page cache)", "", f"{first_ms:.0f}", "", "", "", ""],
        [
            "full body (200)",
            f"{full.requests_per_second:,.0f}",
            "",
            f"{full.p50_ms:.1f}",
            f"{full.p99_ms:.1f}",
            str(full.errors),
            "",
        ],
        [
            "If-None-Match (304)",
            f"{revalidated.requests_per_second:,.0f}",
            "",
            f"{revalidated.p50_ms:.1f}",
            f"{revalidated.p99_ms:.1f}",
            str(revalidated.errors),
            f"{peak:.0f}",
        ],
    ]
    print(
        table(
            ["request", "requests/s", "ms", "p50 ms", "p99 ms", "errors", "server peak RSS MB"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
