"""An attendee ticks the quoting consent on the survey; the published report quotes them."""

from __future__ import annotations

from playwright.async_api import Page

from events.reports.drafts import generate_report
from events.reports.publishing import publish
from events.surveys.surveys import open_survey
from events.tables import SurveyResponse
from tests.browser.conftest import BROWSER, overflow, screenshot, sign_in_page
from tests.factories import PASSWORD, attendee_token, held_session_with_people, make_organizer

pytestmark = BROWSER
CONSENT = "自由記述の回答を、氏名・自治体名を伏せて開催レポートに掲載してよい"
COMMENT = "他県の育成方針の作り方が具体的で、<b>すぐに</b>参考にできました。"


async def test_survey_tick_then_the_quote_in_the_published_report(sized_page: Page) -> None:
    page = sized_page
    width = page.viewport_size["width"] if page.viewport_size else 0
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    await open_survey(organizer, session.id)

    await page.goto(f"/a/{attendee_token(people[0])}/survey")
    await page.get_by_label("とても役に立った").check()
    await page.get_by_label("とても深まった").check()
    for part in ("参加前", "参加後"):
        group = page.get_by_role("group", name=part, exact=True)
        await group.get_by_label("どちらともいえない").check()
    await page.get_by_label("ご意見・ご感想があればお書きください。").fill(COMMENT)
    consent = page.get_by_label(CONSENT)
    assert not await consent.is_checked()
    await consent.check()
    await consent.scroll_into_view_if_needed()
    assert await overflow(page) == 0
    await screenshot(page, f"survey-quote-consent-{width}", full_page=False)
    await page.get_by_role("button", name="回答を送信する").click()
    assert "ご回答ありがとうございました。" in await page.locator(".notice").first.inner_text()
    assert [r["quote_consent"] for r in await SurveyResponse.select()] == [True]

    draft = await generate_report(organizer, session.id)
    await sign_in_page(page, organizer.email, PASSWORD)
    await page.goto(f"/organizer/sessions/{session.id}/report")
    editor = page.locator("#edit-voices")
    assert f"- 「{COMMENT}」" in await editor.locator("textarea").input_value()
    await editor.scroll_into_view_if_needed()
    assert await overflow(page) == 0
    await screenshot(page, f"report-voices-editor-{width}", full_page=False)
    await publish(organizer, draft.id)
    await page.goto(f"/reports/{draft.id}/v1")
    voices = page.locator("#block-voices")
    assert f"「{COMMENT}」" in await voices.inner_text()
    assert await voices.locator("b").count() == 0
    await voices.scroll_into_view_if_needed()
    assert await overflow(page) == 0
    await screenshot(page, f"report-voices-{width}", full_page=False)
