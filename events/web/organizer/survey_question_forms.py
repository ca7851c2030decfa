"""The no-JS question editor: rows of kind, question and levels; blank rows are skipped."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from events.enums import QuestionKind
from events.lib.errors import ValidationError
from events.lib.numbers import parse_int
from events.surveys.questions import QuestionInput, QuestionSetView

MAX_ROWS = 40
_ROW_FIELD = re.compile(r"^questions\.(\d+)\.")


@dataclass(frozen=True)
class QuestionRow:
    kind: str = QuestionKind.SCALE.value
    label: str = ""
    levels: str = ""

    @property
    def is_blank(self) -> bool:
        return not self.label.strip() and not self.levels.strip()

    def as_input(self) -> QuestionInput:
        return QuestionInput(self.kind, self.label, tuple(self.levels.splitlines()))


def rows_of(questions: QuestionSetView, extra: int = 1) -> tuple[QuestionRow, ...]:
    """The stored questions as rows, with `extra` blank rows to add more."""
    rows = [QuestionRow(q.kind.value, q.label, "\n".join(q.levels)) for q in questions.questions]
    return (*rows, *(QuestionRow() for _ in range(extra)))


def read_rows(fields: Mapping[str, str]) -> tuple[QuestionRow, ...]:
    total = min(parse_int(fields.get("rows")) or 0, MAX_ROWS)
    return tuple(
        QuestionRow(
            kind=fields.get(f"questions-{index}-kind", ""),
            label=fields.get(f"questions-{index}-label", ""),
            levels=fields.get(f"questions-{index}-levels", ""),
        )
        for index in range(total)
    )


def inputs_of(rows: tuple[QuestionRow, ...]) -> tuple[tuple[QuestionInput, ...], tuple[int, ...]]:
    """The questions of the non-blank rows, and the row index each came from."""
    kept = [(index, row) for index, row in enumerate(rows) if not row.is_blank]
    return tuple(row.as_input() for _, row in kept), tuple(index for index, _ in kept)


def on_rows(error: ValidationError, row_indexes: tuple[int, ...]) -> ValidationError:
    """Refusals name questions by their place among kept rows; the form names rows."""

    def moved(field: str | None) -> str | None:
        match = _ROW_FIELD.match(field or "")
        if match is None or int(match.group(1)) >= len(row_indexes):
            return field
        row = row_indexes[int(match.group(1))]
        return f"questions.{row}." + (field or "")[match.end() :]

    moved_error = ValidationError.of(
        dataclasses.replace(problem, field=moved(problem.field)) for problem in error.problems
    )
    return cast(ValidationError, moved_error)
