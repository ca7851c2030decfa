"""Settings come only from the environment; a missing or malformed variable names itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from events.lib.errors import SettingsError
from events.lib.settings import DEV_SECRET_KEY, Environment, SmtpTls, settings_from

PRODUCTION_KEY = "k" * 40


def test_defaults_give_a_working_development_setup() -> None:
    settings = settings_from({})
    assert settings.environment is Environment.DEVELOPMENT
    assert settings.database.engine == "sqlite"
    assert settings.database.sqlite_path == Path("tsunagu.sqlite3")
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.secret_key == DEV_SECRET_KEY
    assert settings.smtp.tls is SmtpTls.NONE
    assert settings.redis_url is None
    assert settings.reminder_hours_before == 24


def test_postgresql_url_selects_postgres() -> None:
    settings = settings_from({"DATABASE_URL": "postgresql://app:pw@db:5432/tsunagu"})
    assert settings.database.engine == "postgres"
    assert settings.database.url == "postgresql://app:pw@db:5432/tsunagu"


def test_absolute_sqlite_path() -> None:
    settings = settings_from({"DATABASE_URL": "sqlite:////var/lib/tsunagu/db.sqlite3"})
    assert settings.database.sqlite_path == Path("/var/lib/tsunagu/db.sqlite3")


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"DATABASE_URL": "mysql://localhost/x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://db:notaport/x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://db:5432/"}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite://"}, "DATABASE_URL"),
        ({"TSUNAGU_ENV": "staging"}, "TSUNAGU_ENV"),
        ({"TSUNAGU_ENV": "production"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"BASE_URL": "ftp://example.jp"}, "BASE_URL"),
        ({"SMTP_PORT": "twenty-five"}, "SMTP_PORT"),
        ({"SMTP_PORT": "70000"}, "SMTP_PORT"),
        ({"SMTP_TLS": "ssl"}, "SMTP_TLS"),
        ({"MAIL_FROM": "noreply"}, "MAIL_FROM"),
        ({"MAIL_REPLY_TO": "office"}, "MAIL_REPLY_TO"),
        ({"REDIS_URL": "http://cache"}, "REDIS_URL"),
        ({"REMINDER_HOURS_BEFORE": "0"}, "REMINDER_HOURS_BEFORE"),
        ({"OUTBOX_CLAIM_TIMEOUT": "0"}, "OUTBOX_CLAIM_TIMEOUT"),
        ({"TRUSTED_PROXIES": "10.0.0.1, proxy.example"}, "TRUSTED_PROXIES"),
    ],
)
def test_bad_variable_is_named_in_the_error(env: dict[str, str], key: str) -> None:
    with pytest.raises(SettingsError) as raised:
        settings_from(env)
    assert raised.value.key == key
    assert str(raised.value).startswith(f"{key} ")


def test_trusted_proxies_are_addresses_or_networks() -> None:
    settings = settings_from({"TRUSTED_PROXIES": " 10.0.0.5, 10.1.0.0/16 ,::1"})
    assert settings.trusted_proxies == ("10.0.0.5", "10.1.0.0/16", "::1")
    assert settings_from({}).trusted_proxies == ()


def test_production_starts_with_a_secret_key() -> None:
    settings = settings_from({"TSUNAGU_ENV": "production", "SECRET_KEY": PRODUCTION_KEY})
    assert settings.environment is Environment.PRODUCTION
    assert settings.secret_key == PRODUCTION_KEY


def test_secrets_stay_out_of_repr() -> None:
    settings = settings_from(
        {
            "SECRET_KEY": PRODUCTION_KEY,
            "SMTP_PASSWORD": "smtp-password-value",
            "DATABASE_URL": "postgresql://app:db-password-value@db/tsunagu",
        }
    )
    text = repr(settings)
    assert PRODUCTION_KEY not in text
    assert "smtp-password-value" not in text
    assert "db-password-value" not in text


def test_mail_from_defaults_to_the_service_domain() -> None:
    settings = settings_from({"BASE_URL": "https://tsunagu.example.lg.jp/"})
    assert settings.mail_from == "Tsunagu <noreply@tsunagu.example.lg.jp>"
    assert settings.base_url == "https://tsunagu.example.lg.jp"
    assert settings.uses_https


def test_smtp_tls_modes() -> None:
    assert settings_from({"SMTP_TLS": "STARTTLS"}).smtp.tls is SmtpTls.STARTTLS
    assert settings_from({"SMTP_TLS": "tls"}).smtp.tls is SmtpTls.TLS


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),
        ({"TSUNAGU_ENV": "demo"}, True),
        ({"TSUNAGU_ENV": "demo", "SMTP_HOST": "  "}, True),
        ({"TSUNAGU_ENV": "development", "SMTP_HOST": "127.0.0.1"}, False),
        ({"TSUNAGU_ENV": "test"}, False),
        ({"TSUNAGU_ENV": "production", "SECRET_KEY": PRODUCTION_KEY}, False),
    ],
)
def test_mail_goes_to_the_mailbox_only_in_development_without_a_mail_server(
    env: dict[str, str], expected: bool
) -> None:
    assert settings_from(env).mail_to_mailbox is expected
