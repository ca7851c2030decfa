"""Errors of the upper layer; domain refusals live in networking.errors, shared by both layers."""

from __future__ import annotations

from networking.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    NotFoundError,
    Problem,
    Problems,
    ValidationError,
)

__all__ = [
    "ConflictError",
    "DomainError",
    "ForbiddenError",
    "NotFoundError",
    "Problem",
    "Problems",
    "SettingsError",
    "ValidationError",
]


class SettingsError(Exception):
    """A missing or malformed environment variable; the message starts with the variable's name."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        super().__init__(f"{key} {problem}")
