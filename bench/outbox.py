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
import socket
import subprocess
import sys
import tempfile
import time
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
    from events.migrations import migrate

    await migrate(verbose=False)


def sample_session() -> Any:
    """The 中四国 meeting of 2023-12-15, moved a month ahead."""
    from events.exchange_sessions import ExchangeSessionView
    from events.formatting import TOKYO

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
    from events import calendar
    from events.mail_compose import compose
    from events.mail_preview import sample_attendee
    from events.participant_mail import mail_context

    now = dt.datetime.now(dt.UTC)
    rows = []
    for n in numbers:
        attendee = {**sample_attendee(), "name": f"参加者{n}", "link_nonce": f"bench{n}"}
        mail = compose("confirmation", "ja", **mail_context(session, attendee, None))
        invite = calendar.invitation_file(
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


async def store(count: int) -> tuple[float, int]:
    """Build and bulk-insert the invitations (seeding, not sending); seconds and total bytes."""
    from events.tables import OutboxMessage

    session = sample_session()
    started, size = time.perf_counter(), 0
    for start in range(0, count, BATCH):
        rows = invitation_rows(session, range(start, min(start + BATCH, count)))
        size += sum(len(r["text_body"]) + len(r["html_body"]) + len(r["calendar"]) for r in rows)
        await OutboxMessage.insert(*(OutboxMessage(**row) for row in rows))
    return time.perf_counter() - started, size


async def send_raw(port: int) -> tuple[float, int]:
    """The ceiling: every stored message built first, then sent over one connection."""
    import aiosmtplib

    from events.settings import load_settings
    from events.tables import OutboxMessage
    from events.worker import to_email

    settings = load_settings()
    messages = [to_email(row, settings) for row in await OutboxMessage.select()]
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
    await client.connect()
    started = time.perf_counter()
    for message in messages:
        await client.send_message(message)
    elapsed = time.perf_counter() - started
    await client.quit()
    return elapsed, len(messages)


async def send_outbox(batch_size: int) -> tuple[float, int]:
    from events.outbox import Status
    from events.settings import load_settings
    from events.tables import OutboxMessage
    from events.worker import OutboxWorker

    worker = OutboxWorker(load_settings(), batch_size=batch_size)
    started = time.perf_counter()
    while await worker.send_due():
        pass
    elapsed = time.perf_counter() - started
    await worker.close()
    sent = await OutboxMessage.count().where(OutboxMessage.status == Status.SENT)
    return elapsed, int(sent)


async def run(args: argparse.Namespace, smtp_port: int) -> list[list[str]]:
    from piccolo.engine.postgres import PostgresEngine

    from events.database import engine

    db = engine()
    pool = isinstance(db, PostgresEngine)
    if pool:
        await db.start_connection_pool(min_size=1, max_size=4)
    try:
        seeding, size = await store(args.messages)
        outbox_seconds, sent = await send_outbox(args.batch_size)
        outbox_peak = peak_rss_mb(os.getpid())
        raw_seconds, raw_sent = await send_raw(smtp_port)
    finally:
        if pool:
            await db.close_connection_pool()
    raw_rate, outbox_rate = raw_sent / raw_seconds, sent / outbox_seconds
    print(
        f"\n{args.messages:,} invitations, about {size / args.messages / 1024:.1f} KB of "
        f"text/HTML/calendar each; building and storing them took {seeding:.1f} s\n"
    )
    return [
        ["raw aiosmtplib, one connection", f"{raw_sent:,}", f"{raw_seconds:.1f}",
         f"{raw_rate:,.0f}", "100%", ""],
        [f"outbox worker (batch {args.batch_size})", f"{sent:,}", f"{outbox_seconds:.1f}",
         f"{outbox_rate:,.0f}", f"{outbox_rate / raw_rate:.0%}", f"{outbox_peak:.0f}"],
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=100)
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
    header = ["sender", "messages", "seconds", "messages/s", "of raw", "peak RSS MB"]
    print(table(header, rows))


if __name__ == "__main__":
    main()
