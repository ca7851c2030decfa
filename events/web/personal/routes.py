"""Every route opened by a personal link: coordinators, attendees, poll answers, the board."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from events.web.personal import (
    attendee,
    attendee_contacts,
    attendee_survey,
    board,
    coordinator,
    coordinator_report,
    poll,
)

ROUTES: list[ControllerRouterHandler] = [
    *coordinator.ROUTES,
    *coordinator_report.ROUTES,
    *attendee.ROUTES,
    *attendee_contacts.ROUTES,
    *attendee_survey.ROUTES,
    *board.ROUTES,
    *poll.ROUTES,
]
