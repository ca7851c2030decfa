"""A visitor finds the history by clicking, on a desktop and a phone, over the demo's data:
home → archive → a report → its session → back, and a municipality's page → its reports.

Screenshots of each step are saved in test-artifacts/screenshots/archive-*.png.
"""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from events.demo.loader import load_demo
from tests.browser.conftest import BROWSER, screenshot

pytestmark = BROWSER

SECOND_REPORT = "【開催レポート】中四国エリア 庁内デジタル人材育成 情報交換会 第2回"
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


async def _fits(page: Page, width: int) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("device", list(VIEWPORTS))
async def test_visitor_reaches_reports_from_home_and_from_a_municipality(
    browser: Browser, live_server: str, device: str
) -> None:
    await load_demo(lambda line: None)
    viewport = VIEWPORTS[device]
    context = await browser.new_context(base_url=live_server, locale="ja-JP", viewport=viewport)
    page = await context.new_page()
    try:
        await page.goto("/")
        await screenshot(page, f"archive-{device}-1-home")
        await expect(page.get_by_role("link", name="すべての開催レポートを見る")).to_be_visible()
        await (
            page.get_by_role("navigation", name="メインメニュー")
            .get_by_role("link", name="開催レポート")
            .click()
        )
        await expect(page.get_by_role("heading", level=1)).to_have_text("開催レポート")
        await _fits(page, viewport["width"])
        await screenshot(page, f"archive-{device}-2-archive")

        await page.get_by_role("link", name=SECOND_REPORT).first.click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(SECOND_REPORT)
        await _fits(page, viewport["width"])
        await screenshot(page, f"archive-{device}-3-report")
        report_url = page.url

        await page.get_by_role("link", name="この情報交換会のページへ").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("第2回 情報交換会")
        await expect(page.get_by_role("link", name="開催レポートを読む")).to_be_visible()
        await _fits(page, viewport["width"])
        await screenshot(page, f"archive-{device}-4-session")
        await page.go_back()
        assert page.url == report_url
        await expect(page.get_by_role("heading", level=1)).to_have_text(SECOND_REPORT)

        await page.goto("/municipalities/330001")
        await expect(page).to_have_title("岡山県 | つなぐ 自治体情報交換会")
        reports = page.get_by_role("region", name="参加した情報交換会の開催レポート")
        await expect(reports.get_by_role("heading", name="2023年度")).to_be_visible()
        await expect(reports.get_by_role("link")).to_have_count(2)
        await _fits(page, viewport["width"])
        await screenshot(page, f"archive-{device}-5-municipality")
        await reports.get_by_role("link", name=SECOND_REPORT).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(SECOND_REPORT)
    finally:
        await context.close()
