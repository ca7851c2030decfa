"""Organizer pages of a session's group assignment: run, review, move, lock, publish, export."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_303_SEE_OTHER,
    HTTP_400_BAD_REQUEST,
    HTTP_422_UNPROCESSABLE_ENTITY,
)

from events.accounts.organizers import OrganizerIdentity
from events.enums import GroupMode
from events.groups import assignments as group_assignments
from events.groups import moves
from events.groups.exports import rotation_sheet, topic_sheet, zoom_csv, zoom_fits
from events.groups.members import STAGE_LABELS, TIER_LABELS
from events.groups.queries import find_assignment
from events.lib.errors import ConflictError, Problem, Problems, ValidationError
from events.lib.i18n import N_, gettext
from events.lib.numbers import parse_int
from events.organizing import session_actions
from events.web.auth import NO_STORE, page_organizer
from events.web.forms import UNCONFIRMED_PUBLICATION, PostedForm, form_fields, unconfirmed
from events.web.requests import download

# Above this many places to move to, one select per person would make the page too heavy:
# a topic select and a group number take its place.
MAX_TARGET_OPTIONS = 100


def _int(text: str, field: str, problems: Problems) -> int:
    number = parse_int(text, negative=True)
    if number is None:
        problems.add(field, N_("半角の整数で入力してください。"))
        return 0
    return number


def _target(form: PostedForm, problems: Problems) -> tuple[int, int]:
    """The select sends "topic:group"; large sessions send topic_id and group apart."""
    topic, _, group = form.get("target", "").strip().partition(":")
    return (
        _int(topic or form.get("topic_id", "").strip(), "topic_id", problems),
        _int(group or form.get("group", "").strip(), "group", problems),
    )


def _error_ids(errors: Sequence[tuple[str | None, str]]) -> dict[str | None, list[str]]:
    """Field -> ids of its messages in the error summary, for aria-describedby."""
    ids: dict[str | None, list[str]] = {}
    for number, (field, _) in enumerate(errors, start=1):
        ids.setdefault(field, []).append(f"error-{number}")
    return ids


class OrganizerGroups(Controller):
    path = "/organizer/sessions/{session_id:int}/groups"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(page_organizer)}  # noqa: RUF012
    cache_control = NO_STORE
    include_in_schema = False

    async def _page(
        self,
        organizer: OrganizerIdentity,
        session_id: int,
        *,
        form: PostedForm | None = None,
        problems: Sequence[Problem] = (),
    ) -> Template:
        session, view = await find_assignment(organizer, session_id)
        errors = [(p.field, gettext(p.message, **p.params)) for p in problems]
        return Template(
            "organizer/groups/review.html.jinja2",
            context={
                "organizer": organizer,
                "session": session,
                "assignment": view,
                "form": dict(form.items()) if form else {},
                "errors": errors,
                "error_ids": _error_ids(errors),
                "max_target_options": MAX_TARGET_OPTIONS,
                "stage_labels": STAGE_LABELS,
                "tier_labels": TIER_LABELS,
                "default_mode": group_assignments.default_mode(session),
                "mode_labels": {mode.value: mode.label for mode in GroupMode},
                "zoom_fits": zoom_fits,
                "published_mailed": None,
            },
            status_code=HTTP_422_UNPROCESSABLE_ENTITY if problems else 200,
        )

    def _back(self, request: Request[Any, Any, Any], session_id: int) -> Redirect:
        url = request.app.route_reverse("organizer_groups", session_id=session_id)
        return Redirect(url, status_code=HTTP_303_SEE_OTHER)

    @get("/", name="organizer_groups")
    async def review(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        notice: FromQuery[str] = "",
        mailed: FromQuery[str] = "",
    ) -> Template:
        page = await self._page(organizer, session_id)
        # After publishing: the page says how many people are being told of their group.
        page.context["published_mailed"] = parse_int(mailed) if notice == "published" else None
        return page

    @post("/assign", name="organizer_groups_assign")
    async def assign(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Response[Any]:
        form = await form_fields(request)
        problems = Problems()
        low = _int(form.get("min_group_size", "").strip(), "min_group_size", problems)
        high = _int(form.get("max_group_size", "").strip(), "max_group_size", problems)
        seed = (
            _int(form.get("seed", "").strip(), "seed", problems)
            if form.get("seed", "").strip()
            else None
        )
        plenary = [_int(value, "plenary", problems) for value in form.getall("plenary")]
        try:
            problems.raise_if_any()
            await group_assignments.assign_groups(
                organizer,
                session_id,
                low,
                high,
                seed,
                mode=form.get("mode") or None,
                plenary=plenary,
            )
        except ValidationError as refused:
            return await self._page(organizer, session_id, form=form, problems=refused.problems)
        return self._back(request, session_id)

    @post("/moves", name="organizer_groups_move")
    async def move(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Response[Any]:
        form = await form_fields(request)
        problems = Problems()
        attendee_id = _int(form.get("attendee_id", "").strip(), "attendee_id", problems)
        topic_id, group = _target(form, problems)
        try:
            problems.raise_if_any()
            await moves.move_attendee(organizer, session_id, attendee_id, topic_id, group)
        except (ValidationError, ConflictError) as refused:
            return await self._page(organizer, session_id, problems=refused.problems)
        return self._back(request, session_id)

    @post("/lock", name="organizer_groups_lock")
    async def lock(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Redirect:
        await group_assignments.lock(organizer, session_id)
        return self._back(request, session_id)

    @get("/publish", name="organizer_groups_publish_confirm")
    async def confirm_publish(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Template:
        """Asks first: publishing mails each person placed or moved, and cannot be undone."""
        return await self._publish_page(organizer, session_id)

    async def _publish_page(
        self, organizer: OrganizerIdentity, session_id: int, errors: Sequence[Problem] = ()
    ) -> Template:
        session, view = await find_assignment(organizer, session_id)
        if view is None:
            raise ConflictError(N_("グループに入っている参加者がいません。"), field="state")
        return Template(
            "organizer/groups/publish.html.jinja2",
            context={
                "organizer": organizer,
                "session": session,
                "assignment": view,
                "errors": list(errors),
            },
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
        )

    @post("/publish", name="organizer_groups_publish")
    async def publish(
        self,
        request: Request[Any, Any, Any],
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
    ) -> Response[Any]:
        if refusal := await unconfirmed(request, UNCONFIRMED_PUBLICATION):
            return await self._publish_page(organizer, session_id, refusal)
        published = await session_actions.publish_groups(organizer, session_id)
        url = request.app.route_reverse("organizer_groups", session_id=session_id)
        query = urlencode({"notice": "published", "mailed": len(published.changes)})
        return Redirect(f"{url}?{query}", status_code=HTTP_303_SEE_OTHER)

    @get("/zoom.csv", name="organizer_groups_zoom")
    async def zoom(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Response[bytes]:
        content = await zoom_csv(organizer, session_id)
        return download(content, "text/csv", f"zoom-breakout-rooms-session-{session_id}.csv")

    @get("/{topic_id:int}/zoom.csv", name="organizer_groups_zoom_round")
    async def zoom_round(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        topic_id: FromPath[int],
    ) -> Response[bytes]:
        content = await zoom_csv(organizer, session_id, topic_id)
        name = f"zoom-breakout-rooms-session-{session_id}-discussion-{topic_id}.csv"
        return download(content, "text/csv", name)

    @get("/rotation", name="organizer_groups_rotation")
    async def rotation(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> Template:
        view, rows = await rotation_sheet(organizer, session_id)
        return Template(
            "organizer/groups/rotation.html.jinja2",
            context={
                "organizer": organizer,
                "session": view.session,
                "assignment": view,
                "rows": rows,
            },
        )

    @get("/{topic_id:int}/sheet", name="organizer_group_sheet")
    async def sheet(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        topic_id: FromPath[int],
    ) -> Template:
        view, topic = await topic_sheet(organizer, session_id, topic_id)
        return Template(
            "organizer/groups/sheet.html.jinja2",
            context={"organizer": organizer, "session": view.session, "topic": topic},
        )


ROUTES = [OrganizerGroups]
