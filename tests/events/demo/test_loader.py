"""The demo: a 中四国 series with two held sessions and one open for registration."""

from __future__ import annotations

import datetime as dt

import httpx

from events.demo import content
from events.demo.loader import load_demo
from events.enums import SessionStatus
from events.reports.blocks import loads
from events.tables import (
    Attendee,
    AuditEntry,
    ExchangeSession,
    GroupSeat,
    OutboxMessage,
    Report,
    ReportVersion,
    Series,
)
from networking.tables import Encounter


async def test_demo_replays_the_past_and_opens_the_next_session() -> None:
    lines: list[str] = []
    await load_demo(lines.append)

    [series] = await Series.select().where(Series.title == content.SERIES_TITLE)
    sessions = await ExchangeSession.select().order_by(ExchangeSession.starts_at)
    assert [(row["title"], row["status"]) for row in sessions] == [
        ("第1回 情報交換会", SessionStatus.REPORTED),
        ("第2回 情報交換会", SessionStatus.REPORTED),
        ("第3回 情報交換会", SessionStatus.PUBLISHED),
    ]
    assert {row["series"] for row in sessions} == {series["id"]}
    first, second, upcoming = (row["id"] for row in sessions)
    people = sum(len(d.people) for d in content.DELEGATIONS)
    assert await Attendee.count().where(Attendee.exchange_session == second) == people
    readings = await Attendee.select(Attendee.name, Attendee.reading).where(
        Attendee.exchange_session == second
    )
    assert {row["name"]: row["reading"] for row in readings} == {
        person.name: content.READINGS.get(person.name, "")
        for delegation in content.DELEGATIONS
        for person in delegation.people
    }
    # Two discussions in a row: everyone joins both, in rotating groups (one seat in each).
    seats = await GroupSeat.count().where(GroupSeat.attendee.exchange_session == second)
    assert seats == people * 2
    assert await Encounter.count().where(Encounter.session_id == first) > 0
    assert await Encounter.count().where(Encounter.session_id == second) > 0
    # The replayed history sent nothing; the open session's mail is real: a confirmation now
    # and a reminder before the start, for each person.
    upcoming_people = sum(
        len(d.people) for d in content.DELEGATIONS if d.code in content.UPCOMING_REGISTERED
    )
    kinds = await OutboxMessage.select(OutboxMessage.kind)
    assert sorted(row["kind"] for row in kinds) == sorted(
        ["confirmation", "reminder"] * upcoming_people
    )
    assert await Attendee.count().where(Attendee.exchange_session == upcoming) == (upcoming_people)
    assert any("/r/" in line for line in lines)


async def test_demo_loads_once(client: httpx.AsyncClient) -> None:
    await load_demo(lambda _: None)
    again: list[str] = []
    await load_demo(again.append)

    assert await Series.count() == 1
    assert await ExchangeSession.count() == 3
    assert "already" in again[-1]
    page = await client.get("/sessions")
    assert page.status_code == 200
    assert "第3回 情報交換会" in page.text


async def test_demo_reports_are_in_the_archive_with_survey_results(
    client: httpx.AsyncClient,
) -> None:
    await load_demo(lambda _: None)

    archive = await client.get("/reports", params={"q": "人事"})
    assert archive.status_code == 200
    assert archive.text.count("開催レポート") >= 2
    second = (
        await ExchangeSession.select(ExchangeSession.id)
        .where(ExchangeSession.title == "第2回 情報交換会")
        .first()
    )
    assert second is not None
    report = await Report.select(Report.id).where(Report.exchange_session == second["id"]).first()
    assert report is not None
    page = await client.get(f"/reports/{report['id']}/v1")
    assert page.status_code == 200
    assert "岡山県・岡山県岡山市・広島県広島市・島根県・山口県・香川県・高知県" in page.text
    assert "アンケート結果" in page.text and "<svg" in page.text
    # Quoted where the respondent agreed, and only there.
    assert "<h2>参加者の声</h2>" in page.text
    agreed = [c for c in content.SURVEY_COMMENTS.values() if c.quote_consent]
    refused = [c for c in content.SURVEY_COMMENTS.values() if not c.quote_consent]
    assert all(c.remarks in page.text for c in agreed if c.remarks)
    assert not any(c.remarks in page.text or c.plans in page.text for c in refused)
    # 広島市 agreed to be named beside its practice; 岡山市 did not.
    assert "広島市では、Udemy Businessの受講推奨コース一覧を作成しています。" in page.text
    assert "岡山市では" not in page.text
    for delegation in content.DELEGATIONS:
        for person in delegation.people:
            assert person.name not in page.text


async def test_demo_sessions_have_their_own_reports_recorded_at_their_2023_dates() -> None:
    await load_demo(lambda _: None)

    first, second = [
        loads(row["blocks"])
        for row in await ReportVersion.select(ReportVersion.blocks).order_by(ReportVersion.id)
    ]
    headings = [[block.heading for block in blocks] for blocks in (first, second)]
    assert "【ディスカッション①】研修の受講率を上げる工夫" in headings[0]
    assert "【ディスカッション①】人事部門との連携" in headings[1]
    surveys = [next(b.body for b in blocks if b.key == "survey") for blocks in (first, second)]
    assert surveys[0] != surveys[1]
    lead = next(block.body for block in second if block.key == "lead")
    assert lead.startswith("中四国DX人材育成ネットワーク事務局は、2023年12月15日(金)、")
    # The replayed history is recorded when it happened; only the upcoming session is of today.
    past_ids = [row["id"] for row in await ExchangeSession.select().order_by(ExchangeSession.id)][
        :2
    ]
    years = {
        row["created_at"].year
        for row in await AuditEntry.select(AuditEntry.created_at).where(
            AuditEntry.exchange_session.is_in(past_ids)
        )
    }
    assert years == {2023}
    published = await ReportVersion.select(ReportVersion.published_at).order_by(ReportVersion.id)
    assert [row["published_at"].date() for row in published] == [
        dt.date(2023, 10, 6),
        dt.date(2023, 12, 29),
    ]
