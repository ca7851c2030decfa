"""Mixed load against a real server at 16, 64 and 256 connections, next to its cached-page rate.

    .venv/bin/python bench/load.py                      # SQLite (a fresh file under /tmp)
    .venv/bin/python bench/load.py --database-url postgresql://postgres@127.0.0.1:5432/bench
    .venv/bin/python bench/load.py --small --seconds 5  # a tenth of the data, for a quick look

The realistic data set of bench/pages.py, plus one nationwide session with every municipality
invited. For each number of connections, wrk first asks for one cached public page (the pure
cached-page rate of this server in this run), then sends the mix for the same time: public pages
(home, session list, session pages, directory, region feed, archive, search, reports), API reads
(report list and search, a municipality's network), personal pages (an attendee's page and
calendar file) and registrations (each municipality's delegation once; a run whose share is
used up sends other requests instead). Prints requests/s, p50/p99/max, errors, the CPU
wrk itself used (CPU seconds per second: near 2, its two threads would set the pace), the
server's peak RSS during each run (its worker processes included under granian) and the load
average after it.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # runnable from a checkout

from bench.harness import (  # noqa: E402
    LoadResult,
    free_port,
    load_average,
    peak_rss_mb,
    require_wrk,
    reset_peak_rss,
    settle,
    table,
    tsunagu_server,
    wrk,
)
from bench.pages import pages  # noqa: E402
from bench.seed import (  # noqa: E402
    Seeded,
    SeedSize,
    open_nationwide_session,
    prepare_database,
    registration_line,
)

MIX = {"public": 65, "api": 20, "register": 10, "personal": 5}
CONNECTIONS = (16, 64, 256)
SEARCH_WORDS = ("人事", "研修", "DX推進", "デジタル人材", "評価")


async def prepare(database_url: str, size: SeedSize) -> tuple[Seeded, list[str]]:
    seeded = await prepare_database(database_url, size)
    _, tokens = await open_nationwide_session(capacity=10_000, municipalities=1788)
    return seeded, tokens


def plan_lines(seeded: Seeded, rng: random.Random) -> list[str]:
    """The requests other than registrations, as bench/lua/plan.lua reads them."""
    public = [*pages(seeded).values(), *(f"/sessions/{n}" for n in seeded["session_ids"])]
    api = [
        *(f"/api/reports/?page={page}" for page in range(1, 6)),
        *(f"/api/reports/search?q={quote(word)}" for word in SEARCH_WORDS),
        *(f"/api/municipalities/{code}/network" for code in ("330001", "341002", "011002")),
    ]
    people = rng.sample(seeded["attendee_tokens"], min(200, len(seeded["attendee_tokens"])))
    personal = [path for token in people for path in (f"/a/{token}", f"/a/{token}/calendar.ics")]
    return [
        *(f"public\tGET\t{path}" for path in public),
        *(f"api\tGET\t{path}" for path in api),
        *(f"personal\tGET\t{path}" for path in personal),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--small", action="store_true", help="a tenth of the data set")
    parser.add_argument(
        "--server", default="", choices=["", "granian", "uvicorn"], help="default: uvicorn"
    )
    args = parser.parse_args()
    require_wrk()
    database_url = (
        args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='tsunagu-bench-')}/bench.sqlite3"
    )
    size = SeedSize.small() if args.small else SeedSize()
    seeded, tokens = asyncio.run(prepare(database_url, size))
    rng = random.Random(11)
    others = plan_lines(seeded, rng)
    folder = Path(tempfile.mkdtemp(prefix="tsunagu-bench-"))
    rows: list[list[str]] = []
    with tsunagu_server(database_url, free_port(), server=args.server) as server:
        for level, connections in enumerate(CONNECTIONS):
            # Each run registers municipalities of its own: a delegation is registered once.
            share = tokens[level :: len(CONNECTIONS)]
            plan = folder / f"mix-{connections}.tsv"
            lines = [*others, *(registration_line(t, f"{level}-{n}") for n, t in enumerate(share))]
            plan.write_text("\n".join(lines) + "\n")
            # Requests of the previous run still being answered would slow this one down.
            settle(server.base_url + "/healthz")
            reset_peak_rss(server.pid)
            cached = wrk(
                server.base_url + f"/sessions/{seeded['session_id']}",
                seconds=args.seconds,
                connections=connections,
            )
            rows.append(_row(f"cached session page, c={connections}", cached, cached, server.pid))
            settle(server.base_url + "/healthz")
            reset_peak_rss(server.pid)
            mixed = wrk(
                server.base_url + "/",
                seconds=args.seconds,
                connections=connections,
                script="plan.lua",
                script_args=(str(plan), "2", *(f"{kind}={w}" for kind, w in MIX.items())),
            )
            rows.append(_row(f"mixed, c={connections}", mixed, cached, server.pid))
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    mix = ", ".join(f"{kind} {weight}%" for kind, weight in MIX.items())
    served = args.server or "uvicorn (the default)"
    print(f"\n{engine}, {size.describe()}; mix: {mix}; wrk -t2 -d{args.seconds}s; {served}\n")
    header = ["run", "requests/s", "of cached", "p50 ms", "p99 ms", "max ms", "errors"]
    header += ["wrk CPU", "peak RSS MB", "load"]
    print(table(header, rows))


def _row(name: str, result: LoadResult, cached: LoadResult, server_pid: int) -> list[str]:
    """A table row; call right after the run, while the server's peak RSS is the run's own."""
    return [
        name,
        f"{result.requests_per_second:,.0f}",
        f"{result.requests_per_second / cached.requests_per_second:.0%}"
        if cached.requests_per_second
        else "n/a",
        f"{result.p50_ms:.1f}",
        f"{result.p99_ms:.1f}",
        f"{result.max_ms:.0f}",
        str(result.errors),
        f"{result.client_cpu:.2f}",
        f"{peak_rss_mb(server_pid):.0f}",
        load_average(),
    ]


if __name__ == "__main__":
    main()
