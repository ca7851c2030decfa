"""The `tsunagu` console script: serve, migrate, worker, demo and account commands."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from functools import wraps
from typing import Any, TypeVar

import click

# Piccolo finds its engine through this module; nobody should have to export it by hand.
os.environ.setdefault("PICCOLO_CONF", "events.piccolo_conf")

from events.lib.errors import DomainError, SettingsError
from events.lib.i18n import gettext
from events.lib.settings import load_settings

# Piccolo warns when it cannot connect while loading its configuration; we say it in one line.
warnings.filterwarnings("ignore", message=".*Unable to connect to database")

T = TypeVar("T")

# Errors a user can meet before anything useful happens: a one-line message, no traceback.
_UNREACHABLE = (OSError, sqlite3.OperationalError, ConnectionError, TimeoutError)


def fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def run_async(function: Callable[..., Coroutine[Any, Any, T]]) -> Callable[..., T | None]:
    """Run an async command with the database open, turning expected failures into one line."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> T | None:
        try:
            load_settings()
            return asyncio.run(_with_database(lambda: function(*args, **kwargs)))
        except SettingsError as error:
            fail(f"setting {error}", code=2)
        except DomainError as error:
            fail(gettext(error.problems[0].message, **error.problems[0].params))
        except _UNREACHABLE as error:
            fail(f"cannot reach the database: {describe(error)}")
        except Exception as error:
            if type(error).__module__.startswith("asyncpg"):
                fail(f"database error: {describe(error)}")
            raise
        return None

    return wrapper


def describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


async def _with_database(work: Callable[[], Awaitable[T]]) -> T:
    from piccolo.engine.postgres import PostgresEngine

    from events.lib.database import check_connection, engine, start_pool

    db = engine()
    await check_connection()
    if isinstance(db, PostgresEngine):
        await start_pool(db, min_size=1, max_size=10)
    try:
        return await work()
    finally:
        if isinstance(db, PostgresEngine):
            await db.close_connection_pool()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Tsunagu: regional exchange sessions between Japanese local governments."""


@main.command()
@run_async
async def migrate() -> None:
    """Apply pending database migrations."""
    from events.lib.migrations import migrate as run_migrations

    await run_migrations()
    click.echo("migrations: up to date")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--no-worker",
    is_flag=True,
    help="Leave mail, report PDFs and daily jobs to a separate `tsunagu worker`.",
)
@click.option(
    "--server",
    type=click.Choice(["granian", "uvicorn"]),
    default="uvicorn",
    show_default=True,
    help="The HTTP server that runs the application.",
)
def serve(host: str, port: int, no_worker: bool, server: str) -> None:
    """Apply pending migrations, then serve the web application (and, unless --no-worker, do
    the worker's jobs in the same process)."""
    from events.server import HttpServer, run_server

    migrate.main(args=[], standalone_mode=False)
    run_server(host=host, port=port, run_worker=not no_worker, server=HttpServer(server))


@main.command()
def worker() -> None:
    """Send the mail outbox, render report PDFs and run the daily jobs (board digests, expired
    sign-ins) until stopped; for deployments that serve with --no-worker."""
    run_async(_run_worker)()


async def _run_worker() -> None:
    from events.server import configure_logging
    from events.worker import OutboxWorker

    # Delivery failures are logged; SMTP refusals name recipients, which the filter removes.
    configure_logging()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    click.echo("worker: sending the outbox (Ctrl+C to stop)")
    await OutboxWorker().run(stop)
    click.echo("worker: stopped")


@main.command("render-pdfs")
@click.option("--report", "report_id", type=click.IntRange(1), help="Every version of report N.")
@click.option("--all", "every", is_flag=True, help="Every version of every report.")
@run_async
async def render_pdfs(report_id: int | None, every: bool) -> None:
    """Render report PDFs again: those not readable yet (by default), one report's, or all."""
    if report_id is not None and every:
        raise click.UsageError("give --report N or --all, not both")
    from events.reports import pdf, pdf_fonts
    from events.server import configure_logging

    configure_logging()
    pdf_fonts.log_font_check()
    versions = await pdf.versions_to_render(report_id=report_id, every=every)
    if not versions:
        click.echo("render-pdfs: every PDF is readable (--all renders them again)")
    for report, number in versions:
        click.echo(f"report {report} v{number}: {await pdf.render_version(report, number)}")


@main.command()
@run_async
async def demo() -> None:
    """Apply migrations and load the demo data (a 中四国 series; safe to run again)."""
    from events.demo.loader import load_demo
    from events.lib.migrations import migrate as run_migrations
    from events.lib.settings import Environment, load_settings

    if load_settings().environment is Environment.PRODUCTION:
        # The demo creates an administrator whose password the README prints.
        fail("demo data is not loaded when TSUNAGU_ENV=production")
    await run_migrations(verbose=False)
    await load_demo(progress=click.echo)


@main.command("create-organizer")
@click.argument("email")
@click.option("--password", help="Prompted (hidden) when omitted.")
@click.option("--name", "display_name", default="", help="Name shown to participants.")
@click.option("--admin", is_flag=True, help="May see and edit every series.")
def create_organizer(email: str, password: str | None, display_name: str, admin: bool) -> None:
    """Create an organizer account that signs in with EMAIL."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    run_async(_create_organizer)(email, password, display_name, admin)


async def _create_organizer(email: str, password: str, display_name: str, admin: bool) -> None:
    from events.accounts.organizers import create_organizer as create

    organizer = await create(email, password, display_name=display_name, is_admin=admin)
    role = "admin" if organizer.is_admin else "organizer"
    click.echo(f"created {role} {organizer.email} (id {organizer.id})")


@main.command("create-api-token")
@click.argument("email")
@click.option("--label", default="", help="What the token is for (shown in listings).")
@run_async
async def create_api_token(email: str, label: str) -> None:
    """Issue a bearer token for the JSON API; the token is printed alone on the last line."""
    from events.accounts.organizers import create_api_token as issue

    token_id, token = await issue(email, label)
    click.echo(f"API token {token_id} for {email} (shown once; store it safely):")
    click.echo(token)


@main.command("list-api-tokens")
@click.argument("email", required=False)
@run_async
async def list_api_tokens(email: str | None) -> None:
    """List the API tokens issued (to EMAIL only, when given): number, organizer, label, state."""
    from events.accounts.organizers import api_tokens
    from events.lib.formatting import in_tokyo

    tokens = await api_tokens(email)
    if not tokens:
        click.echo("no API tokens")
    for token in tokens:
        # Dates in Japan time, like everything the service shows.
        revoked = token.revoked_at
        state = f"revoked {in_tokyo(revoked):%Y-%m-%d}" if revoked else "active"
        click.echo(
            f"{token.id}\t{token.organizer_email}\t{token.label or '-'}"
            f"\tcreated {in_tokyo(token.created_at):%Y-%m-%d}\t{state}"
        )


@main.command("revoke-api-token")
@click.argument("token_id", metavar="NUMBER", type=click.IntRange(1, 2**31 - 1))
@run_async
async def revoke_api_token(token_id: int) -> None:
    """Revoke the API token with this NUMBER (see list-api-tokens): it stops working at once."""
    from events.accounts.organizers import revoke_api_token as revoke

    token = await revoke(token_id)
    click.echo(f"revoked API token {token.id} of {token.organizer_email} ({token.label or '-'})")
