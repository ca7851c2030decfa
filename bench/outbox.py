"""10,000 invitations through the outbox to a local SMTP sink, against raw aiosmtplib.

.venv/bin/python bench/outbox.py                      # SQLite (a fresh file under /tmp)
.venv/bin/python bench/outbox.py --database-url postgresql://postgres@127.0.0.1:5432/bench_outbox

The sink is aiosmtpd's Sink handler in a process of its own on 127.0.0.1. Each message is a
full invitation (text, HTML, a calendar part and the .ics attachment, Japanese text) for a
different recipient. "raw" sends the same messages, already built, over one aiosmtplib
connection with no database; "outbox" is the worker as it runs: claim a batch, build each
message from its row, send over one reused connection, record each outcome.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # runnable from a checkout

from bench.harness import free_port, peak_rss_mb, table  # noqa: E402

BATCH = 500


def start_sink(port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "aiosmtpd",
        "-n",
        "-l",
        f"127.0.0.1:{port}",
        "-c",
        "aiosmtpd.handlers.Sink",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the SMTP sink did not start")


async def prepare(database_url: str, smtp_port: int) -> None:
    if database_url.startswith("postgres"):
        from bench.seed import recreate_postgres_database

        await recreate_postgres_database(database_url)
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "PICCOLO_CONF": "events.piccolo_conf",
            "TSUNAGU_ENV": "demo",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "BASE_URL": "https://tsunagu.example.jp",
        }
    )
    from events.lib.migrations import migrate

    await migrate(verbose=False)


def sample_session() -> Any:
    """The 中四国 meeting of 2023-12-15, moved a month ahead."""
    from events.lib.formatting import TOKYO
    from events.sessions.exchange_sessions import ExchangeSessionView

    starts_at = dt.datetime.now(TOKYO).replace(hour=14, minute=0, second=0, microsecond=0)
    starts_at += dt.timedelta(days=30)
    return ExchangeSessionView(
        id=1,
        series_id=1,
        series_title="中四国エリア 庁内デジタル人材育成 情報交換会",
        owner_id=1,
        organizer_name="山田 太郎",
        organizer_email="jinzai@pref.okayama.example.lg.jp",
        organization="岡山県 デジタル推進課",
        title="第3回 情報交換会",
        region="chushikoku",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        registration_deadline=starts_at - dt.timedelta(days=7),
        capacity=10_000,
        per_municipality_limit=3,
        meeting_url="https://zoom.example.jp/j/123456789",
        meeting_passcode="tsunagu",
        background="デジタル人材の育成について、各自治体の取組を共有し意見交換します。",
        status="published",
        sequence=0,
        updated_at=starts_at - dt.timedelta(days=40),
        agenda=(),
    )


def invitation_rows(session: Any, numbers: range) -> list[dict[str, Any]]:
    """Invitations as participant_mail queues them, one per recipient."""
    from events.calendars import entries
    from events.mail.compose import compose
    from events.organizing.mail_preview import sample_attendee
    from events.registrations.mail import mail_context

    now = dt.datetime.now(dt.UTC)
    rows = []
    for n in numbers:
        attendee = {**sample_attendee(), "name": f"参加者{n}", "link_nonce": f"bench{n}"}
        mail = compose("confirmation", "ja", **mail_context(session, attendee, None))
        invite = entries.invitation_file(
            session, email=f"p{n}@example.lg.jp", name=f"参加者{n}", now=now
        )
        rows.append(
            {
                "kind": "confirmation",
                "recipient": f"p{n}@example.lg.jp",
                "subject": mail.subject,
                "text_body": mail.text,
                "html_body": mail.html,
                "calendar": invite.decode("utf-8"),
                "calendar_method": "REQUEST",
                "reply_to": session.organizer_email,
                "supersede_key": f"calendar:{session.id}:{n}",
                "topic_key": f"session:{session.id}",
            }
        )
    return rows


@dataclass
class Timing:
    """Wall-clock and CPU seconds, summed over the rounds. CPU counts this process and the
    children it reaped meanwhile: the outbox worker's building process (the SMTP sink runs
    until the end and is not counted)."""

    messages: int = 0
    wall: float = 0.0
    cpu: float = 0.0

    def add(self, messages: int, wall: float, cpu: float) -> None:
        self.messages += messages
        self.wall += wall
        self.cpu += cpu

    def rate(self) -> float:
        return self.messages / self.wall

    def cpu_rate(self) -> float:
        return self.messages / self.cpu


def _cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Clock:
    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), _cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = _cpu_seconds() - self.cpu


async def store(numbers: range) -> tuple[list[int], int]:
    """Build and bulk-insert invitations (seeding, not timed); their ids and total characters."""
    from events.tables import OutboxMessage

    session, ids, size = sample_session(), [], 0
    for start in range(numbers.start, numbers.stop, BATCH):
        rows = invitation_rows(session, range(start, min(start + BATCH, numbers.stop)))
        size += sum(len(r["text_body"]) + len(r["html_body"]) + len(r["calendar"]) for r in rows)
        stored = await OutboxMessage.insert(*(OutboxMessage(**row) for row in rows)).returning(
            OutboxMessage.id
        )
        ids += [row["id"] for row in stored]
    return ids, size


async def send_raw(port: int, ids: list[int], *, prebuilt: bool, timing: Timing) -> None:
    """aiosmtplib over one connection, no database: each message built just before it is sent,
    or (the transport's ceiling) all of them built beforehand."""
    import aiosmtplib

    from events.lib.settings import load_settings
    from events.mail.building import to_email
    from events.tables import OutboxMessage

    settings = load_settings()
    rows = await OutboxMessage.select().where(OutboxMessage.id.is_in(ids))
    messages = [to_email(row, settings) for row in rows] if prebuilt else []
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
    await client.connect()
    with Clock() as clock:
        if prebuilt:
            for message in messages:
                await client.send_message(message)
        else:
            for row in rows:
                await client.send_message(to_email(row, settings))
    timing.add(len(rows), clock.wall, clock.cpu)
    await client.quit()


async def send_outbox(batch_size: int, timing: Timing) -> None:
    from events.worker import OutboxWorker

    worker = OutboxWorker(batch_size=batch_size)
    claimed = 0
    with Clock() as clock:
        while batch := await worker.send_due():
            claimed += batch
        await worker.close()  # ends its building process, whose CPU the clock then counts
    timing.add(claimed, clock.wall, clock.cpu)


async def run(args: argparse.Namespace, smtp_port: int) -> list[list[str]]:
    """Rounds of (raw built then sent, outbox, raw prebuilt) on fresh messages each, so that a
    change of load on a shared machine falls on all three alike."""
    from piccolo.engine.postgres import PostgresEngine

    from events.enums import OutboxStatus
    from events.lib.database import engine, start_pool
    from events.tables import OutboxMessage

    db = engine()
    if isinstance(db, PostgresEngine):
        await start_pool(db, min_size=1, max_size=4)
    raw, built, queued = Timing(), Timing(), Timing()
    per_round, size, outbox_peak = args.messages // args.rounds, 0, 0.0
    try:
        for number in range(args.rounds):
            ids, chunk_size = await store(range(number * per_round, (number + 1) * per_round))
            size += chunk_size
            await send_raw(smtp_port, ids, prebuilt=False, timing=built)
            await send_outbox(args.batch_size, queued)
            # The outbox worker's high-water mark, before any prebuilt list exists.
            outbox_peak = outbox_peak or peak_rss_mb(os.getpid())
            await send_raw(smtp_port, ids, prebuilt=True, timing=raw)
        sent = await OutboxMessage.count().where(OutboxMessage.status == OutboxStatus.SENT)
    finally:
        if isinstance(db, PostgresEngine):
            await db.close_connection_pool()
    total = per_round * args.rounds
    assert sent == total == queued.messages, (sent, total, queued.messages)
    print(
        f"\n{total:,} invitations in {args.rounds} rounds, about {size / total / 1024:.1f} K "
        "characters of text/HTML/calendar each\n"
    )

    def row(name: str, timing: Timing, peak: str = "") -> list[str]:
        return [
            name,
            f"{timing.messages:,}",
            f"{timing.wall:.1f}",
            f"{timing.rate():,.0f}",
            f"{timing.rate() / built.rate():.0%}",
            f"{timing.rate() / raw.rate():.0%}",
            f"{timing.cpu_rate():,.0f}",
            f"{timing.cpu_rate() / built.cpu_rate():.0%}",
            peak,
        ]

    return [
        row("raw aiosmtplib, messages built beforehand", raw),
        row("raw aiosmtplib, each message built then sent", built),
        row(f"outbox worker (batch {args.batch_size})", queued, f"{outbox_peak:.0f}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    database_url = (
        args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='tsunagu-bench-')}/bench.sqlite3"
    )
    smtp_port = free_port()
    sink = start_sink(smtp_port)
    try:
        asyncio.run(prepare(database_url, smtp_port))
        rows = asyncio.run(run(args, smtp_port))
    finally:
        sink.terminate()
        sink.wait(timeout=30)
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"{engine}, aiosmtpd Sink on 127.0.0.1 (own process), {os.cpu_count()} cores\n")
    header = [
        "sender",
        "messages",
        "seconds",
        "messages/s",
        "of raw built+sent",
        "of raw prebuilt",
        "messages per CPU s",
        "CPU of raw built+sent",
        "peak RSS MB",
    ]
    print(table(header, rows))


if __name__ == "__main__":
    main()
