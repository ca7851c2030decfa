"""JSON API of a session's group assignment for organizers' scripts."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from events.accounts.organizers import OrganizerIdentity
from events.groups import assignments as group_assignments
from events.groups import moves
from events.groups.queries import get_assignment
from events.organizing import session_actions
from events.web.api.schemas.groups import AssignBody, AssignmentOut, MoveBody, assignment_out
from events.web.auth import api_organizer


class AssignmentApi(Controller):
    path = "/api/sessions/{session_id:int}/assignment"
    # Litestar reads these class attributes when the controller is registered.
    dependencies = {"organizer": Provide(api_organizer)}  # noqa: RUF012
    tags = ["assignment"]  # noqa: RUF012

    @post(
        "/",
        operation_id="assignGroups",
        summary="Assign confirmed attendees to groups of every round, or of one topic each "
        "(a draft, replacing a draft)",
        status_code=200,
    )
    async def assign(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        data: JSONBody[AssignBody],
    ) -> AssignmentOut:
        view = await group_assignments.assign_groups(
            organizer,
            session_id,
            data.min_group_size,
            data.max_group_size,
            data.seed,
            mode=data.mode,
            plenary=data.plenary_rounds,
        )
        return assignment_out(view)

    @get(
        "/",
        operation_id="getAssignment",
        summary="Every discussion (round or topic) with its groups, reasons and score",
    )
    async def get(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> AssignmentOut:
        return assignment_out(await get_assignment(organizer, session_id))

    @post(
        "/moves",
        operation_id="moveAttendee",
        summary="Move one attendee to a group of one round or topic (group = next number: "
        "a new group)",
        status_code=200,
    )
    async def move(
        self,
        organizer: NamedDependency[OrganizerIdentity],
        session_id: FromPath[int],
        data: JSONBody[MoveBody],
    ) -> AssignmentOut:
        view = await moves.move_attendee(
            organizer, session_id, data.attendee_id, data.topic_id, data.group
        )
        return assignment_out(view)

    @post(
        "/publish",
        operation_id="publishAssignment",
        summary="Tell attendees their group; after changes, only those whose group changed",
        status_code=200,
    )
    async def publish(
        self, organizer: NamedDependency[OrganizerIdentity], session_id: FromPath[int]
    ) -> AssignmentOut:
        return assignment_out((await session_actions.publish_groups(organizer, session_id)).view)


ROUTES = [AssignmentApi]
