"""What the server logs during registrations and mail delivery names no one and opens nothing.

The application runs under uvicorn with the logging configuration of `tsunagu serve`, and the
outbox worker meets an SMTP server that refuses every recipient (naming them, as servers do).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from aiosmtpd.controller import Controller

from events.app import create_app
from events.lib.settings import load_settings
from events.mail.mailer import PermanentDeliveryError
from events.server import configure_logging, log_config
from events.tables import Attendee
from events.worker import OutboxWorker
from tests.factories import attendee_token, contact_of
from tests.security.world import CODE_A, PEOPLE_A, PEOPLE_B, _person, build_world, markers

# A coordinator registers these two from the link of municipality A.
NEWCOMERS = (
    _person("薬師寺朔太郎", "yakushiji.sakutaro@okayama-pref.example.lg.jp"),
    _person("小鳥遊凛", "takanashi.rin@okayama-pref.example.lg.jp"),
)
_LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "events")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def logging_restored() -> Iterator[None]:
    """uvicorn configures logging for the whole process; later tests get theirs back."""
    saved = {
        name: (logger.handlers[:], logger.level, logger.propagate, logger.disabled)
        for name in _LOGGERS
        for logger in [logging.getLogger(name)]
    }
    try:
        yield
    finally:
        for name, (handlers, level, propagate, disabled) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate
            logger.disabled = disabled


@contextlib.asynccontextmanager
async def served(log: io.StringIO) -> AsyncIterator[str]:
    """The app under uvicorn on a free port, logging as `tsunagu serve` does, into `log`."""
    config = log_config()
    for handler in config["handlers"].values():
        handler["stream"] = log
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(),
            host="127.0.0.1",
            port=port,
            log_config=config,
            http="h11",
            ws="none",
            lifespan="on",
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "uvicorn did not start"
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


class RefuseEveryone:
    """Like a real relay, the refusal repeats the address it refuses."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"


@contextlib.contextmanager
def smtp_port_allowed(port: int) -> Iterator[None]:
    """Where the suite guards against SMTP connections (tests/smtp_server.py), this server is
    one the test started."""
    try:
        from tests.smtp_server import _allowed_ports
    except ImportError:
        _allowed_ports = set()
    _allowed_ports.add(port)
    try:
        yield
    finally:
        _allowed_ports.discard(port)


@pytest.fixture
def refusing_smtp() -> Iterator[int]:
    port = free_port()
    controller = Controller(RefuseEveryone(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtp_port_allowed(port):
            yield port
    finally:
        controller.stop()


def registration_form() -> dict[str, str]:
    form = {"plan_status": "drafting"}
    for index, newcomer in enumerate(NEWCOMERS):
        fields = dataclasses.asdict(newcomer)
        for key in ("name", "department", "position", "email"):
            form[f"attendees-{index}-{key}"] = fields[key]
    return form


async def test_logs_carry_neither_tokens_nor_addresses(refusing_smtp: int) -> None:
    world = await build_world()
    coordinator = world.coordinator_tokens[CODE_A]
    log = io.StringIO()
    with logging_restored():
        async with served(log) as base_url, httpx.AsyncClient(base_url=base_url) as browser:
            page = await browser.get(f"/r/{coordinator}")
            assert page.status_code == 200
            form = {"_csrf_token": browser.cookies["tsunagu_csrf"], **registration_form()}
            saved = await browser.post(f"/r/{coordinator}", data=form)
            assert saved.status_code == 303
            assert (await browser.get(saved.headers["location"])).status_code == 200
            newcomer = await Attendee.select().where(Attendee.email == NEWCOMERS[0].email).first()
            assert newcomer is not None
            personal = attendee_token(newcomer)
            for path in (
                f"/a/{personal}",
                f"/a/{personal}/calendar.ics",
                f"/p/{world.poll_tokens[CODE_A]}",
                f"/api/invitations/{coordinator}",
                f"/r/{personal}",  # a link of the wrong kind: refused, and logged
                f"/municipalities/{NEWCOMERS[1].email}",  # an address pasted into a link
            ):
                await browser.get(path)
            failed = {"_csrf_token": form["_csrf_token"], "email": NEWCOMERS[0].email}
            refused = await browser.post("/login", data={**failed, "password": "x"})
            assert refused.status_code == 400  # the form again, with its error
            smtp = dataclasses.replace(load_settings().smtp, port=refusing_smtp)
            worker = OutboxWorker(smtp=smtp)
            assert await worker.send_due() > 0
    written = log.getvalue()
    # The log is there and says what happened: requests, statuses, refused deliveries.
    assert '"GET /a/[redacted] HTTP/1.1" 200' in written
    assert "permanent failure" in written
    secrets = [coordinator, personal, world.poll_tokens[CODE_A]]
    people = [*markers(NEWCOMERS), *markers(PEOPLE_A), *markers(PEOPLE_B), contact_of(CODE_A)]
    encoded = [text.replace("@", "%40") for text in people]
    leaked = [text for text in (*secrets, *people, *encoded) if text in written]
    assert leaked == [], written


def test_the_worker_process_logs_through_the_same_redaction(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with logging_restored():
        configure_logging()
        refusal = PermanentDeliveryError(f"550 5.1.1 <{NEWCOMERS[0].email}>: User unknown")
        logging.getLogger("events.worker").warning("outbox %s: permanent failure: %s", 7, refusal)
        try:
            raise RuntimeError(f"while sending to {NEWCOMERS[1].email}")
        except RuntimeError:
            logging.getLogger("events.worker").exception("outbox worker: batch failed")
    written = capsys.readouterr().err
    assert "outbox 7: permanent failure: 550 5.1.1 <[email]>: User unknown" in written
    assert "RuntimeError: while sending to [email]" in written
    assert not [text for text in markers(NEWCOMERS) if text in written]
