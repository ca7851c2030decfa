"""A fact check that reaches people: who was mailed, who needs their link, and the draft link."""

from __future__ import annotations

from playwright.async_api import Page

from events.invitations.invitations import link_of
from tests.browser.conftest import BROWSER, overflow, screenshot, sign_in_page
from tests.factories import PASSWORD, held_seed_session, invitation_nonces, make_organizer

pytestmark = BROWSER


async def test_fact_check_request_lists_each_municipality_with_its_draft_link(
    sized_page: Page, live_server: str
) -> None:
    page = sized_page
    width = page.viewport_size["width"] if page.viewport_size else 0
    organizer = await make_organizer()
    session, _ = await held_seed_session(organizer, codes=("330001", "331007"))
    nonces = await invitation_nonces(
        session.id, contact=("330001", "kikaku@pref.okayama.example.lg.jp")
    )
    await sign_in_page(page, organizer.email, PASSWORD)
    await page.goto(f"/organizer/sessions/{session.id}/report")
    await page.get_by_role("button", name="レポートの案を作成").click()
    await page.get_by_role("button", name="参加自治体に内容確認を依頼する").click()

    notice = await page.locator(".notice[role=status]").inner_text()
    assert "メールで依頼: 1団体　連絡先がなくメールを送れない: 1団体" in notice
    table = page.get_by_role("table", name="内容確認の依頼先")
    link_331007 = await table.get_by_label("岡山県岡山市の確認用リンク").input_value()
    assert link_331007 == f"{link_of(nonces['331007'])}/report"
    assert await overflow(page) == 0
    await screenshot(page, f"fact-check-organizer-{width}")

    # The coordinator's own page leads to the draft while the check is open.
    await page.goto(link_331007.removeprefix("http://tsunagu.test").removesuffix("/report"))
    await page.get_by_role("link", name="レポートの案を確認する").click()
    await page.wait_for_load_state()
    assert page.url == f"{live_server}{link_331007.removeprefix('http://tsunagu.test')}"
    assert await overflow(page) == 0
