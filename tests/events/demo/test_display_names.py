"""Across the demo's pages, mails and exports a municipality is always named one way: the
directory's display name (岡山県岡山市, never 岡山市 alone)."""

from __future__ import annotations

import re

import httpx

from events.demo import content
from events.demo.loader import DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD, load_demo
from events.tables import ExchangeSession, OutboxMessage, Report
from networking.municipalities import read_data_file
from tests.helpers import sign_in

_LINK = re.compile(r"https?://[^/\s]+(/r/[A-Za-z0-9_\-]+)")


def short_names_left(text: str, codes: set[str]) -> list[str]:
    """Bare names (岡山市) of the given municipalities that are not part of a display name.

    Every display name in the directory is blanked out first, longest first, so that 東広島市
    (広島県東広島市) is not read as 広島市.
    """
    records = list(read_data_file())
    for record in sorted(records, key=lambda r: len(r.display_name), reverse=True):
        text = text.replace(record.display_name, "□")
    return [
        record.name
        for record in records
        if record.code in codes and record.kind != "都道府県" and record.name in text
    ]


async def _pages(client: httpx.AsyncClient, coordinator_paths: list[str]) -> dict[str, str]:
    sessions = [row["id"] for row in await ExchangeSession.select(ExchangeSession.id)]
    reports = [row["id"] for row in await Report.select(Report.id)]
    paths = ["/sessions", "/reports", "/municipalities/331007", "/municipalities/331007/network"]
    paths += ["/regions/chushikoku/network", "/organizer"]
    for session_id in sessions:
        paths.append(f"/sessions/{session_id}")
        organizer = f"/organizer/sessions/{session_id}"
        paths += [organizer, f"{organizer}/invitations", f"{organizer}/registrations"]
        paths += [f"{organizer}/groups", f"{organizer}/report", f"{organizer}/registrations.csv"]
    paths += [f"/reports/{report_id}/v1" for report_id in reports]
    paths += coordinator_paths
    pages = {}
    for path in paths:
        response = await client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.text
    return pages


async def test_every_page_mail_and_export_of_the_demo_uses_the_display_name(
    client: httpx.AsyncClient,
) -> None:
    lines: list[str] = []
    await load_demo(lines.append)
    coordinator_paths = [found.group(1) for line in lines if (found := _LINK.search(line))]
    assert coordinator_paths
    await sign_in(client, DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD)
    codes = {delegation.code for delegation in content.DELEGATIONS}

    texts = await _pages(client, coordinator_paths)
    for row in await OutboxMessage.select():
        texts[f"mail {row['id']} ({row['kind']})"] = "\n".join(
            (row["subject"], row["text_body"], row["html_body"] or "")
        )

    assert "岡山県岡山市" in texts["/regions/chushikoku/network"]
    bare = {
        where: names for where, text in texts.items() if (names := short_names_left(text, codes))
    }
    assert bare == {}


def test_the_check_finds_a_bare_name_and_passes_display_names() -> None:
    codes = {"331007", "341002", "342122"}
    assert short_names_left("参加: 岡山市・広島県広島市", codes) == ["岡山市"]
    assert short_names_left("参加: 岡山県岡山市・広島県東広島市", codes) == []
