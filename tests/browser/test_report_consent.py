"""The coordinator ticks the report consent, withdraws it after the deadline, and the published
report version says the consent changed since."""

from __future__ import annotations

from playwright.async_api import Page

from events.registrations.coordinator_consent import change_report_consent
from events.reports.drafts import generate_report
from events.reports.publishing import publish
from events.sessions.lifecycle import Transition
from events.sessions.transitions import apply
from events.tables import Registration
from tests.browser.conftest import BROWSER, overflow, screenshot
from tests.factories import held_seed_session, make_organizer, open_session_with_links

pytestmark = BROWSER
CONSENT = "情報共有の内容を、自治体名を記して開催レポートに掲載することに同意します"


async def consent_stored() -> bool:
    row = await Registration.select(Registration.report_consent).first()
    assert row is not None
    return bool(row["report_consent"])


async def test_consent_ticked_in_the_form_then_withdrawn_after_the_deadline(
    sized_page: Page,
) -> None:
    page = sized_page
    width = page.viewport_size["width"] if page.viewport_size else 0
    organizer, session, tokens = await open_session_with_links()
    token = tokens["330001"]
    await page.goto(f"/r/{token}")
    await page.get_by_label("計画策定済").check()
    await page.locator("#attendees-0-name").fill("岡山 一郎")
    await page.locator("#attendees-0-department").fill("デジタル推進課")
    await page.locator("#attendees-0-position").select_option("staff")
    await page.locator("#attendees-0-email").fill("ichiro@pref.okayama.example.lg.jp")
    consent = page.get_by_label(CONSENT)
    assert not await consent.is_checked()
    await consent.scroll_into_view_if_needed()
    await consent.check()
    assert await overflow(page) == 0
    await screenshot(page, f"report-consent-form-{width}", full_page=False)
    await page.get_by_role("button", name="参加登録する").click()
    assert "参加登録を受け付けました。" in await page.locator(".notice").first.inner_text()
    assert "開催レポートへの自治体名の掲載：同意する" in await page.inner_text("main")
    assert await consent_stored()

    await apply(organizer, session.id, Transition.CLOSE_REGISTRATION)
    await page.goto(f"/r/{token}")
    await page.get_by_label(CONSENT).uncheck()
    await page.get_by_role("button", name="同意の内容を保存する").click()
    notice = await page.locator(".notice").first.inner_text()
    assert "同意の内容を変更しました。" in notice
    assert not await consent_stored()
    assert await overflow(page) == 0
    await screenshot(page, f"report-consent-after-deadline-{width}")


async def test_a_version_published_before_the_withdrawal_says_so(sized_page: Page) -> None:
    page = sized_page
    width = page.viewport_size["width"] if page.viewport_size else 0
    organizer = await make_organizer()
    session, accesses = await held_seed_session(organizer)
    await change_report_consent(accesses["330001"], True)
    draft = await generate_report(organizer, session.id)
    await publish(organizer, draft.id)
    await change_report_consent(accesses["330001"], False)
    await page.goto(f"/reports/{draft.id}/v1")
    note = await page.locator(".report-consent-changed").inner_text()
    assert "この版の公開後に、自治体名の掲載への同意が変更されています。" in note
    assert "岡山県では、" in await page.inner_text("main")
    assert await overflow(page) == 0
    await screenshot(page, f"report-consent-note-{width}", full_page=False)
