"""The archive of published reports: fiscal years, filters, Japanese substring search, paging."""

from __future__ import annotations

import datetime as dt

import pytest

from events.accounts.organizers import OrganizerIdentity
from events.lib.errors import ValidationError
from events.lib.formatting import TOKYO
from events.reports.archive import ArchiveQuery, fiscal_years, reports_of_municipality, search
from events.reports.drafts import BlockEdit, generate_report, update_draft
from events.reports.publishing import publish
from events.reports.search import pairs_of, terms_of
from tests.factories import held_seed_session, make_organizer


async def published_report(
    organizer: OrganizerIdentity,
    starts_at: dt.datetime,
    *,
    codes: tuple[str, ...] = ("330001", "341002"),
    closing: str = "",
    tags: tuple[str, ...] = (),
    title: str = "第3回 情報交換会",
) -> int:
    session, _ = await held_seed_session(
        organizer, starts_at=starts_at, codes=codes, absent=(), title=title
    )
    draft = await generate_report(organizer, session.id)
    edits = {"closing": BlockEdit(body=closing)} if closing else {}
    await update_draft(organizer, draft.id, edits, tags=list(tags))
    await publish(organizer, draft.id)
    return draft.id


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 14, tzinfo=TOKYO)


async def test_fiscal_year_runs_from_april_to_march() -> None:
    organizer = await make_organizer()
    march = await published_report(organizer, at(2024, 3, 31))
    april = await published_report(organizer, at(2024, 4, 1))
    assert [i.report_id for i in (await search(ArchiveQuery(fiscal_year=2023))).items] == [march]
    assert [i.report_id for i in (await search(ArchiveQuery(fiscal_year=2024))).items] == [april]
    assert await fiscal_years() == [2024, 2023]


async def test_search_finds_two_character_words_and_takes_wildcards_literally() -> None:
    organizer = await make_organizer()
    plain = await published_report(organizer, at(2024, 5, 10), closing="研修の受講率は九割でした。")
    percent = await published_report(
        organizer, at(2024, 6, 10), closing="受講率100%を達成しました。"
    )
    found = await search(ArchiveQuery(text="人事"))
    assert {item.report_id for item in found.items} == {plain, percent}
    assert [i.report_id for i in (await search(ArchiveQuery(text="九割"))).items] == [plain]
    assert [i.report_id for i in (await search(ArchiveQuery(text="%"))).items] == [percent]
    assert (await search(ArchiveQuery(text="_"))).total == 0
    assert (await search(ArchiveQuery(text="受講率%"))).total == 0
    assert [i.report_id for i in (await search(ArchiveQuery(text="人事 100%"))).items] == [percent]


async def test_search_of_2000_characters_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        await search(ArchiveQuery(text="人" * 2000))
    assert refused.value.problems[0].field == "q"
    assert str(refused.value) == "検索語は200文字以内にしてください（2000文字が入力されました）。"


async def test_filters_by_municipality_tag_region_and_series_with_pages() -> None:
    organizer = await make_organizer()
    first = await published_report(organizer, at(2024, 5, 10), codes=("330001",), tags=("人事",))
    second = await published_report(organizer, at(2024, 6, 10), codes=("341002",))
    third = await published_report(organizer, at(2024, 7, 10), codes=("330001", "341002"))
    okayama = await search(ArchiveQuery(municipality="330001"))
    assert [item.report_id for item in okayama.items] == [third, first]
    assert [i.report_id for i in (await search(ArchiveQuery(tag="人事"))).items] == [first]
    assert (await search(ArchiveQuery(tag="人"))).total == 0
    assert (await search(ArchiveQuery(region="chushikoku"))).total == 3
    assert (await search(ArchiveQuery(region="kanto"))).total == 0
    page = await search(ArchiveQuery(per_page=2, page=2))
    assert ([item.report_id for item in page.items], page.total, page.pages) == ([first], 3, 2)
    assert [item.report_id for item in await reports_of_municipality("341002")] == [third, second]
    assert page.items[0].municipality_names == "岡山県"


async def test_longer_words_need_their_characters_in_a_row() -> None:
    organizer = await make_organizer()
    apart = await published_report(organizer, at(2024, 5, 10), closing="研修の修了者が増えました。")
    together = await published_report(
        organizer, at(2024, 6, 10), closing="研修了後の調査をします。"
    )
    assert [i.report_id for i in (await search(ArchiveQuery(text="研修了"))).items] == [together]
    assert [i.report_id for i in (await search(ArchiveQuery(text="の修了"))).items] == [apart]
    assert [i.report_id for i in (await search(ArchiveQuery(text="査"))).items] == [together]
    assert (await search(ArchiveQuery(text="存在しない語句"))).total == 0


def test_terms_are_pairs_within_runs_of_text() -> None:
    assert terms_of("人事 ab%\n_") == {"人事", "ab", "b%"}
    assert pairs_of("人事部") == ["人事", "事部"]
