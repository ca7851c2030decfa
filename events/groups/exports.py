"""What the organizer takes out of an assignment: Zoom's breakout pre-assignment file, sheets."""

from __future__ import annotations

from events.accounts.organizers import OrganizerIdentity
from events.groups.queries import AssignmentView, TopicView, get_assignment
from events.lib.csv_export import csv_bytes

# Zoom reads exactly these two column names (web portal: Breakout Room pre-assign, CSV import).
ZOOM_HEADER = ("Pre-assign Room Name", "Email Address")


async def zoom_csv(organizer: OrganizerIdentity, session_id: int) -> bytes:
    """One row per placed attendee: their group's label as the room name, their e-mail."""
    view = await get_assignment(organizer, session_id)
    rows = [
        (group.label, member.email)
        for topic in view.topics
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
