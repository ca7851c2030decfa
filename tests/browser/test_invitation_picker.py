"""The invitation picker's count of chosen municipalities follows the boxes as they are ticked;
without JavaScript it is not shown, as it could not follow them."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import BROWSER, sign_in_page
from tests.factories import PASSWORD, make_organizer, make_session

pytestmark = BROWSER


async def _picker(page: Page, *, english: bool = False) -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    if english:
        await page.goto("/login")
        await page.get_by_label("E-mail address").fill(organizer.email)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url("**/organizer")
    else:
        await sign_in_page(page, organizer.email, PASSWORD)
    await page.goto(f"/organizer/sessions/{session.id}/invitations")


async def test_the_count_follows_the_ticked_boxes(page: Page) -> None:
    await _picker(page)
    count = page.get_by_role("status").filter(has_text="団体を選んでいます")
    boxes = page.locator('input[type="checkbox"][name="code"]')
    region = await boxes.count()
    assert region > 2
    await expect(count).to_have_text(f"{region}団体を選んでいます。")

    await page.get_by_role("button", name="すべて外す").click()
    await expect(count).to_have_text("0団体を選んでいます。")
    await page.get_by_label("岡山県岡山市", exact=True).check()
    await expect(count).to_have_text("1団体を選んでいます。")
    await page.get_by_label("広島県広島市", exact=True).check()
    await expect(count).to_have_text("2団体を選んでいます。")
    await page.get_by_label("岡山県岡山市", exact=True).uncheck()
    await expect(count).to_have_text("1団体を選んでいます。")


async def test_in_english_one_and_several_read_right(browser: Browser, live_server: str) -> None:
    context = await browser.new_context(base_url=live_server, locale="en-US")
    page = await context.new_page()
    try:
        await _picker(page, english=True)
        await page.get_by_role("button", name="Clear all").click()
        count = page.get_by_role("status").filter(has_text="selected")
        await expect(count).to_have_text("0 municipalities selected.")
        await page.locator('input[type="checkbox"][name="code"]').first.check()
        await expect(count).to_have_text("1 municipality selected.")
    finally:
        await context.close()


async def test_without_javascript_the_count_is_not_shown(
    browser: Browser, live_server: str
) -> None:
    context = await browser.new_context(
        base_url=live_server, locale="ja-JP", java_script_enabled=False
    )
    page = await context.new_page()
    try:
        await _picker(page)
        await expect(page.locator("#picked-count")).to_be_hidden()
        await expect(page.locator('input[type="checkbox"][name="code"]').first).to_be_checked()
    finally:
        await context.close()
