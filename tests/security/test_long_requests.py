"""An address too long is refused before any work, and it cannot hold up other visitors."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from events.web.request_line import MAX_TARGET_BYTES
from tests.events.test_cli import TSUNAGU, health
from tests.smtp_server import free_port

LONG_PATH = "/" + "a" * 60_000


@pytest.mark.parametrize(
    "target",
    [LONG_PATH, "/municipalities?q=" + "あ" * 3000, "/municipalities?q=" + "a" * MAX_TARGET_BYTES],
)
async def test_address_beyond_8_kb_is_refused_with_414(client: Any, target: str) -> None:
    response = await client.get(target)

    assert response.status_code == 414
    assert response.text == "アドレスが長すぎます。\n"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_address_within_the_limit_is_served(client: Any) -> None:
    response = await client.get("/municipalities?q=" + "a" * (MAX_TARGET_BYTES - 100))

    assert response.status_code == 200


@pytest.fixture
def server() -> Iterator[int]:
    """`tsunagu serve` on a free port, as deployed (uvicorn, its access log, our log filter)."""
    port = free_port()
    process = subprocess.Popen(
        [TSUNAGU, "serve", "--port", str(port)],
        env=os.environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while health(port)[0] != 200:  # until its worker has polled
            assert time.monotonic() < deadline, "the server did not become healthy"
            time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def test_60_kb_request_line_does_not_hold_up_the_server(server: int) -> None:
    request = f"GET {LONG_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server), timeout=10) as attacker:
        attacker.sendall(request.encode())
        answer = attacker.recv(64)
        # Its access log line is written now; the next visitor must not wait for it.
        started = time.monotonic()
        status, _ = health(server)
        waited = time.monotonic() - started

    assert answer.startswith(b"HTTP/1.1 414 ")
    assert status == 200
    assert waited < 1.0
