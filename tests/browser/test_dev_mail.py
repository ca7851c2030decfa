"""The development mailbox in the browser: listed newest first, links that open, the .ics."""

from __future__ import annotations

from ical.calendar_stream import IcsCalendarStream
from playwright.async_api import Page

from tests.browser.conftest import BROWSER, overflow, screenshot, sign_in_page
from tests.factories import PASSWORD, make_organizer, published_session
from tests.helpers import deliver_to_mailbox

pytestmark = BROWSER

CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:mailbox-test\r\nDTSTAMP:20261207T000000Z\r\n"
    "DTSTART:20270118T050000Z\r\nDTEND:20270118T070000Z\r\nSUMMARY:第3回 情報交換会\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


async def deliver(subject: str, link: str) -> None:
    await deliver_to_mailbox(
        subject=subject,
        text=f"山田 花子 様\n\n■ あなたの個人用ページ\n{link}\n",
        html=f'<html><head></head><body><a href="{link}">個人用ページ</a></body></html>',
        calendar=CALENDAR,
        recipient="hanako.yamada.digital-promotion@city.kurashiki.example.lg.jp",
    )


async def test_mailbox_shows_the_newest_message_first_with_links_that_open(
    sized_page: Page, live_server: str
) -> None:
    page = sized_page
    width = page.viewport_size["width"] if page.viewport_size else 0
    organizer = await make_organizer(admin=True)
    session, _ = await published_session(organizer, codes=("330001",))
    await deliver("古いお知らせ", f"{live_server}/sessions")
    await deliver("【参加登録完了】新しいお知らせ", f"{live_server}/sessions/{session.id}")
    await sign_in_page(page, organizer.email, PASSWORD)

    await page.goto("/dev/mail")
    subjects = await page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert subjects[:2] == ["【参加登録完了】新しいお知らせ", "古いお知らせ"]
    assert await overflow(page) == 0
    await screenshot(page, f"dev-mail-{width}")

    await page.get_by_role("link", name="【参加登録完了】新しいお知らせ").first.click()
    # The click only starts the navigation; measure the message page once it has loaded.
    await page.wait_for_url("**/dev/mail/*")
    await page.wait_for_load_state()
    assert await overflow(page) == 0
    await screenshot(page, f"dev-mail-message-{width}")
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="invite.ics").click()
    download = await download_info.value
    path = await download.path()
    [event] = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8")).events
    assert event.summary == "第3回 情報交換会"

    await page.get_by_role("link", name=f"{live_server}/sessions/{session.id}").click()
    await page.wait_for_url(f"**/sessions/{session.id}")
    assert await page.locator("h1").inner_text() == session.title
