"""axe-core on every public page and every form: no serious or critical violations.

Each test visits its pages in one browser context, saves a screenshot of each under
test-artifacts/screenshots and reports every page's findings at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.async_api import Browser, Page

from events.accounts.organizers import OrganizerIdentity
from events.board.access import member_by_token
from events.board.mail import subscription, unsubscribe_link
from events.board.posts import QuestionInput, ask
from events.date_polls.queries import recipients_of
from events.invitations.invitations import access_by_token
from events.lib.i18n import use_locale
from tests.browser.conftest import BROWSER, blocking_violations, screenshot
from tests.factories import (
    PASSWORD,
    attendee_token,
    board_world,
    delegation,
    held_session,
    make_poll,
    make_series,
    open_session_with_links,
    person,
    register_delegation,
)

pytestmark = BROWSER


@dataclass
class Scene:
    """A published session with one municipality registered, a poll and a held session."""

    organizer: OrganizerIdentity
    session_id: int
    series_id: int
    coordinator_tokens: dict[str, str]
    attendee_token: str
    poll_id: int
    poll_path: str


@pytest.fixture
async def scene() -> Scene:
    organizer, session, tokens = await open_session_with_links()
    access = await access_by_token(tokens["330001"])
    attendees = await register_delegation(
        access, person(1, "330001", share_contact=True), person(2, "330001")
    )
    await held_session(
        organizer,
        {code: delegation(person(1, code)) for code in ("331007", "341002")},
        days_ahead=60,
    )
    series_id = (await make_series(organizer))["id"]
    poll = await make_poll(organizer, series_id=series_id)
    [recipient, *_] = await recipients_of(poll.id)
    return Scene(
        organizer=organizer,
        session_id=session.id,
        series_id=series_id,
        coordinator_tokens=tokens,
        attendee_token=attendee_token(attendees[0]),
        poll_id=poll.id,
        poll_path=recipient.link.removeprefix("http://tsunagu.test"),
    )


async def sign_in(page: Page, organizer: OrganizerIdentity) -> None:
    await page.goto("/login")
    await page.get_by_label("メールアドレス").fill(organizer.email)
    await page.get_by_label("パスワード").fill(PASSWORD)
    await page.get_by_role("button", name="サインイン").click()
    await page.wait_for_url("**/organizer")


async def audit(page: Page, pages: dict[str, str], prefix: str) -> dict[str, list[str]]:
    """Open each page, screenshot it and collect its serious and critical violations."""
    found = {}
    for name, path in pages.items():
        response = await page.goto(path)
        assert response is not None, path
        assert response.status < 500, path
        await screenshot(page, f"{prefix}-{name}")
        found[path] = await blocking_violations(page)
    return {path: problems for path, problems in found.items() if problems}


async def test_public_pages(page: Page, scene: Scene) -> None:
    session = f"/sessions/{scene.session_id}"
    pages = {
        "home": "/",
        "sessions": "/sessions",
        "session": session,
        "join-request-form": f"{session}/join",
        "municipalities": "/municipalities",
        "municipality-search": "/municipalities?q=おかやま",
        "municipality": "/municipalities/330001",
        "municipality-network": "/municipalities/331007/network",
        "region-network": "/regions/chushikoku/network",
        "sign-in": "/login",
        "not-found": "/no-such-page",
    }
    assert await audit(page, pages, "public") == {}


async def test_public_pages_in_english(browser: Browser, live_server: str, scene: Scene) -> None:
    context = await browser.new_context(base_url=live_server, locale="en-GB")
    english = await context.new_page()
    pages = {
        "home": "/",
        "session": f"/sessions/{scene.session_id}",
        "municipalities": "/municipalities",
        "region-network": "/regions/chushikoku/network",
    }
    try:
        assert await audit(english, pages, "english") == {}
        assert await english.get_attribute("html", "lang") == "en"
    finally:
        await context.close()


async def test_personal_pages_and_their_forms(page: Page, scene: Scene) -> None:
    coordinator = f"/r/{scene.coordinator_tokens['330001']}"
    pages = {
        "coordinator-registration-form": f"/r/{scene.coordinator_tokens['331007']}",
        "coordinator-registered": coordinator,
        "coordinator-cancel": f"{coordinator}/cancel",
        "attendee": f"/a/{scene.attendee_token}",
        "attendee-contacts": f"/a/{scene.attendee_token}/contacts",
        "poll-answer-form": scene.poll_path,
    }
    assert await audit(page, pages, "personal") == {}


async def test_organizer_pages_and_forms(page: Page, scene: Scene) -> None:
    await sign_in(page, scene.organizer)
    session = f"/organizer/sessions/{scene.session_id}"
    pages = {
        "dashboard": "/organizer",
        "series": "/organizer/series",
        "series-form": "/organizer/series/new",
        "session-form": f"/organizer/sessions/new?series={scene.series_id}",
        "session": session,
        "session-edit-form": f"{session}/edit",
        "session-cancel-form": f"{session}/status/cancel",
        "invitation-picker": f"{session}/invitations",
        "registrations": f"{session}/registrations",
        "join-requests": f"{session}/join-requests",
        "groups": f"{session}/groups",
        "participation": "/organizer/municipalities/331007/participation",
        "polls": "/organizer/polls",
        "poll-form": "/organizer/polls/new",
        "poll": f"/organizer/polls/{scene.poll_id}",
    }
    assert await audit(page, pages, "organizer") == {}


async def test_forms_showing_errors(page: Page, scene: Scene) -> None:
    """Refused forms: the error summary and the fields marked invalid pass axe too."""
    found: dict[str, list[str]] = {}
    await page.goto("/login")
    await page.get_by_label("メールアドレス").fill(scene.organizer.email)
    await page.get_by_label("パスワード").fill("wrong password")
    await page.get_by_role("button", name="サインイン").click()
    await page.wait_for_selector(".error-summary")
    await screenshot(page, "errors-sign-in")
    found["sign-in"] = await blocking_violations(page)

    await page.goto(f"/r/{scene.coordinator_tokens['331007']}")
    await page.get_by_role("button", name="参加登録する").click()
    await page.wait_for_selector(".error-summary")
    await screenshot(page, "errors-coordinator-registration")
    found["coordinator"] = await blocking_violations(page)

    await page.goto(scene.poll_path)
    await page.get_by_role("button", name="回答を送信する").click()
    await page.wait_for_selector(".error-summary")
    await screenshot(page, "errors-poll-answer")
    found["poll-answer"] = await blocking_violations(page)

    await sign_in(page, scene.organizer)
    await page.goto(f"/organizer/sessions/new?series={scene.series_id}")
    # What an old browser sends without checking `required`: the server's errors must show.
    await page.eval_on_selector("form.session-form", "form => { form.noValidate = true; }")
    await page.get_by_role("button", name="保存", exact=True).last.click()
    await page.wait_for_selector(".error-summary")
    await screenshot(page, "errors-session-form")
    found["session-form"] = await blocking_violations(page)
    assert {name: problems for name, problems in found.items() if problems} == {}


async def test_english_attendee_page(browser: Browser, live_server: str, scene: Scene) -> None:
    """A page of an attendee who registered in English, seen with an English browser."""
    with use_locale("en"):
        access = await access_by_token(scene.coordinator_tokens["341002"])
        [attendee] = await register_delegation(access, person(1, "341002", name="Ken Mori"))
    context = await browser.new_context(base_url=live_server, locale="en-US")
    english = await context.new_page()
    try:
        assert await audit(english, {"attendee": f"/a/{attendee_token(attendee)}"}, "en") == {}
    finally:
        await context.close()


async def test_axe_finds_a_field_without_a_label(page: Page) -> None:
    """The check itself works: taking the e-mail field's label away is a serious violation."""
    await page.goto("/login")
    assert await blocking_violations(page) == []
    await page.evaluate("document.querySelector('label[for=email]').remove()")
    assert [line for line in await blocking_violations(page) if line.startswith("label ")]


async def test_language_switcher_works_without_javascript(
    browser: Browser, live_server: str
) -> None:
    """A plain link: English is remembered across pages, and the page keeps its query."""
    context = await browser.new_context(
        base_url=live_server, locale="ja-JP", java_script_enabled=False
    )
    page = await context.new_page()
    try:
        await page.goto("/municipalities?q=おかやま")
        assert await page.get_attribute("html", "lang") == "ja"
        switcher = page.get_by_role("navigation", name="表示言語")
        await switcher.get_by_role("link", name="English").click()
        await page.wait_for_url("**/municipalities?q=*")
        assert await page.get_attribute("html", "lang") == "en"
        assert await page.input_value("input[name=q]") == "おかやま"
        await page.get_by_role("link", name="Exchange sessions", exact=True).click()
        await page.wait_for_url("**/sessions")
        assert await page.get_by_role("heading", level=1).inner_text() == "Exchange sessions"
        await screenshot(page, "english-switched-sessions")
        language = page.get_by_role("navigation", name="Language")
        assert await language.locator("[aria-current=true]").inner_text() == "English"
        await language.get_by_role("link", name="日本語").click()
        await page.wait_for_url("**/sessions")
        assert await page.get_attribute("html", "lang") == "ja"
    finally:
        await context.close()


async def test_pages_after_submitting_forms(page: Page, scene: Scene) -> None:
    """What a form leads to: the join request receipt, the invitation links, the saved answer."""
    found: dict[str, list[str]] = {}
    await page.goto(f"/sessions/{scene.session_id}/join")
    await page.get_by_label("自治体", exact=True).select_option("342025")  # 呉市, not invited
    await page.get_by_label("ご担当者のメールアドレス").fill("kikaku@example.lg.jp")
    await page.get_by_role("button", name="参加を希望する").click()
    await page.get_by_role("heading", name="参加希望を受け付けました").wait_for()
    await screenshot(page, "after-join-request")
    found["join-request-sent"] = await blocking_violations(page)

    await page.goto(scene.poll_path)
    for radio in await page.locator("input[type=radio][value=yes]").all():
        await radio.check()
    await page.get_by_role("button", name="回答を送信する").click()
    await page.get_by_text("回答を保存しました。").wait_for()
    await screenshot(page, "after-poll-answer")
    found["poll-answered"] = await blocking_violations(page)

    await sign_in(page, scene.organizer)
    await page.goto(f"/organizer/sessions/{scene.session_id}/invitations")
    await page.get_by_role("button", name="選んだ自治体を招待してリンクを発行").click()
    await page.get_by_role("heading", name="招待リンク").first.wait_for()
    await screenshot(page, "after-invitations")
    found["invitation-links"] = await blocking_violations(page)
    assert {name: problems for name, problems in found.items() if problems} == {}


async def test_public_pages_on_a_phone(browser: Browser, live_server: str, scene: Scene) -> None:
    context = await browser.new_context(
        base_url=live_server,
        locale="ja-JP",
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    phone = await context.new_page()
    pages = {
        "home": "/",
        "session": f"/sessions/{scene.session_id}",
        "coordinator-registration-form": f"/r/{scene.coordinator_tokens['331007']}",
        "poll-answer-form": scene.poll_path,
    }
    try:
        assert await audit(phone, pages, "phone") == {}
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert await phone.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        await context.close()


async def test_organizer_pages_in_english(browser: Browser, live_server: str, scene: Scene) -> None:
    context = await browser.new_context(base_url=live_server, locale="en-US")
    english = await context.new_page()
    try:
        await english.goto("/login")
        await english.get_by_label("E-mail address").fill(scene.organizer.email)
        await english.get_by_label("Password").fill(PASSWORD)
        await english.get_by_role("button", name="Sign in").click()
        await english.wait_for_url("**/organizer")
        session = f"/organizer/sessions/{scene.session_id}"
        pages = {
            "dashboard": "/organizer",
            "session": session,
            "session-form": f"{session}/edit",
            "invitation-picker": f"{session}/invitations",
            "poll": f"/organizer/polls/{scene.poll_id}",
        }
        assert await audit(english, pages, "english-organizer") == {}
    finally:
        await context.close()


async def test_consultation_board_pages_and_forms(page: Page) -> None:
    world = await board_world()
    token = world.tokens["331007"]
    member = await member_by_token(token)
    question_id = await ask(
        member, QuestionInput(title="研修受講歴の管理", body="受講歴の管理方法を教えてください。")
    )
    board = f"/a/{token}/board"
    pages = {
        "index": board,
        "ask-form": f"{board}/ask",
        "question-with-answer-form": f"{board}/questions/{question_id}",
        "unsubscribe": unsubscribe_link(await subscription(member.email)).removeprefix(
            "http://tsunagu.test"
        ),
    }
    found = await audit(page, pages, "board")
    await sign_in(page, world.organizer)
    organizer = f"/organizer/series/{world.series_id}/board"
    organizer_pages = {
        "organizer": organizer,
        "organizer-question": f"{organizer}/questions/{question_id}",
    }
    found |= await audit(page, organizer_pages, "board")
    assert found == {}
