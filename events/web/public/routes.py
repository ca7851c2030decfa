"""Every public route: pages, downloads and feeds anyone may read, health and language."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from events.web.public import (
    home,
    join_requests,
    municipalities,
    network,
    region_feeds,
    reports,
    sessions,
    system,
)

ROUTES: list[ControllerRouterHandler] = [
    *home.ROUTES,
    *sessions.ROUTES,
    *join_requests.ROUTES,
    *reports.ROUTES,
    *municipalities.ROUTES,
    *network.ROUTES,
    *region_feeds.ROUTES,
    *system.ROUTES,
]
