"""JSON API for coordinators' tools, authorised by the token of the invitation link alone."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, post, put
from litestar.datastructures import ResponseHeader
from litestar.params import FromPath, HeaderParameter, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from events.invitations.invitations import CoordinatorAccess, access_by_token
from events.lib.clock import utcnow
from events.lib.errors import Problems
from events.lib.links import session_calendar, session_page
from events.registrations import registrations
from events.registrations.delegations import AttendeeInput, DelegationInput
from events.registrations.queries import DelegationView, delegation_of, stored_delegation
from events.sessions import agenda_refs
from events.sessions.exchange_sessions import ExchangeSessionView
from events.web.api.schemas.registrations import (
    AgendaItemOut,
    AgendaSegmentOut,
    CoordinatorInvitationOut,
    DelegationAttendeeOut,
    DelegationBody,
    DelegationOut,
    InvitedSessionOut,
    MunicipalityOut,
)
from events.web.auth import NO_STORE

REPLAYED_HEADER = "Idempotent-Replayed"
REGISTER_DESCRIPTION = """\
A municipality registers once. When the answer to a registration is lost (a broken
connection, a server stopped just after storing it), send the same request again: if it
carries the same `Idempotency-Key`, or has no key and the same content as the stored
delegation, the answer is the stored delegation with `Idempotent-Replayed: true`; nothing is
stored or mailed twice. The same key with other content is refused with 422, and another
registration for a municipality already registered with 409.

一度登録した自治体の登録は変更（PUT）で行います。応答を受け取れなかった登録は、同じ内容で再送すれば
登録済みの内容が返り、二重に登録・送信されることはありません。"""

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        description="A key of your choice (a UUID, for example) that names this registration "
        "request: a repeat with the same key and body is answered with the stored delegation "
        "instead of a conflict (再送の識別キー). 1–255 visible ASCII characters.",
        min_length=1,
        max_length=255,
        pattern=r"^[!-~]+$",
    ),
]


def delegation_input(body: DelegationBody, session: ExchangeSessionView) -> DelegationInput:
    """The body with agenda entries named by text resolved to ids (unknown ones refused)."""
    problems = Problems()
    delegation = DelegationInput(
        plan_status=body.plan_status,
        report_consent=body.report_consent,
        sharing_answers=agenda_refs.sharing_answers(session, body.sharing_answers, problems),
        attendees=tuple(
            AttendeeInput(
                name=attendee.name,
                reading=attendee.reading,
                department=attendee.department,
                position=attendee.position,
                email=attendee.email,
                is_digital_department=attendee.is_digital_department,
                share_contact=attendee.share_contact,
                topic_preferences=agenda_refs.topic_ids(
                    session,
                    attendee.topic_preferences,
                    f"attendees[{index}].topic_preferences",
                    problems,
                ),
                id=attendee.id,
            )
            for index, attendee in enumerate(body.attendees)
        ),
    )
    problems.raise_if_any()
    return delegation


def invited_session_out(session: ExchangeSessionView) -> InvitedSessionOut:
    return InvitedSessionOut(
        id=session.id,
        title=session.title,
        series_title=session.series_title,
        region=session.region,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        registration_deadline=session.registration_deadline,
        per_municipality_limit=session.per_municipality_limit,
        background=session.background,
        status=session.status,
        accepts_registrations=session.accepts_registrations(utcnow()),
        agenda=[
            AgendaSegmentOut(
                id=segment.id or 0,
                kind=segment.kind,
                title=segment.title,
                minutes=segment.minutes,
                items=[
                    AgendaItemOut(id=item_id, text=text)
                    for item_id, text in zip(segment.item_ids, segment.items, strict=True)
                ],
            )
            for segment in session.agenda
        ],
        page=session_page(session.id),
        calendar=session_calendar(session.id),
    )


def registration_out(view: DelegationView) -> DelegationOut:
    return DelegationOut(
        id=view.id,
        status=view.status,
        plan_status=view.plan_status,
        sharing_answers={str(item): text for item, text in view.sharing_answers.items()},
        attendees=[
            DelegationAttendeeOut(
                id=attendee.id,
                name=attendee.name,
                reading=attendee.reading,
                department=attendee.department,
                position=attendee.position,
                is_digital_department=attendee.is_digital_department,
                email=attendee.email,
                share_contact=attendee.share_contact,
                topic_preferences=list(attendee.topic_preferences),
                status=attendee.status,
                waitlist_position=attendee.waitlist_position,
            )
            for attendee in view.attendees
        ],
        updated_at=view.updated_at,
        report_consent=view.report_consent,
    )


async def _current(access: CoordinatorAccess) -> DelegationOut | None:
    view = await delegation_of(access.session.id, access.municipality_code)
    return registration_out(view) if view is not None else None


async def _saved(access: CoordinatorAccess) -> DelegationOut:
    return registration_out(await stored_delegation(access.session.id, access.municipality_code))


class CoordinatorApi(Controller):
    path = "/api/invitations/{token:str}"
    tags = ["registrations"]  # noqa: RUF012
    # Personal data: neither browsers nor proxies may keep the answers.
    cache_control = NO_STORE

    @get(operation_id="getInvitation", summary="The session and municipality of an invitation")
    async def get_invitation(self, token: FromPath[str]) -> CoordinatorInvitationOut:
        access = await access_by_token(token)
        return CoordinatorInvitationOut(
            session=invited_session_out(access.session),
            municipality=MunicipalityOut(
                code=access.municipality_code, name=access.municipality_name
            ),
            registration=await _current(access),
        )

    @post(
        "/registration",
        operation_id="registerDelegation",
        summary="Register the municipality's delegation",
        description=REGISTER_DESCRIPTION,
        response_description="The delegation as stored (repeated requests: as first stored)",
        response_headers=[
            ResponseHeader(
                name=REPLAYED_HEADER,
                # Documented with its one value; set only on a repeated request's answer.
                value="true",
                documentation_only=True,
                description="`true` when the request repeated a registration already stored "
                "(再送): the answer is the stored delegation, and nothing was written or mailed.",
            )
        ],
    )
    async def register(
        self,
        token: FromPath[str],
        data: JSONBody[DelegationBody],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[DelegationOut]:
        access = await access_by_token(token)
        registered = await registrations.register(
            access, delegation_input(data, access.session), idempotency_key=idempotency_key
        )
        headers = {REPLAYED_HEADER: "true"} if registered.replayed else {}
        # A new registration is answered with what it wrote, not read back.
        written = registered.written
        answer = registration_out(written) if written is not None else await _saved(access)
        return Response(answer, status_code=HTTP_201_CREATED, headers=headers)

    @put(
        "/registration",
        operation_id="updateDelegation",
        summary="Replace the delegation (attendees with an id keep their place)",
    )
    async def update(self, token: FromPath[str], data: JSONBody[DelegationBody]) -> DelegationOut:
        access = await access_by_token(token)
        await registrations.update(access, delegation_input(data, access.session))
        return await _saved(access)

    @delete(
        "/registration",
        operation_id="cancelRegistration",
        summary="Cancel the whole delegation",
        status_code=200,
    )
    async def cancel(self, token: FromPath[str]) -> DelegationOut:
        access = await access_by_token(token)
        await registrations.cancel(access)
        return await _saved(access)


ROUTES = [CoordinatorApi]
