"""JSON API of date polls: organizers by bearer token, municipalities by their answer link token."""

from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from events.accounts.organizers import OrganizerIdentity
from events.date_polls import answers as date_poll_answers
from events.date_polls import polls as date_polls
from events.date_polls.checks import PollInput, SlotInput
from events.date_polls.queries import PollRecipient, recipients_of
from events.date_polls.results import PollResults, SlotTally, poll_results, tally
from events.lib.errors import Problem
from events.lib.i18n import gettext
from events.organizing.date_poll_decision import decide
from events.web.api.schemas.date_polls import (
    DatePollAnswerBody,
    DatePollAnswerOut,
    DatePollAnswerSlotOut,
    DatePollCreate,
    DatePollDecideBody,
    DatePollOut,
    DatePollRecipientOut,
    DatePollReminded,
    DatePollSlotOut,
)
from events.web.api.schemas.sessions import SessionOut, WarningOut
from events.web.api.sessions import session_out
from events.web.auth import api_organizer


def _answers(recipient: PollRecipient) -> dict[str, str]:
    return {str(slot_id): mark.value for slot_id, mark in recipient.answers.items()}


def poll_out(results: PollResults, warnings: list[Problem] | None = None) -> DatePollOut:
    poll = results.poll
    return DatePollOut(
        id=poll.id,
        title=poll.title,
        series=poll.series_id,
        status=poll.status,
        session=poll.session_id,
        slots=[_tally_out(tallied) for tallied in results.tallies],
        recipients=[_recipient_out(recipient) for recipient in results.recipients],
        warnings=[
            WarningOut(field=w.field, message=gettext(w.message, **w.params))
            for w in warnings or []
        ],
    )


def _tally_out(tallied: SlotTally) -> DatePollSlotOut:
    slot = tallied.slot
    return DatePollSlotOut(
        id=slot.id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        rank=tallied.rank,
        yes=tallied.yes,
        maybe=tallied.maybe,
        no=tallied.no,
        unanswered=tallied.unanswered,
        holiday=slot.holiday,
        weekend=slot.is_weekend,
        chosen=slot.chosen,
    )


def _recipient_out(recipient: PollRecipient) -> DatePollRecipientOut:
    return DatePollRecipientOut(
        code=recipient.code,
        name=recipient.name,
        contact_email=recipient.contact_email,
        link=recipient.link,
        answered_at=recipient.answered_at,
        answers=_answers(recipient),
        comment=recipient.comment,
    )


def answer_out(access: date_poll_answers.PollAccess) -> DatePollAnswerOut:
    poll, recipient = access.poll, access.recipient
    return DatePollAnswerOut(
        poll=poll.id,
        title=poll.title,
        status=poll.status,
        municipality=recipient.code,
        name=recipient.name,
        slots=[
            DatePollAnswerSlotOut(
                id=s.id,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                holiday=s.holiday,
                weekend=s.is_weekend,
            )
            for s in poll.slots
        ],
        answers=_answers(recipient),
        comment=recipient.comment,
        answered_at=recipient.answered_at,
    )


class DatePollApi(Controller):
    path = "/api/date-polls"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(api_organizer)}  # noqa: RUF012
    tags = ["date polls"]  # noqa: RUF012

    @post("/", operation_id="createDatePoll", summary="Propose slots and mail the municipalities")
    async def create(
        self, organizer: NamedDependency[OrganizerIdentity], data: JSONBody[DatePollCreate]
    ) -> DatePollOut:
        poll, warnings = await date_polls.create_poll(
            organizer,
            PollInput(
                series_id=data.series,
                title=data.title,
                slots=tuple(SlotInput(s.starts_at, s.ends_at) for s in data.slots),
                codes=tuple(data.codes),
                contact_emails=data.contact_emails,
                session_id=data.session,
            ),
        )
        return poll_out(tally(poll, await recipients_of(poll.id)), warnings)

    @get("/{poll_id:int}", operation_id="getDatePoll", summary="The result, best slot first")
    async def get(
        self, organizer: NamedDependency[OrganizerIdentity], poll_id: FromPath[int]
    ) -> DatePollOut:
        return poll_out(await poll_results(organizer, poll_id))

    @post("/{poll_id:int}/close", operation_id="closeDatePoll", status_code=200)
    async def close(
        self, organizer: NamedDependency[OrganizerIdentity], poll_id: FromPath[int]
    ) -> DatePollOut:
        poll = await date_polls.close_poll(organizer, poll_id)
        return poll_out(tally(poll, await recipients_of(poll_id)))

    @post("/{poll_id:int}/remind", operation_id="remindDatePoll", status_code=200)
    async def remind(
        self, organizer: NamedDependency[OrganizerIdentity], poll_id: FromPath[int]
    ) -> DatePollReminded:
        reminded = await date_polls.remind(organizer, poll_id)
        return DatePollReminded(reminded=[recipient.code for recipient in reminded])

    @post(
        "/{poll_id:int}/decide",
        operation_id="decideDatePoll",
        summary="Set the session's date to one slot",
        status_code=200,
    )
    async def decide(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        poll_id: FromPath[int],
        data: JSONBody[DatePollDecideBody],
    ) -> SessionOut:
        session, warnings = await decide(organizer, poll_id, data.slot)
        return session_out(session, warnings)


class DatePollAnswerApi(Controller):
    """No bearer token here: the municipality's link token is the credential."""

    path = "/api/date-polls/{poll_id:int}/answers/{token:str}"
    tags = ["date polls"]  # noqa: RUF012

    @get("/", operation_id="getDatePollAnswer", summary="The slots and my answers")
    async def get(self, poll_id: FromPath[int], token: FromPath[str]) -> DatePollAnswerOut:
        return answer_out(await date_poll_answers.access_by_token(token, poll_id))

    @put("/", operation_id="answerDatePoll", summary="Answer ○ △ × per slot (replaces my answers)")
    async def put(
        self, poll_id: FromPath[int], token: FromPath[str], data: JSONBody[DatePollAnswerBody]
    ) -> DatePollAnswerOut:
        access = await date_poll_answers.access_by_token(token, poll_id)
        return answer_out(await date_poll_answers.answer(access, data.answers, data.comment))


ROUTES = [DatePollApi, DatePollAnswerApi]
