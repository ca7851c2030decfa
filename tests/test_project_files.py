"""compose.yaml and the README agree with what the code reads (Docker cannot run here)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from events.lib.settings import ENVIRONMENT_VARIABLES, Environment, settings_from

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict[str, Any]:
    """compose.yaml as parsed: YAML of any shape, which the tests check as they read it."""
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _interpolate(value: str) -> str:
    """Resolve ${NAME:-default} and ${NAME:?message} as compose would with NAME unset."""
    value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)
    return re.sub(r"\$\{[A-Z_]+:\?[^}]*\}", "x" * 40, value)


def test_compose_runs_postgres_mailpit_two_app_instances_and_worker() -> None:
    services = _compose()["services"]
    assert isinstance(services, dict)
    assert sorted(services) == ["app", "db", "mailpit", "worker"]
    for name in ("db", "mailpit", "app"):
        assert "healthcheck" in services[name], name
    assert services["app"]["command"][:2] == ["tsunagu", "serve"]
    assert "--no-worker" in services["app"]["command"]
    assert services["app"]["deploy"]["replicas"] == 2
    assert services["app"]["ports"] == ["8000-8001:8000"]
    assert services["worker"]["command"] == ["tsunagu", "worker"]
    assert services["worker"]["depends_on"]["app"]["condition"] == "service_healthy"


def test_compose_environment_is_what_settings_read() -> None:
    environment = _compose()["services"]["app"]["environment"]
    assert set(environment) <= set(ENVIRONMENT_VARIABLES)
    settings = settings_from({key: _interpolate(str(value)) for key, value in environment.items()})
    assert settings.environment is Environment.PRODUCTION
    assert settings.database.engine == "postgres"
    assert settings.smtp.host == "mailpit"
    assert settings.smtp.port == 1025


def test_compose_database_url_matches_the_postgres_service() -> None:
    services = _compose()["services"]
    db_env = services["db"]["environment"]
    url = services["app"]["environment"]["DATABASE_URL"]
    user, password, name = (
        db_env["POSTGRES_USER"],
        db_env["POSTGRES_PASSWORD"],
        db_env["POSTGRES_DB"],
    )
    assert url == f"postgresql://{user}:{password}@db:5432/{name}"


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.MULTILINE)
    assert documented == list(ENVIRONMENT_VARIABLES)


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"# 2\. Run the whole test suite.*\n(.+)\n", readme)
    assert command is not None
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.count(command.group(1)) == 2
