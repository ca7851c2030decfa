"""The mail page of a session: previews of each message, a test message, failed deliveries."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from events.accounts.organizers import OrganizerIdentity
from events.lib.clock import utcnow
from events.mail import delivery_state
from events.organizing import session_mail
from events.organizing.mail_preview import KIND_LABELS, KINDS
from events.web.auth import NO_STORE, page_organizer
from events.web.forms import form_fields

# The HTML part is shown as the mail client would: its own document, inline styles allowed,
# nothing else; it may only be framed by this site's own mail page.
PREVIEW_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'",
    "x-frame-options": "SAMEORIGIN",
}


class OrganizerMail(Controller):
    path = "/organizer/sessions/{session_id:int}/mail"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    @get("/", name="organizer_mail")
    async def show(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        kind: FromQuery[str] = KINDS[0],
        notice: FromQuery[str] = "",
    ) -> Template:
        session, mail = await session_mail.session_preview(organizer, session_id, kind)
        return Template(
            "organizer/mail/show.html.jinja2",
            context={
                "organizer": organizer,
                "session": session,
                "kind": kind,
                "kinds": [(name, KIND_LABELS[name]) for name in KINDS],
                "mail": mail,
                "failed": await session_mail.failed_messages(organizer, session_id),
                "stuck": await session_mail.stuck_messages(organizer, session_id),
                "counts": await session_mail.delivery_counts(organizer, session_id),
                "server_unreachable": await delivery_state.server_unreachable(),
                "now": utcnow(),
                "notice": notice,
            },
        )

    @get("/{kind:str}/preview.html", name="organizer_mail_html")
    async def html(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        kind: FromPath[str],
    ) -> Response[str]:
        _, mail = await session_mail.session_preview(organizer, session_id, kind)
        return Response(mail.html, media_type="text/html", headers=PREVIEW_HEADERS)

    @post("/test", name="organizer_mail_test")
    async def test(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Redirect:
        kind = (await form_fields(request)).get("kind", "")
        await session_mail.send_test(organizer, session_id, kind)
        url = request.app.route_reverse("organizer_mail", session_id=session_id)
        query = urlencode({"kind": kind, "notice": "test_sent"})
        return Redirect(f"{url}?{query}", status_code=HTTP_303_SEE_OTHER)

    @post("/{message_id:int}/resend", name="organizer_mail_resend")
    async def resend(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        message_id: FromPath[int],
    ) -> Redirect:
        await session_mail.resend_failed(organizer, session_id, message_id)
        url = request.app.route_reverse("organizer_mail", session_id=session_id)
        return Redirect(f"{url}?notice=resent", status_code=HTTP_303_SEE_OTHER)


ROUTES = [OrganizerMail]
