"""compose.yaml and the README agree with what the code reads (Docker cannot run here)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

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


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _supported_pythons() -> list[str]:
    """The 3.x minor versions that requires-python admits, oldest first."""
    specifier = SpecifierSet(_pyproject()["project"]["requires-python"])
    return [f"3.{minor}" for minor in range(8, 30) if f"3.{minor}.0" in specifier]


def _newest_supported_python() -> str:
    return _supported_pythons()[-1]


def test_supported_pythons_are_3_11_to_3_13() -> None:
    assert _supported_pythons() == ["3.11", "3.12", "3.13"]


def test_constraints_pin_every_dependency() -> None:
    project = _pyproject()["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared += [line for line in extra if not line.startswith("tsunagu")]
    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    pinned = {
        canonicalize_name(line.split("==")[0])
        for line in text.splitlines()
        if "==" in line and not line.startswith("#")
    }
    missing = {canonicalize_name(Requirement(line).name) for line in declared} - pinned
    assert missing == set()
    assert "#    uv pip compile pyproject.toml --extra dev --universal" in text


def test_compose_builds_on_the_newest_supported_python_with_the_constraints() -> None:
    build = _compose()["x-tsunagu"]["build"]["dockerfile_inline"]
    assert f"FROM python:{_newest_supported_python()}-slim" in build
    assert "pip install --no-cache-dir -c constraints.txt -e ." in build


def test_ci_installs_with_the_constraints_and_smokes_the_newest_python() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'export PIP_CONSTRAINT="$PWD/constraints.txt"' in ci
    assert f'step "smoke on Python {_newest_supported_python()}"' in ci
