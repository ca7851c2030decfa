"""The invitation picker of a session, and the personal links it hands out (organizer-only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_400_BAD_REQUEST

from events.accounts.organizers import OrganizerIdentity
from events.invitations import invitations, order
from events.invitations.invitations import InvitationLink
from events.invitations.order import Direction
from events.lib.errors import Problem, ValidationError
from events.lib.i18n import N_
from events.sessions.exchange_sessions import ExchangeSessionView, session_for_editing
from events.web.auth import NO_STORE, page_organizer
from events.web.forms import form_fields
from events.web.organizer import invitation_picker
from events.web.organizer.invitation_picker import Picker, Selection

INVITE, CLEAR_ALL = "invite", "clear_all"


def _picker_page(
    organizer: OrganizerIdentity,
    picker: Picker,
    *,
    notice: str = "",
    errors: list[Problem] | None = None,
) -> Template:
    return Template(
        "organizer/invitations/picker.html.jinja2",
        context={
            "organizer": organizer,
            "picker": picker,
            "session": picker.session,
            "notice": notice,
            "errors": errors or [],
        },
        status_code=HTTP_400_BAD_REQUEST if errors else 200,
    )


def _links_page(
    organizer: OrganizerIdentity,
    session: ExchangeSessionView,
    links: Sequence[InvitationLink],
    *,
    reissued: bool,
) -> Template:
    return Template(
        "organizer/invitations/links.html.jinja2",
        context={"organizer": organizer, "session": session, "links": links, "reissued": reissued},
    )


class OrganizerInvitations(Controller):
    path = "/organizer/sessions/{session_id:int}/invitations"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    # The pages show personal links: never kept by a browser or a proxy.
    cache_control = NO_STORE
    include_in_schema = False

    @get("/", name="organizer_invitations")
    async def index(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        q: FromQuery[str] = "",
        notice: FromQuery[str] = "",
    ) -> Template:
        session = await session_for_editing(organizer, session_id)
        picker = await invitation_picker.picker(session, Selection(q=q.strip()))
        return _picker_page(organizer, picker, notice=notice)

    @post("/", name="organizer_invitations_submit")
    async def submit(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Template:
        """Search and "すべて外す" show the picker again; "invite" issues the links."""
        session = await session_for_editing(organizer, session_id)
        selection, action = invitation_picker.read_selection(await form_fields(request))
        if action == CLEAR_ALL:
            selection = selection.cleared()
        if action != INVITE:
            return _picker_page(organizer, await invitation_picker.picker(session, selection))
        try:
            codes, emails = selection.to_invite()
            links = await invitations.invite(organizer, session_id, codes, emails)
        except ValidationError as error:
            picker = await invitation_picker.picker(session, selection)
            return _picker_page(organizer, picker, errors=invitation_picker.input_problems(error))
        return _links_page(organizer, session, links, reissued=False)

    @post("/{code:str}/reissue", name="organizer_invitation_reissue")
    async def reissue(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        code: FromPath[str],
    ) -> Template:
        session = await session_for_editing(organizer, session_id)
        link = await invitations.reissue_link(organizer, session_id, code)
        return _links_page(organizer, session, [link], reissued=True)

    @post("/{code:str}/revoke", name="organizer_invitation_revoke")
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        code: FromPath[str],
    ) -> Redirect:
        await invitations.revoke(organizer, session_id, code)
        url = request.app.route_reverse("organizer_invitations", session_id=session_id)
        return Redirect(f"{url}?notice=revoked", status_code=HTTP_303_SEE_OTHER)

    @post("/{code:str}/move", name="organizer_invitation_move")
    async def move(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        code: FromPath[str],
    ) -> Redirect:
        """One place up or down in the order the report and the public page list them."""
        direction = (await form_fields(request)).get("direction", "")
        if direction not in set(Direction):
            raise ValidationError(N_("移動する向きを選んでください。"), field="direction")
        await order.move(organizer, session_id, code, Direction(direction))
        url = request.app.route_reverse("organizer_invitations", session_id=session_id)
        return Redirect(f"{url}?notice=moved#invited-{code}", status_code=HTTP_303_SEE_OTHER)


ROUTES = [OrganizerInvitations]
