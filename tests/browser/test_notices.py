"""Notices say what happened: registered, changed or cancelled, and who is being mailed."""

from __future__ import annotations

from playwright.async_api import Page, Route, expect

from events.tables import Attendee, OutboxMessage
from tests.browser.conftest import BROWSER, overflow, screenshot, sign_in_page
from tests.factories import PASSWORD, open_session_with_links

pytestmark = BROWSER


async def fill_attendee(page: Page, index: int, name: str, email: str) -> None:
    prefix = f"#attendees-{index}"
    await page.locator(f"{prefix}-name").fill(name)
    await page.locator(f"{prefix}-department").fill("デジタル推進課")
    await page.locator(f"{prefix}-position").select_option("staff")
    await page.locator(f"{prefix}-email").fill(email)


async def expect_notice(page: Page, lines: list[str]) -> None:
    """The notice of the page the last click led to: retried until it shows, since the click
    returns before the next page has loaded."""
    await expect(page.locator(".notice[role=status] p")).to_have_text(lines)


async def test_coordinator_notices_say_what_happened_and_who_gets_mail(sized_page: Page) -> None:
    page = sized_page
    organizer, session, tokens = await open_session_with_links()
    token = tokens["330001"]
    await page.goto(f"/r/{token}")
    await page.locator("#plan_status").check()
    await fill_attendee(page, 0, "岡山 一郎", "ichiro@pref.okayama.example.lg.jp")
    await fill_attendee(page, 1, "岡山 花子", "hanako@pref.okayama.example.lg.jp")
    await page.get_by_role("button", name="参加登録する").click()
    await expect_notice(
        page,
        [
            "参加登録を受け付けました。",
            "2人に、個人用ページへのリンクをメールでお送りします。",
        ],
    )
    assert await overflow(page) == 0

    await page.locator("#attendees-0-department").fill("人事課")
    await page.get_by_role("button", name="変更を保存する").click()
    await expect_notice(
        page,
        [
            "登録内容を変更しました。",
            "この変更で参加者に送られるメールはありません。",
        ],
    )

    await page.get_by_role("link", name="参加登録を取り消す").click()
    await page.get_by_role("button", name="参加登録を取り消す").click()
    await expect_notice(
        page,
        [
            "参加登録を取り消しました。",
            "2人に、参加取消のお知らせをメールでお送りします。",
        ],
    )
    width = page.viewport_size["width"] if page.viewport_size else 0
    await screenshot(page, f"notices-coordinator-{width}")

    await sign_in_page(page, organizer.email, PASSWORD)
    await page.goto(f"/organizer/sessions/{session.id}/mail")
    facts = await page.locator("section[aria-labelledby=status-heading] dl").inner_text()
    # No worker ran; the two cancellations replaced the confirmations still waiting.
    pending = await OutboxMessage.count().where(
        OutboxMessage.topic_key == f"session:{session.id}", OutboxMessage.status == "pending"
    )
    assert pending == 2
    assert "送信待ち\n2通" in facts
    assert "送信済み\n0通" in facts
    assert await overflow(page) == 0
    await screenshot(page, f"notices-organizer-mail-{width}")


async def test_a_registration_whose_answer_was_lost_says_it_is_registered(
    sized_page: Page,
) -> None:
    """The first answer never reaches the browser (the connection broke after the server
    stored the registration), and the same form goes again: no error, one registration."""
    page = sized_page
    _, _, tokens = await open_session_with_links()
    token = tokens["330001"]
    lost: list[int] = []

    async def lose_the_first_answer(route: Route) -> None:
        if route.request.method == "POST" and not lost:
            lost.append((await route.fetch(max_redirects=0)).status)
        await route.continue_()

    await page.route(f"**/r/{token}", lose_the_first_answer)
    await page.goto(f"/r/{token}")
    await page.locator("#plan_status").check()
    await fill_attendee(page, 0, "岡山 一郎", "ichiro@pref.okayama.example.lg.jp")
    await page.get_by_role("button", name="参加登録する").click()
    assert lost == [303]
    await expect_notice(
        page,
        [
            "この内容で参加登録済みです。同じ内容が再度送信されたため、登録は変えていません。",
            "参加者へのメールは改めて送っていません。",
        ],
    )
    assert await Attendee.count() == 1
    assert await OutboxMessage.count().where(OutboxMessage.kind == "confirmation") == 1
    assert await overflow(page) == 0
    width = page.viewport_size["width"] if page.viewport_size else 0
    await screenshot(page, f"notices-coordinator-repeated-{width}")
