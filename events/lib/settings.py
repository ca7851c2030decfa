"""Service settings: the only reader of the process environment."""

from __future__ import annotations

import enum
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlsplit

from events.lib.errors import SettingsError

E = TypeVar("E", bound=enum.StrEnum)

# Every variable settings_from reads; the README documents exactly these.
ENVIRONMENT_VARIABLES = (
    "TSUNAGU_ENV",
    "DATABASE_URL",
    "BASE_URL",
    "SECRET_KEY",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_TLS",
    "SMTP_TIMEOUT",
    "MAIL_FROM",
    "MAIL_REPLY_TO",
    "REDIS_URL",
    "REMINDER_HOURS_BEFORE",
    "OUTBOX_CLAIM_TIMEOUT",
    "TRUSTED_PROXIES",
)

DEV_SECRET_KEY = "tsunagu-development-only-secret-key-do-not-use"  # noqa: S105 (placeholder)
MIN_SECRET_KEY_LENGTH = 32


class Environment(enum.StrEnum):
    DEVELOPMENT = "development"
    DEMO = "demo"
    TEST = "test"
    PRODUCTION = "production"


class SmtpTls(enum.StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"


@dataclass(frozen=True)
class DatabaseSettings:
    engine: str  # "sqlite" or "postgres"
    url: str = field(repr=False)
    sqlite_path: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine == "sqlite"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None = field(repr=False)
    tls: SmtpTls
    timeout_seconds: float


@dataclass(frozen=True)
class Settings:
    environment: Environment
    database: DatabaseSettings
    base_url: str
    secret_key: str = field(repr=False)
    smtp: SmtpSettings = field(repr=False)
    mail_from: str = ""
    mail_reply_to: str | None = None
    redis_url: str | None = field(default=None, repr=False)
    reminder_hours_before: int = 24
    worker_poll_seconds: float = 2.0
    # A worker's claim on outbox messages is a lease: past this, another worker takes them over.
    outbox_claim_timeout_seconds: int = 900
    # Addresses whose X-Forwarded-For is believed; from anyone else it is ignored.
    trusted_proxies: tuple[str, ...] = ()
    # Development and demo without SMTP_HOST: mail goes to the mailbox at /dev/mail.
    mail_to_mailbox: bool = False

    @property
    def uses_https(self) -> bool:
        return self.base_url.startswith("https://")


def parse_database_url(url: str) -> DatabaseSettings:
    """Read `sqlite:///relative.db`, `sqlite:////absolute.db` or `postgresql://...`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///x.db -> "x.db" (relative); sqlite:////tmp/x.db -> "/tmp/x.db"
        path = unquote(parts.path[1:]) if parts.path.startswith("/") else ""
        if parts.netloc or not path:
            raise SettingsError("DATABASE_URL", "expected sqlite:///path/to/file.sqlite3")
        return DatabaseSettings(engine="sqlite", url=url, sqlite_path=Path(path))
    if parts.scheme in {"postgresql", "postgres"}:
        try:
            parts.port  # noqa: B018 (parsing the port is the check)
        except ValueError as exc:
            raise SettingsError("DATABASE_URL", f"invalid port ({exc})") from None
        if not parts.hostname and "host=" not in parts.query:
            raise SettingsError("DATABASE_URL", "a PostgreSQL URL needs a host")
        if not parts.path.strip("/"):
            raise SettingsError("DATABASE_URL", "a PostgreSQL URL needs a database name")
        return DatabaseSettings(engine="postgres", url=url)
    raise SettingsError(
        "DATABASE_URL", "must start with sqlite:/// or postgresql:// (got a different scheme)"
    )


def _choice(env: Mapping[str, str], key: str, kind: type[E], default: E) -> E:
    raw = env.get(key, "").strip().lower()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise SettingsError(key, f"must be one of {allowed} (got {raw!r})") from None


def _number(env: Mapping[str, str], key: str, default: int, minimum: int, maximum: int) -> int:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(key, f"must be a whole number (got {raw!r})") from None
    if not minimum <= value <= maximum:
        raise SettingsError(key, f"must be between {minimum} and {maximum} (got {value})")
    return value


def _base_url(env: Mapping[str, str]) -> str:
    url = env.get("BASE_URL", "").strip() or "http://127.0.0.1:8000"
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SettingsError("BASE_URL", f"must be an http:// or https:// URL (got {url!r})")
    return url.rstrip("/")


def _secret_key(env: Mapping[str, str], environment: Environment) -> str:
    key = env.get("SECRET_KEY", "")
    if not key:
        if environment is Environment.PRODUCTION:
            raise SettingsError("SECRET_KEY", "is required when TSUNAGU_ENV=production")
        return DEV_SECRET_KEY
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise SettingsError("SECRET_KEY", f"must be at least {MIN_SECRET_KEY_LENGTH} characters")
    return key


def _smtp(env: Mapping[str, str]) -> SmtpSettings:
    return SmtpSettings(
        host=env.get("SMTP_HOST", "").strip() or "127.0.0.1",
        port=_number(env, "SMTP_PORT", default=1025, minimum=1, maximum=65535),
        user=env.get("SMTP_USER") or None,
        password=env.get("SMTP_PASSWORD") or None,
        tls=_choice(env, "SMTP_TLS", SmtpTls, SmtpTls.NONE),
        timeout_seconds=float(_number(env, "SMTP_TIMEOUT", default=30, minimum=1, maximum=600)),
    )


def _mail_from(env: Mapping[str, str], base_url: str) -> str:
    value = env.get("MAIL_FROM", "").strip()
    if value:
        if "@" not in value:
            raise SettingsError("MAIL_FROM", f"must contain an e-mail address (got {value!r})")
        return value
    host = urlsplit(base_url).hostname or "localhost"
    domain = host if "." in host else "localhost.localdomain"
    return f"Tsunagu <noreply@{domain}>"


def settings_from(env: Mapping[str, str]) -> Settings:
    """Build settings from an environment mapping; raise SettingsError naming the bad key."""
    environment = _choice(env, "TSUNAGU_ENV", Environment, Environment.DEVELOPMENT)
    base_url = _base_url(env)
    reply_to = env.get("MAIL_REPLY_TO", "").strip() or None
    if reply_to is not None and "@" not in reply_to:
        raise SettingsError("MAIL_REPLY_TO", f"must be an e-mail address (got {reply_to!r})")
    redis_url = env.get("REDIS_URL", "").strip() or None
    if redis_url is not None and urlsplit(redis_url).scheme not in {"redis", "rediss", "unix"}:
        raise SettingsError("REDIS_URL", "must start with redis://, rediss:// or unix://")
    return Settings(
        environment=environment,
        database=parse_database_url(
            env.get("DATABASE_URL", "").strip() or "sqlite:///tsunagu.sqlite3"
        ),
        base_url=base_url,
        secret_key=_secret_key(env, environment),
        smtp=_smtp(env),
        mail_from=_mail_from(env, base_url),
        mail_reply_to=reply_to,
        redis_url=redis_url,
        reminder_hours_before=_number(
            env, "REMINDER_HOURS_BEFORE", default=24, minimum=1, maximum=24 * 14
        ),
        outbox_claim_timeout_seconds=_number(
            env, "OUTBOX_CLAIM_TIMEOUT", default=900, minimum=1, maximum=24 * 3600
        ),
        trusted_proxies=_addresses(env, "TRUSTED_PROXIES"),
        mail_to_mailbox=environment in {Environment.DEVELOPMENT, Environment.DEMO}
        and not env.get("SMTP_HOST", "").strip(),
    )


def _addresses(env: Mapping[str, str], key: str) -> tuple[str, ...]:
    """Comma-separated IP addresses or networks (10.0.0.0/8)."""
    values = tuple(part.strip() for part in env.get(key, "").split(",") if part.strip())
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise SettingsError(
                key, f"must list IP addresses or networks (got {value!r})"
            ) from None
    return values


@cache
def load_settings() -> Settings:
    """Settings of this process, read from os.environ once."""
    return settings_from(os.environ)
