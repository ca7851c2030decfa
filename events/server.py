"""Run the application under granian or uvicorn, with logs that never carry link tokens."""

from __future__ import annotations

import copy
import enum
import logging.config
from typing import Any

import uvicorn
from granian.constants import Interfaces
from granian.server import Server as Granian
from granian.utils.proxies import wrap_asgi_with_proxy_headers
from litestar import Litestar
from uvicorn.config import LOGGING_CONFIG

from events.app import create_app
from events.lib.settings import load_settings


class HttpServer(enum.StrEnum):
    """The HTTP servers `tsunagu serve --server` can run the application under."""

    GRANIAN = "granian"
    UVICORN = "uvicorn"


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with every handler passing records through the token redaction."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_tokens": {"()": "events.lib.log_redaction.RedactTokens"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_tokens"]
    for name in ("events", "_granian"):
        config["loggers"][name] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    # WeasyPrint and fontTools (its font subsetter) log a line per font and glyph table at INFO.
    for chatty in ("weasyprint", "fontTools"):
        config["loggers"][chatty] = {"level": "WARNING"}
    return config


def configure_logging() -> None:
    """The same logging for processes that uvicorn does not start (the outbox worker)."""
    logging.config.dictConfig(log_config())


def run_server(*, host: str, port: int, run_worker: bool, server: HttpServer) -> None:
    if server is HttpServer.GRANIAN:
        factory = "app_with_worker" if run_worker else "app_without_worker"
        Granian(
            f"events.server:{factory}",
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            factory=True,
            # Granian logs no requests by default; its own messages go through the redaction.
            log_dictconfig=log_config(),
        ).serve()
        return
    app = create_app(run_worker=run_worker)
    uvicorn.run(app, host=host, port=port, **uvicorn_options(load_settings().trusted_proxies))


def uvicorn_options(trusted_proxies: tuple[str, ...]) -> dict[str, Any]:
    """How `tsunagu serve` runs uvicorn (the hello-world ceiling of the benchmarks too)."""
    return {
        "log_config": log_config(),
        # The client address (which the sign-in limits count by) comes from X-Forwarded-For
        # only when the connection comes from a proxy named in TRUSTED_PROXIES: anyone else
        # could rotate the header to escape the limits.
        "proxy_headers": bool(trusted_proxies),
        "forwarded_allow_ips": list(trusted_proxies),
        "server_header": False,
    }


# Granian imports the application in its worker process by name: one factory per choice.
def app_with_worker() -> Any:
    return _behind_proxy(create_app(run_worker=True))


def app_without_worker() -> Any:
    return _behind_proxy(create_app(run_worker=False))


def _behind_proxy(app: Litestar) -> Any:
    """X-Forwarded-For names the client only from a proxy in TRUSTED_PROXIES, as under uvicorn."""
    proxies = load_settings().trusted_proxies
    return wrap_asgi_with_proxy_headers(app, trusted_hosts=list(proxies)) if proxies else app
