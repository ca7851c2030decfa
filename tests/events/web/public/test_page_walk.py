"""Every public page reached by following links from the home page over the demo's data.

A visitor finds the history by clicking: a page whose <title> holds markup, or a reported
session shown without a link to its report, fails here whichever template it comes from.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from events.demo import content
from events.demo.loader import load_demo
from events.reports.archive import reports_of_sessions
from events.tables import ExchangeSession

# Pages a visitor reaches with a plain link; personal links, downloads and the organizer's
# side are not part of the public walk, and the directory's 1,788 entries are sampled below.
_SKIPPED = re.compile(
    r"^/(organizer|r/|p/|a/|language/|static/|schema|api/|auth)"
    r"|\.(pdf|md|ics|atom|csv|xlsx)$"
)
_MUNICIPALITY = re.compile(r"^/municipalities/(\d{6})(/network)?$")
_SESSION = re.compile(r"^/sessions/(\d+)$")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and "?" not in href:
            self.hrefs.append(href.split("#")[0])


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    assert match is not None
    return match.group(1)


def _worth_visiting(path: str, demo_codes: set[str]) -> bool:
    if _SKIPPED.search(path):
        return False
    municipality = _MUNICIPALITY.match(path)
    return municipality is None or municipality.group(1) in demo_codes


async def _walk(client: Any, demo_codes: set[str]) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = ["/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = await client.get(path)
        assert response.status_code == 200, path
        seen[path] = response.text
        queue.extend(link for link in _links(response.text) if _worth_visiting(link, demo_codes))
    return seen


async def test_every_public_page_has_a_text_title_and_reported_sessions_link_their_report(
    client: Any,
) -> None:
    await load_demo(lambda line: None)
    pages = await _walk(client, {delegation.code for delegation in content.DELEGATIONS})

    sessions = [row["id"] for row in await ExchangeSession.select(ExchangeSession.id)]
    reports = await reports_of_sessions(sessions)
    assert len(reports) == 2
    # The walk reached every kind of page, the archive and both reports among them.
    assert {"/", "/sessions", "/reports", "/municipalities", "/calendars"} <= set(pages)
    assert {report.path for report in reports.values()} <= set(pages)
    assert "/regions/chushikoku/network" in pages
    assert "/municipalities/330001" in pages

    for path, html in pages.items():
        assert "<" not in _title(html), path
        session = _SESSION.match(path)
        if session and int(session.group(1)) in reports:
            report = reports[int(session.group(1))]
            assert f'href="{report.path}"' in html, path
    for report in reports.values():
        assert f'href="/sessions/{report.session_id}"' in pages[report.path]
    # Municipalities in the organizer's order (as invited), not in code order (島根県 first).
    seed = "7団体: 岡山県・岡山県岡山市・広島県広島市・島根県・山口県・香川県・高知県"
    assert any(seed in pages[f"/sessions/{report.session_id}"] for report in reports.values())
    for listing in ("/sessions", "/municipalities/330001"):
        for report in reports.values():
            assert f'href="{report.path}"' in pages[listing], listing
