"""Posted HTML forms: their text fields, and refusals shown on the form that caused them.

Form inputs are named after the fields the domain reports, with brackets and dots turned into
dashes (`attendees[0].name` is the input `attendees-0-name`), so that a refusal links to the
input it concerns and marks it invalid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from litestar import Request

from events.lib.errors import DomainError
from events.web.errors import STATUS_BY_KIND, problem_messages

# Fields that name no input: the refusal concerns the whole form.
_WHOLE_FORM = frozenset({"status", "registration", "session"})


def input_id(field: str) -> str:
    return re.sub(r"[\[\].]+", "-", field).strip("-")


@dataclass(frozen=True)
class FormError:
    message: str
    # The id of the input to link to and mark invalid; "" when the whole form is concerned.
    anchor: str


@dataclass(frozen=True)
class FormErrors:
    items: tuple[FormError, ...] = ()
    status_code: int = 200

    def __bool__(self) -> bool:
        return bool(self.items)

    def on(self, anchor: str) -> list[str]:
        """Messages about one input (by its id)."""
        return [item.message for item in self.items if item.anchor == anchor]


def form_errors(error: DomainError) -> FormErrors:
    """Translated messages of a refusal, each tied to the input it concerns."""
    return FormErrors(
        items=tuple(
            FormError(
                message=str(problem["message"]),
                anchor=""
                if problem["field"] is None or problem["field"] in _WHOLE_FORM
                else input_id(problem["field"]),
            )
            for problem in problem_messages(error)
        ),
        status_code=STATUS_BY_KIND[error.kind],
    )


async def form_fields(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The text fields of a posted form (the last value of a repeated name; files ignored)."""
    form = await request.form()
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}
