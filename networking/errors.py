"""Refusals the domain raises, shared by both layers; their messages are translatable msgids."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import ClassVar


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; it is translated where it is shown."""
    return message


@dataclasses.dataclass(frozen=True)
class Problem:
    """One reason for a refusal: a msgid with %(name)s placeholders, and the field it concerns."""

    message: str
    field: str | None = None
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)


class DomainError(Exception):
    """A request that the domain refuses; nothing has been changed when it is raised."""

    kind: ClassVar[str] = "invalid"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.problems: tuple[Problem, ...] = (Problem(message, field, params or {}),)
        super().__init__(message % dict(params or {}) if params else message)

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> DomainError:
        problems = tuple(problems)
        error = cls(problems[0].message, field=problems[0].field, params=problems[0].params)
        error.problems = problems
        return error


class ValidationError(DomainError):
    kind = "invalid"


class NotFoundError(DomainError):
    kind = "not_found"


class ConflictError(DomainError):
    """The request is well-formed but the current state forbids it."""

    kind = "conflict"


class ForbiddenError(DomainError):
    kind = "forbidden"


class Problems:
    """Collects every problem of an input, so that a form shows them all at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, field: str | None, message: str, **params: object) -> None:
        self.items.append(Problem(message, field, params))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError.of(self.items)
