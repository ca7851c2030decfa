"""Absolute links that leave the site (mails, calendar files, API answers), built in one place."""

from __future__ import annotations

from events.lib.settings import load_settings


def absolute(path: str) -> str:
    return f"{load_settings().base_url}{path}"


def coordinator_link(token: str) -> str:
    """The personal page where a municipality's coordinator registers its delegation."""
    return absolute(f"/r/{token}")


def attendee_link(token: str) -> str:
    """An attendee's own page: registration, calendar file, group, survey."""
    return absolute(f"/a/{token}")


def session_page(session_id: int) -> str:
    return absolute(f"/sessions/{session_id}")


def session_calendar(session_id: int) -> str:
    return absolute(f"/sessions/{session_id}/calendar.ics")


def poll_answer_link(token: str) -> str:
    """A municipality's own page for answering one date poll."""
    return absolute(f"/p/{token}")
