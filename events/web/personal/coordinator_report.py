"""The coordinator's view of the draft report (/r/{token}/report): read and comment, not edit."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from events.invitations.invitations import CoordinatorAccess, access_by_token
from events.lib.errors import ValidationError
from events.reports.blocks import rendered
from events.reports.fact_check import add_comment, comments_of, draft_for_coordinator
from events.web.auth import NO_STORE
from events.web.forms import FormErrors, form_errors, form_fields


class CoordinatorReport(Controller):
    path = "/r/{token:str}/report"
    cache_control = NO_STORE
    include_in_schema = False

    async def _page(
        self,
        token: str,
        access: CoordinatorAccess,
        *,
        done: bool = False,
        errors: FormErrors | None = None,
        text: str = "",
    ) -> Template:
        draft = await draft_for_coordinator(access)
        errors = errors or FormErrors()
        return Template(
            "personal/coordinator/report.html.jinja2",
            context={
                "token": token,
                "access": access,
                "session": access.session,
                "draft": draft,
                "blocks": rendered(draft.blocks),
                "comments": await comments_of(draft.id, access.municipality_code),
                "done": done,
                "errors": errors,
                "text": text,
            },
            status_code=errors.status_code,
        )

    @get("/", name="coordinator_report")
    async def show(self, token: FromPath[str], done: FromQuery[str] = "") -> Template:
        return await self._page(token, await access_by_token(token), done=done == "1")

    @post("/", name="coordinator_report_comment")
    async def comment(
        self, request: Request[Any, Any, Any], token: FromPath[str]
    ) -> Template | Redirect:
        access = await access_by_token(token)
        fields = await form_fields(request)
        try:
            await add_comment(access, fields.get("text", ""), block_key=fields.get("block", ""))
        except ValidationError as error:
            return await self._page(
                token, access, errors=form_errors(error), text=fields.get("text", "")
            )
        return Redirect(f"/r/{token}/report?done=1", status_code=HTTP_303_SEE_OTHER)


ROUTES = [CoordinatorReport]
