"""Every route of the organizer's pages, sign-in included."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from events.web.organizer import (
    board,
    dashboard,
    date_polls,
    groups,
    invitations,
    join_requests,
    mail,
    participation,
    registrations,
    reports,
    series,
    sessions,
    sign_in,
    surveys,
)

ROUTES: list[ControllerRouterHandler] = [
    *sign_in.ROUTES,
    *dashboard.ROUTES,
    *series.ROUTES,
    *sessions.ROUTES,
    *invitations.ROUTES,
    *join_requests.ROUTES,
    *registrations.ROUTES,
    *participation.ROUTES,
    *groups.ROUTES,
    *date_polls.ROUTES,
    *board.ROUTES,
    *surveys.ROUTES,
    *reports.ROUTES,
    *mail.ROUTES,
]
