"""Links that leave the site (mails, calendar files, API answers) and personal links: built here.

A personal link is the path of its kind followed by a token derived from the row's nonce
(events.lib.tokens.link_token), so a later mail carries the same link again.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from events.lib.settings import load_settings
from events.lib.tokens import LinkKind, link_token

PERSONAL_PATHS = {
    LinkKind.INVITATION: "/r/",
    LinkKind.ATTENDEE: "/a/",
    LinkKind.DATE_POLL: "/p/",
    LinkKind.BOARD_UNSUBSCRIBE: "/board/unsubscribe/",
}


def absolute(path: str) -> str:
    return f"{load_settings().base_url}{path}"


def site_host() -> str:
    """The host name of BASE_URL: the domain of calendar UIDs and Message-IDs."""
    return urlsplit(load_settings().base_url).hostname or "localhost"


def personal_path(kind: LinkKind, token: str) -> str:
    return PERSONAL_PATHS[kind] + token


def personal_link(kind: LinkKind, nonce: str, suffix: str = "") -> str:
    """The absolute personal link of a row's nonce, e.g. an attendee's page + "/survey"."""
    return absolute(personal_path(kind, link_token(kind, nonce)) + suffix)


def session_page(session_id: int) -> str:
    return absolute(f"/sessions/{session_id}")


def session_calendar(session_id: int) -> str:
    return absolute(f"/sessions/{session_id}/calendar.ics")
