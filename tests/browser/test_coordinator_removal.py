"""The coordinator removes one attendee after confirming, sees them as 取消済 and restores them."""

from __future__ import annotations

import re

from playwright.async_api import Page

from events.invitations.invitations import access_by_token
from events.tables import Attendee
from tests.browser.conftest import BROWSER, overflow, screenshot
from tests.factories import attendee_token, open_session_with_links, person, register_delegation

pytestmark = BROWSER
# A long address must wrap inside its card on a phone, not widen the page.
LONG_EMAIL = "hanako.okayama.jinji@pref.okayama.example.lg.jp"


async def test_remove_asks_first_then_lists_the_person_as_removed_until_restored(
    sized_page: Page,
) -> None:
    page = sized_page
    width = page.viewport_size["width"] if page.viewport_size else 0
    _, _, tokens = await open_session_with_links()
    token = tokens["330001"]
    await register_delegation(
        await access_by_token(token),
        person(1, "330001", name="岡山 一郎"),
        person(
            2, "330001", name="岡山 花子", email="hanako.okayama.jinji@pref.okayama.example.lg.jp"
        ),
    )
    hanako = await Attendee.select().where(Attendee.name == "岡山 花子").first()
    assert hanako is not None

    await page.goto(f"/r/{token}")
    assert await page.locator(".required").count() == 5 * 3 - 3 + 1  # plan + 4 per empty row
    assert await overflow(page) == 0
    await screenshot(page, f"coordinator-page-{width}")
    await page.get_by_role("link", name=re.compile("取り消す.*岡山 花子")).click()
    assert "岡山 花子様（デジタル推進課）の参加登録を取り消します。" in await page.inner_text(
        "main"
    )
    await page.get_by_role("button", name="この参加者を取り消す").click()

    assert "参加者1人の登録を取り消しました。" in await page.locator(".notice").first.inner_text()
    row = page.locator("tr.removed")
    assert "取消済" in await row.inner_text()
    assert await overflow(page) == 0
    await screenshot(page, f"coordinator-removed-{width}")

    await page.goto(f"/a/{attendee_token(hanako)}")
    assert "参加登録は取り消されました。" in await page.inner_text("main")

    await page.goto(f"/r/{token}")
    await page.get_by_role("button", name=re.compile("元に戻す.*岡山 花子")).click()
    assert "参加者1人の登録を元に戻しました。" in await page.locator(".notice").first.inner_text()
    assert await page.locator("tr.removed").count() == 0
