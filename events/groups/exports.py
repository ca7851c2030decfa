"""What the organizer takes out of an assignment: Zoom's breakout pre-assignment file, sheets."""

from __future__ import annotations

from dataclasses import dataclass

from events.accounts.organizers import OrganizerIdentity
from events.groups.members import Member
from events.groups.queries import AssignmentView, TopicView, get_assignment
from events.lib.csv_export import csv_bytes
from events.lib.errors import ConflictError
from events.lib.formatting import group_letter
from events.lib.i18n import N_

# Zoom reads exactly these two column names (web portal: Breakout Room pre-assign, CSV import).
ZOOM_HEADER = ("Pre-assign Room Name", "Email Address")
# Zoom's limits for pre-assignment, "Pre-assigning meeting participants to breakout rooms"
# (support.zoom.com/hc/en/article?id=zm_kb&sysparm_article=KB0061353): "You can pre-assign up
# to 100 rooms and up to 1000 participants", and "only one set of pre-assignments can be
# configured for a meeting", so in rounds one file per round, the later ones imported in turn.
ZOOM_MAX_ROOMS = 100
ZOOM_MAX_PARTICIPANTS = 1000


def zoom_fits(topic: TopicView) -> bool:
    """Whether one discussion's groups stay within what Zoom can pre-assign."""
    people = sum(len(group.members) for group in topic.groups)
    return len(topic.groups) <= ZOOM_MAX_ROOMS and people <= ZOOM_MAX_PARTICIPANTS


async def zoom_csv(
    organizer: OrganizerIdentity, session_id: int, topic_id: int | None = None
) -> bytes:
    """One row per placed attendee: their group's label as the room name, their e-mail.

    `topic_id`: only that discussion (in rounds, one round: Zoom holds one set at a time).
    """
    view = await get_assignment(organizer, session_id)
    if topic_id is None and view.is_rounds:  # one email in several rooms: Zoom takes one set
        raise ConflictError(
            N_(
                "全員がすべての意見交換に参加する場合、Zoom用のCSVは意見交換ごとに取り出してください。"
            ),
            field="topic_id",
        )
    topics = [view.topic(topic_id)] if topic_id is not None else view.topics
    rows = [
        (group.label, member.email)
        for topic in topics
        for group in topic.groups
        for member in group.members
    ]
    # With the BOM, as Excel's "CSV UTF-8" writes it: the form Zoom asks for Japanese names in.
    return csv_bytes(ZOOM_HEADER, rows)


async def topic_sheet(
    organizer: OrganizerIdentity, session_id: int, topic_id: int
) -> tuple[AssignmentView, TopicView]:
    """A topic with its discussion points and its groups' members, for printing."""
    view = await get_assignment(organizer, session_id)
    return view, view.topic(topic_id)


@dataclass(frozen=True)
class RotationRow:
    """One attendee on the rotation sheet: their group letter in each round ("" if none)."""

    member: Member
    letters: tuple[str, ...]


async def rotation_sheet(
    organizer: OrganizerIdentity, session_id: int
) -> tuple[AssignmentView, tuple[RotationRow, ...]]:
    """Everyone with their group in every round, by municipality: the sheet for the day."""
    view = await get_assignment(organizer, session_id)
    people = {m.id: m for t in view.topics for g in t.groups for m in g.members}
    people.update((m.id, m) for m in view.unplaced)
    rows = tuple(
        RotationRow(
            member,
            tuple(
                group_letter(number) if (number := member.group_in(topic.id)) else ""
                for topic in view.topics
            ),
        )
        for member in sorted(people.values(), key=lambda m: (m.municipality_code, m.id))
    )
    return view, rows
