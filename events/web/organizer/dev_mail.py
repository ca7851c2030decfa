"""The development mailbox (/dev/mail): what the worker delivered instead of sending.

Registered only outside production. The messages carry everyone's personal links, so the
pages are for signed-in administrators (the demo organizer is one).
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Template

from events.accounts.organizers import OrganizerIdentity
from events.lib.errors import ForbiddenError, NotFoundError
from events.lib.i18n import N_
from events.mail import kinds, mailbox
from events.web.auth import NO_STORE, page_organizer
from events.web.organizer.mail import PREVIEW_HEADERS

# Wide enough for the links our mails carry; stops at whitespace and the brackets around them.
_URL = re.compile(r"https?://[^\s<>()「」（）]+")
# Links in the HTML part open in the whole window, not inside the frame that shows it.
_TOP_LINKS = '<base target="_top">'
# A filename in a header: our own attachments are plain ASCII names; anything else is replaced.
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


def text_segments(text: str) -> list[tuple[str, bool]]:
    """The text split into (piece, is_link) so the template can make each URL a link."""
    segments: list[tuple[str, bool]] = []
    position = 0
    for match in _URL.finditer(text):
        segments.append((text[position : match.start()], False))
        segments.append((match.group(), True))
        position = match.end()
    segments.append((text[position:], False))
    return [segment for segment in segments if segment[0]]


async def mailbox_reader(request: Request[Any, Any, Any]) -> OrganizerIdentity:
    """Dependency: the signed-in organizer, who must be an administrator."""
    organizer = await page_organizer(request)
    if not organizer.is_admin:
        raise ForbiddenError(
            N_("開発用メールボックスは管理者だけが見られます。"), field="organizer"
        )
    return organizer


async def _entry(message_id: int) -> mailbox.MailboxEntry:
    found = await mailbox.entry(message_id)
    if found is None:
        raise NotFoundError(N_("メールが見つかりません。"), field="message")
    return found


class DevMailbox(Controller):
    path = "/dev/mail"
    dependencies = {"organizer": Provide(mailbox_reader)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    @get("/", name="dev_mail")
    async def index(self, organizer: NamedDependency[OrganizerIdentity]) -> Template:
        return Template(
            "organizer/dev_mail/index.html.jinja2",
            context={
                "organizer": organizer,
                "messages": await mailbox.newest(),
                "kind_label": kinds.label,
            },
        )

    @get("/{message_id:int}", name="dev_mail_message")
    async def show(
        self, organizer: NamedDependency[OrganizerIdentity], message_id: FromPath[int]
    ) -> Template:
        message = await _entry(message_id)
        return Template(
            "organizer/dev_mail/show.html.jinja2",
            context={
                "organizer": organizer,
                "message": message,
                "segments": text_segments(message.text),
                "kind_label": kinds.label,
            },
        )

    @get("/{message_id:int}/html", name="dev_mail_html")
    async def html(
        self, organizer: NamedDependency[OrganizerIdentity], message_id: FromPath[int]
    ) -> Response[str]:
        message = await _entry(message_id)
        if message.html is None:
            raise NotFoundError(N_("このメールにHTMLの本文はありません。"), field="message")
        html = message.html
        html = html.replace("<head>", "<head>" + _TOP_LINKS, 1) if "<head>" in html else html
        return Response(html, media_type="text/html", headers=PREVIEW_HEADERS)

    @get("/{message_id:int}/attachments/{number:int}", name="dev_mail_attachment")
    async def attachment(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        message_id: FromPath[int],
        number: FromPath[int],
    ) -> Response[bytes]:
        attachments = (await _entry(message_id)).attachments
        if not 0 <= number < len(attachments):
            raise NotFoundError(N_("添付ファイルが見つかりません。"), field="attachment")
        found = attachments[number]
        filename = _UNSAFE_FILENAME.sub("_", found.filename)
        return Response(
            found.content,
            media_type=found.media_type,
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )


ROUTES = [DevMailbox]
