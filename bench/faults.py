"""Faults against a real worker, database and SMTP sink: is any message lost, how soon is it back?

.venv/bin/python bench/faults.py                      # SQLite and PostgreSQL (127.0.0.1:5432)
.venv/bin/python bench/faults.py --engines sqlite     # SQLite alone
.venv/bin/python bench/faults.py --messages 100       # a quicker look

Each fault starts from an empty outbox holding `--messages` confirmations (each with a
supersede key of its own, as real ones have) and `tsunagu worker` processes sending to an
SMTP sink on 127.0.0.1 that takes each message in about 5 ms:

- worker killed (SIGKILL) mid-batch: a second worker takes over once the claim runs out
  (OUTBOX_CLAIM_TIMEOUT=3 here, 900 by default);
- address no server can take first: a row with a Japanese domain stored before input was
  checked, ahead of the others; it must fail alone (listed as failed for the organizer);
- COMMIT cut (PostgreSQL): the worker's backend is terminated while it commits
  (pg_terminate_backend), during a COMMIT made slow by a trigger of this script.

Delivered counts distinct Message-IDs the sink received; duplicates are the copies beyond
one (a message sent again after a crash keeps its Message-ID, so mail clients drop it); lost
is what is neither delivered nor listed as failed. Time to recover runs from the fault to the
moment every message is settled. Everything is bounded: a fault that does not settle within
`--timeout` seconds is reported as such. Each engine runs in a process of its own (settings
are read once per process); PostgreSQL uses a database of its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # runnable from a checkout

from bench.harness import TSUNAGU, free_port, table  # noqa: E402

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/tsunagu_bench_faults"
CLAIM_TIMEOUT = 3
WORKER_NAME = "tsunagu-bench-faults-worker"
COLUMNS = [
    "engine",
    "fault",
    "due",
    "delivered",
    "duplicates",
    "failed (listed)",
    "lost",
    "recovered in",
]


class Sink:
    """An SMTP server in a thread of this process that keeps the Message-ID of each message."""

    def __init__(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        self.port = port
        self.message_ids: list[str] = []
        self._controller = Controller(self, hostname="127.0.0.1", port=port)
        self._controller.start()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.005)
        for line in envelope.original_content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.message_ids.append(line.split(b":", 1)[1].strip().decode())
        return "250 OK"

    def stop(self) -> None:
        self._controller.stop()


def worker(database_url: str, sink: Sink, **variables: str) -> subprocess.Popen[bytes]:
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "PICCOLO_CONF": "events.piccolo_conf",
        "TSUNAGU_ENV": "demo",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(sink.port),
        "OUTBOX_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT),
        "BASE_URL": "https://tsunagu.example.jp",
    }
    command = [TSUNAGU, "worker"]
    output = subprocess.DEVNULL
    return subprocess.Popen(command, env=environment | variables, stdout=output, stderr=output)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def fill(messages: int, *, poison: bool) -> None:
    from events.mail.outbox import OutgoingMail, enqueue
    from events.tables import OutboxMessage

    await OutboxMessage.delete(force=True)
    if poison:  # as stored before addresses were checked at input
        await enqueue(OutgoingMail("confirmation", "yamada@例え.jp", "参加登録", "本文"))
    for n in range(messages):
        await enqueue(
            OutgoingMail(
                kind="confirmation",
                recipient=f"p{n}@example.lg.jp",
                subject=f"参加登録 {n}",
                text_body=f"参加者{n} 様",
                supersede_key=f"confirmation:{n}",
            )
        )


async def settled() -> bool:
    from events.enums import OutboxStatus
    from events.tables import OutboxMessage

    open_rows: int = await OutboxMessage.count().where(
        OutboxMessage.status.is_in([OutboxStatus.PENDING, OutboxStatus.SENDING])
    )
    return open_rows == 0


async def outcome(engine: str, fault: str, sink: Sink, started: float, limit: float) -> list[str]:
    from events.enums import OutboxStatus
    from events.tables import OutboxMessage

    deadline = started + limit
    while not await settled() and time.monotonic() < deadline:  # noqa: ASYNC110 (other processes' work)
        await asyncio.sleep(0.1)
    recovered = time.monotonic() - started if await settled() else None
    rows = await OutboxMessage.select(OutboxMessage.uid, OutboxMessage.status)
    received = Counter(sink.message_ids)
    delivered = sum(1 for row in rows if any(str(row["uid"]) in key for key in received))
    failed = sum(1 for row in rows if row["status"] == OutboxStatus.FAILED)
    duplicates = sum(received.values()) - len(received)
    lost = len(rows) - delivered - failed
    time_text = f"{recovered:.1f} s" if recovered is not None else f"not within {limit:.0f} s"
    return [
        engine,
        fault,
        str(len(rows)),
        str(delivered),
        str(duplicates),
        str(failed),
        str(lost),
        time_text,
    ]


async def killed_mid_batch(url: str, sink: Sink, args: argparse.Namespace) -> float:
    first = worker(url, sink)
    while len(sink.message_ids) < args.messages // 4:  # noqa: ASYNC110 (the sink's thread)
        await asyncio.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait()
    fault_at = time.monotonic()
    args.running.append(worker(url, sink))
    return fault_at


async def poison_first(url: str, sink: Sink, args: argparse.Namespace) -> float:
    fault_at = time.monotonic()
    args.running.append(worker(url, sink))
    return fault_at


SLOW_COMMIT = (
    """CREATE OR REPLACE FUNCTION bench_slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_sleep(0.01); RETURN NULL; END $$""",
    """CREATE CONSTRAINT TRIGGER bench_slow_commit AFTER UPDATE ON outbox_message
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bench_slow_commit()""",
)


async def commit_cut(url: str, sink: Sink, args: argparse.Namespace) -> float:
    from events.tables import OutboxMessage

    for statement in SLOW_COMMIT:
        await OutboxMessage.raw(statement)
    args.running.append(worker(f"{url}?application_name={WORKER_NAME}", sink))
    terminated: list[Any] = []
    while not terminated:
        terminated = await OutboxMessage.raw(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = {} AND query = 'COMMIT;' AND state = 'active'",
            WORKER_NAME,
        )
    return time.monotonic()


FAULTS = {
    "worker killed (SIGKILL) mid-batch": (killed_mid_batch, False, False),
    "address no server can take, first": (poison_first, True, False),
    "COMMIT cut (pg_terminate_backend)": (commit_cut, False, True),
}


async def run_engine(url: str, args: argparse.Namespace) -> list[list[str]]:
    """Every fault on one engine; runs in a process whose settings name `url`."""
    from piccolo.engine.postgres import PostgresEngine

    from events.lib.database import engine, start_pool
    from events.lib.migrations import migrate

    await migrate(verbose=False)
    db = engine()
    postgres = isinstance(db, PostgresEngine)
    if isinstance(db, PostgresEngine):
        await start_pool(db, min_size=1, max_size=4)
    name = "PostgreSQL" if postgres else "SQLite"
    rows = []
    for fault, (inject, poison, needs_postgres) in FAULTS.items():
        if needs_postgres and not postgres:
            continue
        await fill(args.messages, poison=poison)
        sink, args.running = Sink(free_port()), []
        try:
            fault_at = await asyncio.wait_for(inject(url, sink, args), args.timeout)
            rows.append(await outcome(name, fault, sink, fault_at, args.timeout))
        finally:
            for process in args.running:
                stop(process)
            sink.stop()
    if isinstance(db, PostgresEngine):
        await db.close_connection_pool()
    return rows


async def recreate_postgres(url: str, *, drop_only: bool = False) -> None:
    import asyncpg

    parts = urlsplit(url)
    admin = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{parts.path[1:]}" WITH (FORCE)')
        if not drop_only:
            await admin.execute(f'CREATE DATABASE "{parts.path[1:]}"')
    finally:
        await admin.close()


def engine_rows(url: str, args: argparse.Namespace) -> list[list[str]]:
    """Run this script for one engine in a child process and read back its rows."""
    command = [
        sys.executable,
        __file__,
        "--one",
        url,
        "--messages",
        str(args.messages),
        "--timeout",
        str(args.timeout),
    ]
    environment = os.environ | {"DATABASE_URL": url, "PICCOLO_CONF": "events.piccolo_conf"}
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=True)
    rows: list[list[str]] = json.loads(result.stdout.strip().splitlines()[-1])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--one", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(run_engine(args.one, args))))
        return
    rows: list[list[str]] = []
    if "sqlite" in args.engines:
        directory = tempfile.mkdtemp(prefix="tsunagu-bench-faults-")
        rows += engine_rows(f"sqlite:///{directory}/faults.sqlite3", args)
    if "postgresql" in args.engines:
        asyncio.run(recreate_postgres(POSTGRES_URL))
        try:
            rows += engine_rows(POSTGRES_URL, args)
        finally:
            asyncio.run(recreate_postgres(POSTGRES_URL, drop_only=True))
    print(f"{args.messages} confirmations per fault; claim timeout {CLAIM_TIMEOUT} s\n")
    print(table(COLUMNS, rows))


if __name__ == "__main__":
    main()
