"""X-Forwarded-For is believed only from TRUSTED_PROXIES: rotating it escapes no sign-in limit."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.events.test_cli import TSUNAGU, health
from tests.helpers import sign_in
from tests.smtp_server import free_port

ATTEMPTS = 12  # the sign-in limit is 10 a minute per client address


def serve(**variables: str) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [TSUNAGU, "serve", "--port", str(port), "--no-worker"],
        env=os.environ | variables,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        health(port)  # waits until it answers
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


@pytest.fixture
def untrusting_server() -> Iterator[str]:
    yield from serve()


@pytest.fixture
def server_behind_local_proxy() -> Iterator[str]:
    yield from serve(TRUSTED_PROXIES="127.0.0.1")


async def statuses_with_rotating_header(base_url: str) -> list[int]:
    statuses = []
    async with httpx.AsyncClient(base_url=base_url) as client:
        for n in range(ATTEMPTS):
            client.headers["x-forwarded-for"] = f"198.51.100.{n + 1}"
            # Another account each time: the per-account limit is not what is tested here.
            response = await sign_in(client, f"nobody{n}@example.lg.jp", "not the password at all")
            statuses.append(response.status_code)
    return statuses


async def test_rotating_forwarded_for_does_not_escape_the_limit(untrusting_server: str) -> None:
    statuses = await statuses_with_rotating_header(untrusting_server)

    assert statuses[:10] == [400] * 10  # wrong password, answered
    assert statuses[10:] == [429, 429]


async def test_trusted_proxy_forwards_each_client_address(server_behind_local_proxy: str) -> None:
    started = time.monotonic()
    statuses = await statuses_with_rotating_header(server_behind_local_proxy)

    assert statuses == [400] * ATTEMPTS
    assert time.monotonic() - started < 60  # all within one window of the limit
