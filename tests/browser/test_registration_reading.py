"""The coordinator types a よみがな: kanji is refused beside the field, kana is kept."""

from __future__ import annotations

from playwright.async_api import Page

from events.tables import Attendee
from tests.browser.conftest import BROWSER, overflow, screenshot
from tests.factories import open_session_with_links

pytestmark = BROWSER
NOT_KANA = "参加者 1 のよみがなは、ひらがなかカタカナで入力してください（空白と「ー」も使えます）。"


async def test_reading_refused_in_kanji_then_kept_in_kana(sized_page: Page) -> None:
    page = sized_page
    width = page.viewport_size["width"] if page.viewport_size else 0
    _, _, tokens = await open_session_with_links()
    await page.goto(f"/r/{tokens['330001']}")
    await page.get_by_label("計画策定済").check()
    await page.locator("#attendees-0-name").fill("岡山 花子")
    await page.locator("#attendees-0-reading").fill("岡山 花子")
    await page.locator("#attendees-0-department").fill("デジタル推進課")
    await page.locator("#attendees-0-position").select_option("staff")
    await page.locator("#attendees-0-email").fill("hanako@pref.okayama.example.lg.jp")
    await page.get_by_role("button", name="参加登録する").click()

    assert NOT_KANA in await page.locator(".error-summary").inner_text()
    assert NOT_KANA in await page.locator("#attendees-0-reading-error").inner_text()
    assert await Attendee.count() == 0
    await page.locator("#attendees-0-reading").scroll_into_view_if_needed()
    assert await overflow(page) == 0
    await screenshot(page, f"registration-reading-refused-{width}", full_page=False)

    await page.locator("#attendees-0-reading").fill("おかやま はなこ")
    await page.get_by_role("button", name="参加登録する").click()
    assert "参加登録を受け付けました。" in await page.locator(".notice").first.inner_text()
    assert await Attendee.select(Attendee.reading) == [{"reading": "おかやま はなこ"}]
    assert "おかやま はなこ" in await page.locator("#delegation-heading + dl + table").inner_text()
    assert await overflow(page) == 0
    await screenshot(page, f"registration-reading-kept-{width}")
