"""The participation record pages: sign-in, scoping to the organizer's series, print, CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from events.accounts.organizers import OrganizerIdentity
from events.sessions.exchange_sessions import ExchangeSessionView
from tests.factories import delegation, held_session, make_organizer, person
from tests.helpers import sign_in
from tests.spreadsheets import assert_same_as_csv, xlsx_sheet

PATHS = ["/participation", "/participation.csv", "/participation-summary.csv"]


async def okayama_history() -> tuple[OrganizerIdentity, ExchangeSessionView]:
    """One held session of 2 hours where 岡山県 sent ﾊﾝｶｸ and 佐藤＆鈴木 <共同>."""
    organizer = await make_organizer()
    attendees = delegation(
        person(1, name="ﾊﾝｶｸ", department="-2"), person(2, name="佐藤＆鈴木 <共同>")
    )
    return organizer, await held_session(organizer, {"330001": attendees})


@pytest.mark.parametrize("path", PATHS)
async def test_anonymous_visitor_is_sent_to_sign_in(client: Any, path: str) -> None:
    response = await client.get(f"/organizer/municipalities/330001{path}")
    assert response.status_code == 303
    assert response.headers["location"] == (
        "/login?next=%2Forganizer%2Fmunicipalities%2F330001%2F" + path[1:]
    )


@pytest.mark.parametrize("path", PATHS)
async def test_another_organizer_sees_none_of_the_sessions(client: Any, path: str) -> None:
    await okayama_history()
    await sign_in(client, (await make_organizer()).email)
    response = await client.get(f"/organizer/municipalities/330001{path}")
    assert response.status_code == 200
    assert "ﾊﾝｶｸ" not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("path", PATHS)
async def test_admin_sees_every_session(client: Any, path: str) -> None:
    await okayama_history()
    await sign_in(client, (await make_organizer(admin=True)).email)
    response = await client.get(f"/organizer/municipalities/330001{path}")
    assert response.status_code == 200
    assert "ﾊﾝｶｸ" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("code", ["330000", "999999", "abc"])
async def test_bad_code_is_a_404_page(client: Any, code: str) -> None:
    await sign_in(client, (await make_organizer()).email)
    response = await client.get(f"/organizer/municipalities/{code}/participation")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert f"団体コード {code} の自治体はありません。" in response.text


async def test_record_page_is_printable_with_hours_and_totals(client: Any) -> None:
    organizer, session = await okayama_history()
    await sign_in(client, organizer.email)
    response = await client.get("/organizer/municipalities/330001/participation")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    assert '<h1>情報交換会 参加記録<span class="heading-sub">岡山県</span></h1>' in body
    assert '<article class="participation-record">' in body
    assert (
        "<tr><td>佐藤＆鈴木 &lt;共同&gt;</td><td>デジタル推進課</td><td>一般職員</td>"
        f"<td>第3回 情報交換会</td><td>{session.series_title}</td>"
    ) in body
    assert '<td class="number">2.0</td>' in body
    assert (
        '<tr><th scope="row" colspan="3">合計</th><td class="number">2</td>'
        '<td class="number">4.0</td></tr>'
    ) in body
    assert 'href="/organizer/municipalities/330001/participation.csv"' in body
    assert 'href="/organizer/municipalities/330001/participation-summary.csv"' in body


async def test_record_without_sessions_says_so(client: Any) -> None:
    await sign_in(client, (await make_organizer()).email)
    body = (await client.get("/organizer/municipalities/331007/participation")).text
    assert "開催済みの情報交換会への参加記録はありません。" in body
    assert "<table" not in body


@pytest.mark.parametrize(
    ("path", "ascii_name"),
    [
        ("/participation.csv", "participation-330001.csv"),
        ("/participation-summary.csv", "participation-summary-330001.csv"),
    ],
)
async def test_csv_downloads_are_excel_ready(client: Any, path: str, ascii_name: str) -> None:
    """Name, department (neutralised) and hours: the last column of both files."""
    organizer, _ = await okayama_history()
    await sign_in(client, organizer.email)
    response = await client.get(f"/organizer/municipalities/330001{path}")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith(
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''"
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.count(b"\r\n") == 3
    parsed = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [[row[0], row[1], row[-1]] for row in parsed[1:]] == [
        ["ﾊﾝｶｸ", "'-2", "2.0"],
        ["佐藤＆鈴木 <共同>", "デジタル推進課", "2.0"],
    ]


@pytest.mark.parametrize("name", ["participation", "participation-summary"])
async def test_xlsx_downloads_are_the_csvs(client: Any, name: str) -> None:
    organizer, _ = await okayama_history()
    await sign_in(client, organizer.email)
    base = f"/organizer/municipalities/330001/{name}"
    sheet = xlsx_sheet(await client.get(f"{base}.xlsx"))
    assert_same_as_csv(sheet, await client.get(f"{base}.csv"))
    assert sheet["A1"].value == "氏名"
    assert (
        f'href="{base}.xlsx"'
        in (await client.get("/organizer/municipalities/330001/participation")).text
    )
