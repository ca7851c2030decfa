"""The coordinator's registration form: rows of attendees in, a DelegationInput out, and back.

The form has one row per place a municipality may fill. Blank rows are ignored; a row that
carries the id of someone registered edits that person (keeping their place), and a row emptied
removes them. Rows are packed to the top when the form comes back with errors, so that
"参加者 2" in a message is the second row on the page.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

from events.lib.errors import Problems, ValidationError
from events.lib.i18n import N_
from events.lib.numbers import parse_int
from events.registrations.delegations import AttendeeInput, DelegationInput, check
from events.registrations.queries import DelegationView
from events.sessions.exchange_sessions import ExchangeSessionView

_ROW_KEY = re.compile(r"^attendees-(\d{1,3})-")
CHECKED = "on"


@dataclass(frozen=True)
class AttendeeRow:
    """One row of the form, as typed."""

    id: str = ""
    name: str = ""
    reading: str = ""
    department: str = ""
    position: str = ""
    email: str = ""
    is_digital_department: bool = False
    share_contact: bool = False
    # Discussion segment id -> the rank chosen ("1", "2", ...; "" for no preference).
    ranks: Mapping[int, str] = dataclasses.field(default_factory=dict)

    @property
    def is_blank(self) -> bool:
        return not (
            self.name.strip()
            or self.reading.strip()
            or self.department.strip()
            or self.email.strip()
        )


@dataclass(frozen=True)
class DelegationForm:
    plan_status: str
    rows: tuple[AttendeeRow, ...]
    # Sharing item id -> answer.
    answers: Mapping[int, str]
    report_consent: bool = False


def _padded(rows: list[AttendeeRow], session: ExchangeSessionView) -> tuple[AttendeeRow, ...]:
    missing = max(session.per_municipality_limit - len(rows), 0)
    return (*rows, *(AttendeeRow() for _ in range(missing)))


def from_view(view: DelegationView | None, session: ExchangeSessionView) -> DelegationForm:
    """The form as stored: prefilled when the municipality has registered, else empty."""
    if view is None or not view.is_active:
        return DelegationForm(plan_status="", rows=_padded([], session), answers={})
    rows = [
        AttendeeRow(
            id=str(attendee.id),
            name=attendee.name,
            reading=attendee.reading,
            department=attendee.department,
            position=attendee.position,
            email=attendee.email,
            is_digital_department=attendee.is_digital_department,
            share_contact=attendee.share_contact,
            ranks={
                segment: str(rank)
                for rank, segment in enumerate(attendee.topic_preferences, start=1)
            },
        )
        for attendee in view.attendees
    ]
    return DelegationForm(
        view.plan_status, _padded(rows, session), dict(view.sharing_answers), view.report_consent
    )


def from_submission(fields: Mapping[str, str], session: ExchangeSessionView) -> DelegationForm:
    """The form as posted; rows beyond the page's own are kept so the limit check sees them."""
    indices = sorted({int(m.group(1)) for key in fields if (m := _ROW_KEY.match(key))})
    rows = [_row(fields, f"attendees-{index}-", session) for index in indices]
    return DelegationForm(
        plan_status=fields.get("plan_status", ""),
        rows=_padded([row for row in rows if not row.is_blank], session),
        answers={
            item_id: fields.get(f"sharing_answers-{item_id}", "")
            for item_id, _ in session.sharing_items
        },
        report_consent=fields.get("report_consent") == CHECKED,
    )


def _row(fields: Mapping[str, str], prefix: str, session: ExchangeSessionView) -> AttendeeRow:
    return AttendeeRow(
        id=fields.get(f"{prefix}id", ""),
        name=fields.get(f"{prefix}name", ""),
        reading=fields.get(f"{prefix}reading", ""),
        department=fields.get(f"{prefix}department", ""),
        position=fields.get(f"{prefix}position", ""),
        email=fields.get(f"{prefix}email", ""),
        is_digital_department=fields.get(f"{prefix}is_digital_department") == CHECKED,
        share_contact=fields.get(f"{prefix}share_contact") == CHECKED,
        ranks={
            segment.id: fields.get(f"{prefix}rank-{segment.id}", "")
            for segment in session.discussions
            if segment.id is not None
        },
    )


def to_input(form: DelegationForm, session: ExchangeSessionView) -> DelegationInput:
    """What the domain registers; refuses ranks given twice, with the domain's own problems."""
    problems = Problems()
    filled = [row for row in form.rows if not row.is_blank]
    delegation = DelegationInput(
        plan_status=form.plan_status,
        attendees=tuple(
            AttendeeInput(
                name=row.name,
                reading=row.reading,
                department=row.department,
                position=row.position,
                email=row.email,
                is_digital_department=row.is_digital_department,
                share_contact=row.share_contact,
                topic_preferences=_ranked(row, index, problems),
                id=parse_int(row.id),
            )
            for index, row in enumerate(filled)
        ),
        sharing_answers=form.answers,
        # Asked only beside the sharing answers: without them the stored consent stays.
        report_consent=form.report_consent if session.sharing_items else None,
    )
    if problems:
        # Show every problem at once, not the ranks first and the rest after the next try.
        try:
            check(delegation.normalized(), session)
        except ValidationError as error:
            problems.items.extend(error.problems)
        problems.raise_if_any()
    return delegation


def _ranked(row: AttendeeRow, index: int, problems: Problems) -> tuple[int, ...]:
    """Segment ids ordered by the rank chosen for each (1 first); no rank twice."""
    field, number = f"attendees[{index}].topic_preferences", index + 1
    chosen = [(rank, segment) for segment, rank in row.ranks.items() if rank]
    if any(not 1 <= (parse_int(rank) or 0) <= len(row.ranks) for rank, _ in chosen):
        problems.add(field, N_("参加者 %(number)d の希望順位を選び直してください。"), number=number)
        return ()
    ranked = sorted((int(rank), segment) for rank, segment in chosen)
    if len({rank for rank, _ in ranked}) != len(ranked):
        problems.add(
            field,
            N_("参加者 %(number)d の希望順位が重複しています。各順位は1テーマだけにしてください。"),
            number=number,
        )
        return ()
    return tuple(segment for _, segment in ranked)
