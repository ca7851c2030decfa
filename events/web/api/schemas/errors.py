"""JSON shape of every API refusal, as events.web.errors writes it."""

from __future__ import annotations

from msgspec import Struct


class FieldProblemOut(Struct):
    # None when the problem is with the request as a whole rather than one field.
    field: str | None
    message: str


class ErrorOut(Struct):
    """A machine code (invalid, not_found, conflict, ...), a sentence, and per-field reasons."""

    error: str
    message: str
    fields: list[FieldProblemOut]
