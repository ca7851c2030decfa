"""Subscribable calendar feeds per region: public sessions open to that region, upcoming ones and
those of the last 12 months."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from events.calendars import ics
from events.calendars.entries import calendar_entry
from events.lib.clock import utcnow
from events.lib.i18n import gettext
from events.lib.links import absolute
from events.sessions.exchange_sessions import (
    PUBLIC_STATUSES,
    ExchangeSessionView,
    SessionQuery,
    list_sessions,
)
from networking.regions import AREAS, Area, area_by_slug

# More than a year of sessions of any region; a feed is not an archive.
FEED_LIMIT = 1000
# A subscribed calendar drops whatever a refreshed feed no longer lists: sessions stay this long
# after they end, so that attendees keep them in their history.
KEEP_PAST = dt.timedelta(days=365)
# DTSTAMP of an empty feed: any fixed moment keeps its bytes (and ETag) stable.
EMPTY_FEED_STAMP = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class FeedLink:
    area: Area
    https: str
    webcal: str


def feed_path(slug: str) -> str:
    return f"/regions/{slug}/calendar.ics"


def feed_links() -> list[FeedLink]:
    """Every area's feed, as https:// (Google, downloads) and webcal:// (Outlook, Apple)."""
    links = []
    for area in AREAS:
        https = absolute(feed_path(area.slug))
        webcal = "webcal://" + https.split("://", 1)[1]
        links.append(FeedLink(area, https, webcal))
    return links


def feed_name(area: Area) -> str:
    return gettext("つなぐ 情報交換会（%(area)s）") % {"area": area.name}


async def region_sessions(area: Area, now: dt.datetime) -> list[ExchangeSessionView]:
    """Public sessions ending after `now` less KEEP_PAST whose region overlaps `area` (中国's
    feed lists 中四国 ones)."""
    slugs = [other.slug for other in AREAS if other.prefecture_codes & area.prefecture_codes]
    found: dict[int, ExchangeSessionView] = {}
    for slug in slugs:
        query = SessionQuery(upcoming=True, region=slug, statuses=PUBLIC_STATUSES, limit=FEED_LIMIT)
        # "Upcoming" as seen from 12 months ago: not yet ended then.
        for session in await list_sessions(query, now=now - KEEP_PAST):
            found[session.id] = session
    return sorted(found.values(), key=lambda session: (session.starts_at, session.id))


async def region_feed(slug: str, *, now: dt.datetime | None = None) -> bytes:
    """The feed of one area; DTSTAMP is the latest change, so unchanged data gives equal bytes."""
    area = area_by_slug(slug)
    sessions = await region_sessions(area, now or utcnow())
    stamp = max((session.updated_at for session in sessions), default=EMPTY_FEED_STAMP)
    entries = [calendar_entry(session) for session in sessions]
    return ics.feed(feed_name(area), entries, now=stamp)
