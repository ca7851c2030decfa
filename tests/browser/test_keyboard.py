"""Keyboard-only use of the coordinator registration form, visible focus, errors tied to fields."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page

from events.tables import Attendee
from tests.browser.conftest import BROWSER, screenshot
from tests.factories import discussion_ids, open_session_with_links

pytestmark = BROWSER

# Whether the focused element shows a focus indicator: an outline or a box shadow.
_FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    id: element.id,
    tag: element.tagName.toLowerCase(),
    type: element.getAttribute("type") || "",
    text: (element.textContent || "").trim().slice(0, 40),
    visible: outlined || style.boxShadow !== "none",
    focusVisible: element.matches(":focus-visible"),
  };
}"""

# Every field marked invalid, with the text of the elements its aria-describedby names.
_INVALID_FIELDS = """() => [...document.querySelectorAll('[aria-invalid="true"]')].map(field => ({
  id: field.id,
  labelled: field.labels !== null && field.labels.length > 0,
  described: (field.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean)
    .map(id => document.getElementById(id))
    .map(node => node === null ? null : node.textContent.trim()),
}))"""

# The targets of the error summary's links: each must be an element of the page.
_SUMMARY_TARGETS = """() => [...document.querySelectorAll(".error-summary a[href^='#']")]
  .map(link => [link.getAttribute("href").slice(1), document.getElementById(
    link.getAttribute("href").slice(1)) !== null])"""


async def keyboard_fill(page: Page, actions: dict[str, list[str]], submit_text: str) -> list[Any]:
    """Tab through the page from its top doing `actions` (keys, or text to type) on each field.

    Stops by pressing Enter on the submit button whose text is `submit_text`; returns what was
    focused on the way, each with whether a focus indicator was shown.
    """
    visited: list[Any] = []
    for _ in range(200):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(_FOCUS_SHOWN)
        visited.append(focused)
        if focused["tag"] == "button" and focused["text"] == submit_text:
            async with page.expect_navigation():
                await page.keyboard.press("Enter")
            return visited
        for step in actions.pop(focused["id"], []):
            if step in {"Space", "ArrowDown", "ArrowUp"}:
                await page.keyboard.press(step)
            else:
                await page.keyboard.type(step)
    raise AssertionError(f"the submit button was never reached; focused: {visited}")


async def test_registration_form_can_be_completed_with_the_keyboard_alone(page: Page) -> None:
    _, session, tokens = await open_session_with_links()
    hr, kpi = discussion_ids(session)
    await page.goto(f"/r/{tokens['331007']}")
    actions = {
        "plan_status": ["Space"],  # the first choice of the radio group: 計画策定済
        "attendees-0-name": ["倉敷 太郎"],
        "attendees-0-department": ["企画課"],
        "attendees-0-position": ["ArrowDown"],  # 管理職
        "attendees-0-is_digital_department": ["Space"],
        "attendees-0-email": ["taro@example.lg.jp"],
        "attendees-0-share_contact": ["Space"],
        f"attendees-0-rank-{hr}": ["ArrowDown", "ArrowDown"],  # 第2希望
        f"attendees-0-rank-{kpi}": ["ArrowDown"],  # 第1希望
    }
    visited = await keyboard_fill(page, actions, "参加登録する")
    assert actions == {}, "fields the Tab key never reached"
    await screenshot(page, "keyboard-registration-done")
    assert await page.get_by_role("status").first.inner_text() == (
        "参加登録を受け付けました。\n\n1人に、個人用ページへのリンクをメールでお送りします。"
    )
    [saved] = await Attendee.select().where(Attendee.email == "taro@example.lg.jp")
    assert (saved["name"], saved["department"]) == ("倉敷 太郎", "企画課")
    assert saved["position"] == "manager"
    assert saved["is_digital_department"] and saved["share_contact"]
    assert [item for item in visited if not item["visible"]] == []
    assert all(item["focusVisible"] for item in visited)


async def test_focus_is_visible_on_every_link_and_control_of_a_public_page(page: Page) -> None:
    await page.goto("/sessions")
    visited = []
    for _ in range(40):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(_FOCUS_SHOWN)
        if focused["tag"] == "body":  # past the last control: the page has been walked through
            break
        visited.append(focused)
        if len(visited) == 3:
            await screenshot(page, "keyboard-focus-sessions")
    assert visited[0]["text"] == "本文へ移動"  # the skip link comes first
    assert len(visited) >= 8
    assert [item for item in visited if not item["visible"]] == []


async def test_errors_are_tied_to_their_fields_and_announced(page: Page) -> None:
    _, _, tokens = await open_session_with_links()
    await page.goto(f"/r/{tokens['341002']}")
    await page.get_by_label("氏名").first.fill("倉敷 太郎")
    await page.get_by_label("メールアドレス").first.fill("not an address")
    await page.eval_on_selector("form.delegation-form", "form => { form.noValidate = true; }")
    await page.get_by_role("button", name="参加登録する").click()
    summary = page.get_by_role("alert")
    await summary.wait_for()
    await screenshot(page, "keyboard-errors-tied")
    assert "保存できませんでした" in await summary.inner_text()
    invalid = await page.evaluate(_INVALID_FIELDS)
    by_id = {field["id"]: field for field in invalid}
    assert by_id["attendees-0-email"]["described"] == [
        "参加者 1 のメールアドレスの形式が正しくありません。"
    ]
    assert by_id["attendees-0-department"]["described"] == ["参加者 1 の所属を入力してください。"]
    assert all(field["labelled"] and field["described"] for field in invalid)
    assert all(text for field in invalid for text in field["described"])
    targets = await page.evaluate(_SUMMARY_TARGETS)
    assert targets and all(found for _, found in targets)
    # Following a link of the summary by keyboard puts the focus on the field to correct.
    await page.locator(".error-summary a[href='#attendees-0-email']").focus()
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "attendees-0-email"
