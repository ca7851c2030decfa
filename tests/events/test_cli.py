"""The `tsunagu` console script, run as a user runs it: a real process on the test database."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from events.accounts.organizers import organizer_for_api_token
from events.lib.clock import utcnow
from events.lib.formatting import in_tokyo
from events.mail.worker_poll import WRITE_CHECK_EVERY
from tests.conftest import TEST_DATABASE_URL

TSUNAGU = str(Path(sys.executable).parent / "tsunagu")
COMMANDS = [
    "create-api-token",
    "create-organizer",
    "demo",
    "list-api-tokens",
    "migrate",
    "render-pdfs",
    "revoke-api-token",
    "serve",
    "worker",
]


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TSUNAGU, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    listed = [
        line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()
    ]
    assert listed == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"Usage: tsunagu {command}")


def test_migrate_reports_up_to_date() -> None:
    result = run("migrate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("migrations: up to date")


async def test_create_organizer_then_api_token() -> None:
    created = run(
        "create-organizer",
        "Sato@Example.lg.jp",
        "--password",
        "correct horse battery",
        "--name",
        "佐藤",
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("created organizer sato@example.lg.jp (id ")
    issued = run("create-api-token", "sato@example.lg.jp", "--label", "script")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.rstrip("\n").splitlines()[-1]
    organizer = await organizer_for_api_token(token)
    assert organizer is not None
    assert organizer.email == "sato@example.lg.jp"
    assert organizer.display_name == "佐藤"


def test_create_organizer_twice_is_one_line_error() -> None:
    assert (
        run("create-organizer", "a@example.jp", "--password", "long enough password").returncode
        == 0
    )
    again = run("create-organizer", "a@example.jp", "--password", "long enough password")
    assert again.returncode == 1
    assert again.stderr == "error: a@example.jp の主催者はすでに登録されています。\n"


def test_create_organizer_refuses_short_password() -> None:
    result = run("create-organizer", "b@example.jp", "--password", "short")
    assert result.returncode == 1
    assert result.stderr == "error: パスワードは12文字以上にしてください。\n"


def test_create_organizer_prompts_for_password() -> None:
    result = subprocess.run(
        [TSUNAGU, "create-organizer", "c@example.jp"],
        input="prompted password 1\nprompted password 1\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "created organizer c@example.jp" in result.stdout


async def test_an_operator_lists_and_revokes_api_tokens() -> None:
    created = run("create-organizer", "ito@example.lg.jp", "--password", "correct horse battery")
    assert created.returncode == 0, created.stderr
    issued = run("create-api-token", "ito@example.lg.jp", "--label", "集計スクリプト")
    first_line, token = issued.stdout.rstrip("\n").splitlines()
    assert first_line.startswith("API token ")
    number = first_line.split()[2]
    listed = run("list-api-tokens")
    assert listed.stdout.splitlines() == [
        f"{number}\tito@example.lg.jp\t集計スクリプト\tcreated {today()}\tactive"
    ]
    revoked = run("revoke-api-token", number)
    assert (revoked.returncode, revoked.stdout) == (
        0,
        f"revoked API token {number} of ito@example.lg.jp (集計スクリプト)\n",
    )
    assert await organizer_for_api_token(token) is None
    assert run("list-api-tokens", "ito@example.lg.jp").stdout.endswith(f"revoked {today()}\n")
    assert run("list-api-tokens", "nobody@example.jp").returncode == 1


def test_revoking_an_unknown_api_token_is_one_line_error() -> None:
    assert run("list-api-tokens").stdout == "no API tokens\n"
    result = run("revoke-api-token", "999")
    assert (result.returncode, result.stderr) == (
        1,
        "error: 番号 999 のAPIトークンはありません。\n",
    )
    assert run("revoke-api-token", "not-a-number").returncode == 2


def today() -> str:
    return in_tokyo(utcnow()).strftime("%Y-%m-%d")


def test_api_token_for_unknown_organizer() -> None:
    result = run("create-api-token", "nobody@example.jp")
    assert result.returncode == 1
    assert result.stderr == "error: nobody@example.jp の主催者はいません。\n"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "mysql://localhost/tsunagu",
            "error: setting DATABASE_URL must start with sqlite:/// or postgresql://",
        ),
        ("postgresql://localhost:99999/x", "error: setting DATABASE_URL invalid port"),
    ],
)
def test_malformed_database_url_is_named(url: str, expected: str) -> None:
    result = run("migrate", env={"DATABASE_URL": url})
    assert result.returncode == 2
    assert result.stderr.startswith(expected)
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_unreachable_postgres_is_one_line() -> None:
    port = free_port()  # nothing listens there
    result = run("migrate", env={"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{port}/x"})
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot reach the database: ")
    assert result.stderr.count("\n") == 1


def test_unopenable_sqlite_file_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "db.sqlite3"
    result = run("migrate", env={"DATABASE_URL": f"sqlite:///{missing}"})
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot reach the database: ")
    assert "Traceback" not in result.stderr


def test_demo_refuses_production() -> None:
    result = run("demo", env={**os.environ, "TSUNAGU_ENV": "production"})

    assert result.returncode == 1
    assert result.stderr == "error: demo data is not loaded when TSUNAGU_ENV=production\n"
    assert result.stdout == ""


def test_demo_can_run_twice() -> None:
    first = run("demo", timeout=120)
    assert first.returncode == 0, first.stderr
    second = run("demo", timeout=120)
    assert second.returncode == 0, second.stderr
    assert "already" in second.stdout


# Granian runs the application in a forked worker process, after the migrations ran in its parent.
@pytest.mark.parametrize("server", ["uvicorn", "granian"])
def test_serve_migrates_a_fresh_database_and_answers(tmp_path: Path, server: str) -> None:
    port = free_port()
    url = (
        f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        if TEST_DATABASE_URL.startswith("sqlite")
        else TEST_DATABASE_URL
    )
    process = subprocess.Popen(
        [TSUNAGU, "serve", "--port", str(port), "--no-worker", "--server", server],
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, answer = health(port)
        # No worker polls beside this server: it serves, and /healthz says what is missing.
        assert (status, answer["database"], answer["worker"]) == (503, "ok", "silent")
        home = _wait_for(f"http://127.0.0.1:{port}/municipalities?q=330001")
        assert "岡山県" in home
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "migrations: up to date" in output


@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("sqlite") or os.geteuid() != 0 or not shutil.which("chattr"),
    reason="a SQLite file made immutable (chattr +i needs root; root ignores file modes)",
)
def test_healthz_names_a_database_that_takes_no_writes(tmp_path: Path) -> None:
    port = free_port()
    database = tmp_path / "read-only.sqlite3"
    process = subprocess.Popen(
        [TSUNAGU, "serve", "--port", str(port)],
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while (writable := health(port))[0] != 200:  # until the worker has polled
            assert time.monotonic() < deadline, writable
            time.sleep(0.2)
        subprocess.run(["chattr", "+i", str(database)], check=True)  # noqa: S607
        made_read_only = time.monotonic()
        try:
            # The write check is reused for WRITE_CHECK_EVERY seconds, not longer.
            while (read_only := health(port))[1]["database"] == "ok":
                assert time.monotonic() - made_read_only < WRITE_CHECK_EVERY + 0.5, read_only
                time.sleep(0.05)
        finally:
            subprocess.run(["chattr", "-i", str(database)], check=True)  # noqa: S607
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)

    assert writable[1]["database"] == "ok"
    assert read_only[0] == 503
    assert read_only[1]["status"] == "unavailable"
    assert read_only[1]["database"] == "read-only (FileNotWritableError)"


def test_worker_stops_cleanly_on_sigterm() -> None:
    process = subprocess.Popen(
        [TSUNAGU, "worker"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "worker: sending the outbox (Ctrl+C to stop)\n"
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out == "worker: stopped\n"


def health(port: int, seconds: float = 30) -> tuple[int, dict[str, Any]]:
    """/healthz of a server starting on `port`: its status and body, 200 or 503."""
    deadline = time.monotonic() + seconds
    url = f"http://127.0.0.1:{port}/healthz"
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return int(response.status), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _wait_for(url: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local test server)
                return str(response.read().decode("utf-8"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
