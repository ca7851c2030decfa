"""Run the application under uvicorn with logs that never carry link tokens."""

from __future__ import annotations

import copy
import logging.config
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from events.app import create_app
from events.lib.settings import load_settings


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with every handler passing records through the token redaction."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_tokens": {"()": "events.lib.log_redaction.RedactTokens"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_tokens"]
    config["loggers"]["events"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    # WeasyPrint and fontTools (its font subsetter) log a line per font and glyph table at INFO.
    for chatty in ("weasyprint", "fontTools"):
        config["loggers"][chatty] = {"level": "WARNING"}
    return config


def configure_logging() -> None:
    """The same logging for processes that uvicorn does not start (the outbox worker)."""
    logging.config.dictConfig(log_config())


def run_server(*, host: str, port: int, run_worker: bool) -> None:
    app = create_app(run_worker=run_worker)
    # The client address (which the sign-in limits count by) comes from X-Forwarded-For only
    # when the connection comes from a proxy named in TRUSTED_PROXIES: anyone else could
    # rotate the header to escape the limits.
    proxies = load_settings().trusted_proxies
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=log_config(),
        proxy_headers=bool(proxies),
        forwarded_allow_ips=list(proxies),
        server_header=False,
    )
