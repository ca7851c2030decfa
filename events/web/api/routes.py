"""Every route of the JSON API."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from events.web.api import (
    assignment,
    board,
    date_polls,
    documentation,
    network,
    organizer_registrations,
    registrations,
    reports,
    sessions,
    surveys,
)

ROUTES: list[ControllerRouterHandler] = [
    *sessions.ROUTES,
    *organizer_registrations.ROUTES,
    *registrations.ROUTES,
    *assignment.ROUTES,
    *date_polls.ROUTES,
    *board.ROUTES,
    *surveys.ROUTES,
    *reports.ROUTES,
    *network.ROUTES,
]
documentation.document(ROUTES)
