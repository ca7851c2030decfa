"""The organizer moves an invited municipality up without JavaScript; the public page follows."""

from __future__ import annotations

import re

from playwright.async_api import Page

from tests.browser.conftest import BROWSER, overflow, screenshot, sign_in_page
from tests.factories import PASSWORD, make_organizer, published_session, register_delegation

pytestmark = BROWSER


async def test_move_up_reorders_the_invited_and_the_public_page(sized_page: Page) -> None:
    page = sized_page
    width = page.viewport_size["width"] if page.viewport_size else 0
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, ("320005", "330001", "341002"))
    for access in accesses.values():
        await register_delegation(access)
    await sign_in_page(page, organizer.email, PASSWORD)
    await page.goto(f"/organizer/sessions/{session.id}/invitations")
    await screenshot(page, f"invitations-order-{width}", full_page=False)
    wide = await page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id)"
    )
    assert await overflow(page) == 0, wide

    await page.get_by_role("button", name=re.compile("上へ.*岡山県")).click()
    assert "順番を変えました。" in await page.get_by_role("status").first.inner_text()
    rows = page.get_by_role("table").first.locator("tbody tr")
    assert "岡山県" in await rows.nth(0).inner_text()
    assert "島根県" in await rows.nth(1).inner_text()
    assert await overflow(page) == 0
    await screenshot(page, f"invitations-order-moved-{width}", full_page=False)
    await page.locator("#prefecture-33").scroll_into_view_if_needed()
    await screenshot(page, f"invitations-picker-order-field-{width}", full_page=False)

    await page.goto(f"/sessions/{session.id}")
    assert "3団体: 岡山県・島根県・広島県広島市" in await page.inner_text("main")

    # The session's history names who moved it and who registered, never a stored reference.
    await page.goto(f"/organizer/sessions/{session.id}")
    history = await page.get_by_role("region", name="変更履歴").inner_text()
    assert "招待した自治体の並べ替え" in history
    assert "広島県広島市 取りまとめ担当" in history and "organizer:" not in history
    await screenshot(page, f"session-history-{width}")
    assert await overflow(page) == 0
