"""A registration burst against the running server, next to its /healthz rate in the same run.

    .venv/bin/python bench/registrations.py                      # SQLite (fresh file under /tmp)
    .venv/bin/python bench/registrations.py --database-url postgresql://postgres@127.0.0.1:5432/bench

One nationwide session with `--municipalities` invited and fewer seats than they ask for; wrk
(bench/lua/registrations.lua, one connection per thread so that each thread times its own
requests and stops after its last answer) sends each municipality's delegation of three to
`registerDelegation` once. Before the burst, the same server's /healthz rate is measured with
the same number of connections: their ratio changes less with the machine's load than either.
Prints registrations/s, p50/p99/max, errors, how many attendees ended confirmed and waitlisted,
and over capacity (must be 0), with the load average after each run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # runnable from a checkout

from bench.harness import (  # noqa: E402
    LUA,
    LoadResult,
    free_port,
    load_average,
    peak_rss_mb,
    require_wrk,
    table,
    tsunagu_server,
    wrk,
)
from bench.seed import (  # noqa: E402
    open_nationwide_session,
    recreate_postgres_database,
    registration_line,
)

ATTENDEES_PER_MUNICIPALITY = 3


async def prepare(database_url: str, capacity: int, municipalities: int) -> tuple[int, list[str]]:
    """A migrated database with one published nationwide session; its invitation tokens."""
    if database_url.startswith("postgres"):
        await recreate_postgres_database(database_url)
    os.environ.update(
        {"DATABASE_URL": database_url, "PICCOLO_CONF": "events.piccolo_conf", "TSUNAGU_ENV": "demo"}
    )
    from events.lib.migrations import migrate

    await migrate(verbose=False)
    return await open_nationwide_session(capacity, municipalities)


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
    parser.add_argument("--municipalities", type=int, default=200)
    parser.add_argument("--clients", type=int, default=48)
    parser.add_argument("--capacity", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=10, help="of the /healthz run")
    parser.add_argument("--bound", type=int, default=300, help="seconds the burst may take")
    parser.add_argument("--server", default="", help="granian or uvicorn (tsunagu's default)")
    args = parser.parse_args()
    require_wrk()
    database_url = (
        args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='tsunagu-bench-')}/bench.sqlite3"
    )
    session_id, tokens = asyncio.run(prepare(database_url, args.capacity, args.municipalities))
    clients = min(args.clients, len(tokens))
    plan = Path(tempfile.mkdtemp(prefix="tsunagu-bench-")) / "registrations.tsv"
    plan.write_text("".join(registration_line(t, str(n)) + "\n" for n, t in enumerate(tokens)))
    with tsunagu_server(database_url, free_port(), server=args.server) as server:
        health = wrk(server.base_url + "/healthz", seconds=args.seconds, connections=clients)
        health_load = load_average()
        burst = registration_burst(server.base_url, plan, len(tokens), clients, args.bound)
        burst_load = load_average()
        rss = peak_rss_mb(server.pid)
    confirmed, waitlisted, over = asyncio.run(outcome(session_id, args.capacity))
    ratio = burst.requests_per_second / health.requests_per_second
    # Registrations wrk sent again after losing a connection (an answer to one is a 409).
    resent = re.findall(r"resent=(\d+)", burst.output)[0]
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    shape = f"{len(tokens):,} municipalities × {ATTENDEES_PER_MUNICIPALITY} attendees"
    print(f"\n{engine}: {shape}, capacity {args.capacity:,}, wrk with {clients} connections\n")
    print(
        table(
            ["run", "requests/s", "of /healthz", "p50 ms", "p99 ms", "max ms", "errors", "load"],
            [
                _row("/healthz", health, "100%", health_load),
                _row("registrations", burst, f"{ratio:.1%}", burst_load),
            ],
        )
    )
    print()
    print(
        table(
            ["confirmed", "waitlisted", "over capacity", "resent", "server peak RSS MB"],
            [[f"{confirmed:,}", f"{waitlisted:,}", str(over), resent, f"{rss:.0f}"]],
        )
    )


def registration_burst(
    base_url: str, plan: Path, registrations: int, clients: int, bound: int
) -> LoadResult:
    """wrk with bench/lua/registrations.lua, interrupted once every thread has stopped."""
    command = ["wrk", f"-t{clients}", f"-c{clients}", f"-d{bound}s", "--timeout=60s"]
    command += ["-s", str(LUA / "registrations.lua"), base_url + "/", "--", str(plan)]
    process = subprocess.Popen(
        [*command, str(clients)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    stopped = 0
    for line in process.stderr:  # ends when wrk exits at the bound
        stopped += line.strip() == "stopped"
        if stopped == clients:
            process.send_signal(signal.SIGINT)  # wrk then reports at once
            break
    output, _ = process.communicate()
    match = re.search(
        r"burst: answered=(\d+) seconds=([\d.]+) p50=([\d.]+) p99=([\d.]+) max=([\d.]+) "
        r"errors=(\d+) resent=(\d+)",
        output,
    )
    if match is None:
        raise RuntimeError(f"wrk printed no burst line:\n{output}")
    answered, seconds = int(match.group(1)), float(match.group(2))
    return LoadResult(
        requests_per_second=answered / seconds if seconds else 0.0,
        p50_ms=float(match.group(3)),
        p99_ms=float(match.group(4)),
        max_ms=float(match.group(5)),
        # Not answered within the bound counts as an error too.
        errors=int(match.group(6)) + registrations - answered,
        output=output,
    )


def _row(name: str, result: LoadResult, ratio: str, load: str) -> list[str]:
    return [
        name,
        f"{result.requests_per_second:,.1f}",
        ratio,
        f"{result.p50_ms:.1f}",
        f"{result.p99_ms:.1f}",
        f"{result.max_ms:.1f}",
        str(result.errors),
        load,
    ]


if __name__ == "__main__":
    main()
