"""Public pages under load next to a hello-world ceiling: requests/s, p50/p99, peak memory.

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
    free_port,
    hello_server,
    peak_rss_mb,
    table,
    tsunagu_server,
    wrk,
)
from bench.seed import Seeded, SeedSize, prepare_database  # noqa: E402


def pages(seeded: Seeded) -> dict[str, str]:
    return {
        "home": "/",
        "session list": "/sessions",
        "session page": f"/sessions/{seeded['session_id']}",
        "municipality directory": "/municipalities?q=%E5%B2%A1%E5%B1%B1",
        **seeded["extra_pages"],
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
            ]
        )
    with tsunagu_server(database_url, free_port()) as server:
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
                ]
            )
        rows[-1][-1] = f"{peak_rss_mb(server.pid):.0f}"
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    load = f"wrk -c{args.connections} -d{args.seconds}s, {os.cpu_count()} cores"
    print(f"\n{engine}, {size.describe()}, {load}\n")
    print(
        table(
            ["page", "requests/s", "p50 ms", "p99 ms", "of ceiling", "errors", "peak RSS MB"], rows
        )
    )


if __name__ == "__main__":
    main()
