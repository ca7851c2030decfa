"""Posted HTML forms: their text fields, and refusals shown on the form that caused them.

Form inputs are named after the fields the domain reports, with brackets and dots turned into
dashes (`attendees[0].name` is the input `attendees-0-name`), so that a refusal links to the
input it concerns and marks it invalid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Request

from events.lib.errors import DomainError, Problem, Problems
from events.lib.i18n import N_
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


class PostedForm(Mapping[str, str]):
    """The text fields of a posted form: each name maps to its last value, and `getall` gives
    every value of a repeated name (checkboxes) in the order the browser sent them. Files and
    other parts that are not text are left out."""

    def __init__(self, items: Iterable[tuple[str, Any]]) -> None:
        self._items = [(name, value) for name, value in items if isinstance(value, str)]
        self._last = dict(self._items)

    def __getitem__(self, name: str) -> str:
        return self._last[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._last)

    def __len__(self) -> int:
        return len(self._last)

    def getall(self, name: str) -> list[str]:
        return [value for key, value in self._items if key == name]


async def form_fields(request: Request[Any, Any, Any]) -> PostedForm:
    """The posted form of a request: every handler reads its fields through this."""
    return PostedForm((await request.form()).multi_items())


# The box an organizer ticks on a confirmation page before an irreversible step (no script
# needed: the browser will not send the form without it, and the server checks it again).
CONFIRM_FIELD = "confirm"


UNCONFIRMED_PUBLICATION = N_("公開してよいか確認のうえ、チェックを入れてください。")


def check_confirmed(form: Mapping[str, str], problems: Problems, message: str) -> None:
    """Adds `message` (on the confirmation box) unless the box was ticked."""
    if not form.get(CONFIRM_FIELD):
        problems.add(CONFIRM_FIELD, message)


async def unconfirmed(request: Request[Any, Any, Any], message: str) -> list[Problem]:
    """The refusal of a posted confirmation whose box was not ticked; empty when it was."""
    problems = Problems()
    check_confirmed(await form_fields(request), problems, message)
    return problems.items
