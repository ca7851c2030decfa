"""Public pages under load next to a hello-world ceiling: requests/s, p50/p99, peak memory.

The second table is what the page cache cannot serve: first renders (each request with a query
string never sent before, bench/lua/unique_query.lua), calendar files and personal pages, with
requests/s under load and p50 with one connection. The third, measured in process, tells a new
query string (what pages share is kept per data version) from a first render after a change.

.venv/bin/python bench/pages.py                      # SQLite (a fresh file under /tmp)
.venv/bin/python bench/pages.py --database-url postgresql://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # runnable from a checkout

from bench.harness import (  # noqa: E402
    LoadResult,
    free_port,
    hello_server,
    load_average,
    peak_rss_mb,
    table,
    tsunagu_server,
    wrk,
)
from bench.in_process import Probe, measure  # noqa: E402
from bench.seed import Seeded, SeedSize, prepare_database  # noqa: E402


def pages(seeded: Seeded) -> dict[str, str]:
    return {
        "home": "/",
        "session list": "/sessions",
        "session page": f"/sessions/{seeded['session_id']}",
        "municipality directory": "/municipalities?q=%E5%B2%A1%E5%B1%B1",
        **seeded["extra_pages"],
    }


def uncached(seeded: Seeded) -> dict[str, tuple[str, str]]:
    """Requests the page cache does not answer: name: (path, wrk script)."""
    token = seeded["attendee_tokens"][0]
    session = seeded["session_id"]
    return {
        "session page, first render": (f"/sessions/{session}", "unique_query.lua"),
        "archive search 人事, uncached query": (
            "/reports?q=%E4%BA%BA%E4%BA%8B",
            "unique_query.lua",
        ),
        "session .ics, first render": (f"/sessions/{session}/calendar.ics", "unique_query.lua"),
        "personal .ics": (f"/a/{token}/calendar.ics", ""),
        "personal page": (f"/a/{token}", ""),
    }


def in_process(seeded: Seeded) -> dict[str, Probe]:
    session = f"/sessions/{seeded['session_id']}"
    search = "/reports?q=%E4%BA%BA%E4%BA%8B"
    return {
        "session page, new query string": Probe(session, after_change=False),
        "session page, first render after a change": Probe(session, after_change=True),
        "archive search 人事, new query string": Probe(search, after_change=False),
        "archive search 人事, first after a change": Probe(search, after_change=True),
        "personal page": Probe(f"/a/{seeded['attendee_tokens'][0]}", False, fresh_query=False),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--small", action="store_true", help="a tenth of the data set, for a quick look"
    )
    parser.add_argument(
        "--server", default="", choices=["", "granian", "uvicorn"], help="default: uvicorn"
    )
    parser.add_argument("--requests", type=int, default=300, help="per in-process row")
    args = parser.parse_args()
    database_url = (
        args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='tsunagu-bench-')}/bench.sqlite3"
    )
    size = SeedSize.small() if args.small else SeedSize()
    seeded = asyncio.run(prepare_database(database_url, size))

    rows: list[list[str]] = []
    with hello_server(free_port()) as hello:
        ceiling = wrk(hello.base_url + "/", seconds=args.seconds, connections=args.connections)
        rows.append(
            [
                "hello world (ceiling)",
                f"{ceiling.requests_per_second:,.0f}",
                f"{ceiling.p50_ms:.1f}",
                f"{ceiling.p99_ms:.1f}",
                "100%",
                str(ceiling.errors),
                f"{peak_rss_mb(hello.pid):.0f}",
                load_average(),
            ]
        )
    fresh: list[list[str]] = []
    with tsunagu_server(database_url, free_port(), server=args.server) as server:
        for name, path in pages(seeded).items():
            result = wrk(server.base_url + path, seconds=args.seconds, connections=args.connections)
            ratio = result.requests_per_second / ceiling.requests_per_second
            rows.append(
                [
                    name,
                    f"{result.requests_per_second:,.0f}",
                    f"{result.p50_ms:.1f}",
                    f"{result.p99_ms:.1f}",
                    f"{ratio:.0%}",
                    str(result.errors),
                    "",
                    load_average(),
                ]
            )
        for name, (path, script) in uncached(seeded).items():
            url = server.base_url + path
            loaded = wrk(url, seconds=args.seconds, connections=args.connections, script=script)
            alone = wrk(url, seconds=args.seconds, connections=1, threads=1, script=script)
            fresh.append(_uncached_row(name, loaded, alone, ceiling))
        rss = f"{peak_rss_mb(server.pid):.0f}"
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    load = f"wrk -c{args.connections} -d{args.seconds}s, {os.cpu_count()} cores"
    # The ceiling is always hello world under uvicorn: under granian the ratio is not like for like.
    load += f"; tsunagu under {args.server or 'uvicorn'}, the ceiling under uvicorn"
    print(f"\n{engine}, {size.describe()}, {load}\n")
    rows[-1][-2] = rss
    header = ["page", "requests/s", "p50 ms", "p99 ms", "of ceiling", "errors", "peak RSS MB"]
    print(table([*header, "load"], rows))
    print(f"\nNot from the page cache (requests/s and p99 at c={args.connections}, p50 at c=1)\n")
    header = ["request", "requests/s", "p99 ms", "of ceiling", "errors", "p50 ms at c=1", "load"]
    print(table(header, fresh))
    print(f"\nserver peak RSS {rss} MB")
    print(
        f"\nIn process, one request at a time ({args.requests} each, load {load_average()}): "
        "a change empties the page cache and what it keeps for pages\n"
    )
    measured = asyncio.run(measure(in_process(seeded), args.requests))
    print(table(["request", "CPU ms", "p50 ms", "p99 ms"], measured))


def _uncached_row(
    name: str, loaded: LoadResult, alone: LoadResult, ceiling: LoadResult
) -> list[str]:
    return [
        name,
        f"{loaded.requests_per_second:,.0f}",
        f"{loaded.p99_ms:.1f}",
        f"{loaded.requests_per_second / ceiling.requests_per_second:.1%}",
        str(loaded.errors + alone.errors),
        f"{alone.p50_ms:.2f}",
        load_average(),
    ]


if __name__ == "__main__":
    main()
