"""The invitation picker: municipalities offered and ticked, directory search, invitations so far.

By default every local government of the session's region is offered and ticked; the organizer
narrows the list by unticking (or "すべて外す") and adds others found by search. The ticks travel
with each submit of the form, so no state is kept on the server between submits.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from events.enums import InvitationStatus
from events.invitations.invitations import INVITABLE, default_invitees, link_of, list_invitations
from events.lib.errors import DomainError, Problem, Problems, ValidationError
from events.lib.i18n import N_
from events.lib.numbers import parse_int
from events.sessions.exchange_sessions import ExchangeSessionView
from events.web.forms import PostedForm
from networking.municipalities import DirectoryQuery, municipalities_by_code, search_municipalities

SEARCH_LIMIT = 50
EMAIL_PREFIX = "email-"
# The optional order number of a municipality: the report and the public page list them so.
ORDER_PREFIX = "order-"
MAX_ORDER = 9999


@dataclass(frozen=True)
class Selection:
    """What the organizer ticked (None: the defaults), with contact e-mails, the order numbers
    typed (as typed, checked when inviting) and search text."""

    codes: tuple[str, ...] | None = None
    emails: dict[str, str] = field(default_factory=dict)
    q: str = ""
    order: dict[str, str] = field(default_factory=dict)

    def cleared(self) -> Selection:
        return dataclasses.replace(self, codes=())

    def to_invite(self) -> tuple[list[str], dict[str, str]]:
        """Codes in the order to invite them, and their contact e-mails, for invitations.invite:
        numbered ones first by number, then the others as listed; nothing ticked is refused."""
        if not self.codes:
            raise ValidationError(N_("招待する自治体を選んでください。"), field="codes")
        problems = Problems()
        numbers: dict[str, int] = {}
        for code in self.codes:
            text = self.order.get(code, "")
            number = parse_int(text) if text else None
            if text and (number is None or not 1 <= number <= MAX_ORDER):
                problems.add(
                    f"{ORDER_PREFIX}{code}",
                    N_("順番は1から%(max)dまでの半角数字で入力してください。"),
                    max=MAX_ORDER,
                )
            elif number is not None:
                numbers[code] = number
        problems.raise_if_any()
        unnumbered = MAX_ORDER + 1
        codes = sorted(self.codes, key=lambda code: numbers.get(code, unnumbered))
        return codes, {c: e for c, e in self.emails.items() if c in self.codes}


def _prefixed(form: PostedForm, prefix: str) -> dict[str, str]:
    """Code -> the non-empty value of each input named prefix + code."""
    return {
        key.removeprefix(prefix): value
        for key in form
        if key.startswith(prefix) and (value := form[key].strip())
    }


def read_selection(form: PostedForm) -> tuple[Selection, str]:
    """The ticks, e-mails, order numbers and search text of a submitted picker, and the button
    pressed."""
    codes = tuple(dict.fromkeys(code.strip() for code in form.getall("code") if code.strip()))
    selection = Selection(
        codes,
        _prefixed(form, EMAIL_PREFIX),
        form.get("q", "").strip(),
        _prefixed(form, ORDER_PREFIX),
    )
    return selection, form.get("action", "")


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    checked: bool
    email: str
    order: str = ""


@dataclass(frozen=True)
class PrefectureGroup:
    prefecture_code: str
    prefecture: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Found:
    """A search result; `state` is "invited", "offered" (already in the list) or "new"."""

    code: str
    name: str
    state: str


@dataclass(frozen=True)
class Invited:
    code: str
    name: str
    status: InvitationStatus
    contact_email: str
    link: str


@dataclass(frozen=True)
class Picker:
    session: ExchangeSessionView
    can_invite: bool
    groups: tuple[PrefectureGroup, ...]
    q: str
    found: tuple[Found, ...]
    found_total: int
    invited: tuple[Invited, ...]

    @property
    def checked_count(self) -> int:
        return sum(c.checked for group in self.groups for c in group.candidates)


async def picker(session: ExchangeSessionView, selection: Selection) -> Picker:
    """The picker of a session, showing the submitted selection or the defaults."""
    invited = await _invited(session.id)
    taken = {row.code for row in invited}
    defaults = [code for code in await default_invitees(session) if code not in taken]
    checked = set(defaults if selection.codes is None else selection.codes) - taken
    offered = sorted({*defaults, *checked})
    rows = await municipalities_by_code(offered)
    found, found_total = await _search(selection.q, taken, set(offered))
    return Picker(
        session=session,
        can_invite=session.status in INVITABLE,
        groups=_grouped([rows[code] for code in offered], checked, selection),
        q=selection.q,
        found=found,
        found_total=found_total,
        invited=invited,
    )


def _grouped(
    rows: list[dict[str, Any]], checked: set[str], selection: Selection
) -> tuple[PrefectureGroup, ...]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["prefecture_code"], []).append(row)
    return tuple(
        PrefectureGroup(
            prefecture_code=prefecture_code,
            prefecture=members[0]["prefecture"],
            candidates=tuple(
                Candidate(
                    row["code"],
                    row["display_name"],
                    row["code"] in checked,
                    selection.emails.get(row["code"], ""),
                    selection.order.get(row["code"], ""),
                )
                for row in members
            ),
        )
        for prefecture_code, members in groups.items()
    )


async def _search(q: str, taken: set[str], offered: set[str]) -> tuple[tuple[Found, ...], int]:
    if not q:
        return (), 0
    rows, total = await search_municipalities(DirectoryQuery(text=q, limit=SEARCH_LIMIT))
    found = tuple(
        Found(
            code=row["code"],
            name=row["display_name"],
            state="invited"
            if row["code"] in taken
            else "offered"
            if row["code"] in offered
            else "new",
        )
        for row in rows
    )
    return found, total


async def _invited(session_id: int) -> tuple[Invited, ...]:
    return tuple(
        Invited(
            code=row["municipality"],
            name=row["municipality_name"],
            status=InvitationStatus(row["status"]),
            contact_email=row["contact_email"],
            link=link_of(row["link_nonce"])
            if row["status"] == InvitationStatus.INVITED and row["link_nonce"]
            else "",
        )
        for row in await list_invitations(session_id)
    )


def input_problems(error: DomainError) -> list[Problem]:
    """Problems naming picker inputs: a contact e-mail's problem points at its own input."""
    return [
        dataclasses.replace(problem, field=f"{EMAIL_PREFIX}{problem.params['code']}")
        if problem.field == "contact_emails" and "code" in problem.params
        else problem
        for problem in error.problems
    ]
