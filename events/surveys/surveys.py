"""A held session's survey: opened with the series' current questions, mailed to attendees, closed.

Opening binds the survey to one question-set version for good, so later edits of the series'
questions never change what the answers of this survey mean.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.enums import RegistrationStatus, SessionStatus, SurveyStatus
from events.lib.clock import utcnow
from events.lib.database import lock_row, write_transaction
from events.lib.errors import ConflictError, NotFoundError
from events.lib.i18n import N_
from events.mail import outbox
from events.sessions.exchange_sessions import (
    ExchangeSessionView,
    locked_session,
    session_for_editing,
)
from events.sessions.series import actor, require_owner
from events.surveys import mail as survey_mail
from events.surveys.questions import QuestionSetView, ensure_question_set, question_set
from events.tables import Attendee, Survey, SurveyQuestionSet

# A survey asks about a meeting that took place.
SURVEYABLE = frozenset({SessionStatus.HELD, SessionStatus.REPORTED})
NOT_OPENED = N_("この情報交換会のアンケートはまだ始まっていません。")


@dataclass(frozen=True)
class SurveyView:
    id: int
    session_id: int
    status: SurveyStatus
    questions: QuestionSetView
    opened_at: dt.datetime
    closed_at: dt.datetime | None

    @property
    def is_open(self) -> bool:
        return self.status is SurveyStatus.OPEN

    @property
    def status_label(self) -> str:
        return self.status.label


async def survey_of(session_id: int) -> SurveyView | None:
    """The session's survey, or None before the organizer opened one."""
    row = await Survey.select().where(Survey.exchange_session == session_id).first()
    if row is None:
        return None
    return SurveyView(
        id=row["id"],
        session_id=row["exchange_session"],
        status=SurveyStatus(row["status"]),
        questions=await question_set(row["question_set"]),
        opened_at=row["opened_at"],
        closed_at=row["closed_at"],
    )


async def locked_survey(session_id: int) -> SurveyView:
    """Read the survey inside a write transaction, its row locked (PostgreSQL).

    Closing and answering both lock it first, so no answer lands after a close.
    """
    survey = await survey_of(session_id)
    if survey is None or not await lock_row(Survey, survey.id):
        raise ConflictError(NOT_OPENED, field="status")
    return await survey_of(session_id) or survey


async def confirmed_attendees(session_id: int) -> list[dict[str, Any]]:
    """The people who held a place: those the survey asks."""
    return await (
        Attendee.select()
        .where(
            Attendee.exchange_session == session_id,
            Attendee.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Attendee.id)
    )


async def open_survey(
    organizer: OrganizerIdentity, session_id: int, *, now: dt.datetime | None = None
) -> SurveyView:
    """Open the survey of a held session and mail every attendee their own survey link."""
    now = now or utcnow()
    await session_for_editing(organizer, session_id)
    async with write_transaction(public=False):
        session = await locked_session(session_id)
        require_owner(organizer, session.owner_id)
        _require_held(session)
        existing = await survey_of(session_id)
        if existing is not None:
            raise ConflictError(
                N_("この情報交換会のアンケートはすでに送信済みです。")
                if existing.is_open
                else N_("この情報交換会のアンケートは締め切り済みです。"),
                field="status",
            )
        questions = await ensure_question_set(session.series_id)
        # An edit of these questions saved meanwhile is either seen here or becomes a new version.
        await lock_row(SurveyQuestionSet, questions.id)
        questions = await question_set(questions.id)
        await Survey.insert(
            Survey(
                exchange_session=session_id,
                question_set=questions.id,
                status=SurveyStatus.OPEN,
                opened_at=now,
            )
        )
        attendees = await confirmed_attendees(session_id)
        for attendee in attendees:
            await survey_mail.invitation(session, attendee)
        await trail.record(
            actor(organizer),
            "survey_opened",
            session_id=session_id,
            details={"question_set": questions.id, "attendees": len(attendees)},
        )
    opened = await survey_of(session_id)
    if opened is None:
        raise NotFoundError(NOT_OPENED, field="survey")
    return opened


def _require_held(session: ExchangeSessionView) -> None:
    if session.status not in SURVEYABLE:
        raise ConflictError(
            N_("アンケートを送れるのは開催済みの情報交換会だけです。"), field="status"
        )


async def close_survey(
    organizer: OrganizerIdentity, session_id: int, *, now: dt.datetime | None = None
) -> SurveyView:
    """No more answers; the results stay."""
    now = now or utcnow()
    await session_for_editing(organizer, session_id)
    async with write_transaction(public=False):
        survey = await locked_survey(session_id)
        if not survey.is_open:
            raise ConflictError(N_("このアンケートはすでに締め切られています。"), field="status")
        await Survey.update({Survey.status: SurveyStatus.CLOSED, Survey.closed_at: now}).where(
            Survey.id == survey.id
        )
        # An invitation still waiting would only lead to a closed survey.
        for attendee in await confirmed_attendees(session_id):
            await outbox.cancel_pending(survey_mail.invitation_key(session_id, attendee["id"]))
        await trail.record(
            actor(organizer), "survey_closed", session_id=session_id, details={"survey": survey.id}
        )
    closed = await survey_of(session_id)
    if closed is None:
        raise NotFoundError(NOT_OPENED, field="survey")
    return closed
