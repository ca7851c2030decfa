"""The whole cycle through the UI in a real browser, as each user: organizer, coordinators,
attendees and an anonymous visitor, in Japanese on a desktop and a phone, and a shorter pass in
English chosen with the language switcher.

Controls are found by their role and accessible name (get_by_role, get_by_label), so the journey
also checks that every control it uses is labelled. Links that reach people by mail are read
from the outbox in the database, as the mail would carry them. A screenshot of each step is
saved in test-artifacts/screenshots/journey-*.png.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import anyio
import icalendar
import pytest
from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, expect
from pypdf import PdfReader

from events.calendars.entries import calendar_entry
from events.reports import pdf as report_pdf
from events.sessions.exchange_sessions import get_session
from events.tables import ExchangeSession, OutboxMessage
from tests.browser.conftest import BROWSER, screenshot
from tests.factories import PASSWORD, future_weekday, make_organizer, open_session_with_links

pytestmark = BROWSER

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
# Words of the agenda that the report (and so the archive search) must carry.
# The seed session's two discussions, one after the other: everyone joins both, in rounds.
HR_TOPIC = "人材育成計画・人事部門との連携"
TRAINING_TOPIC = "期待される成果・KPI"
SHARING_ITEMS = ("DX推進計画", "DX人材育成計画の概要")
SERIES_TITLE = "中四国エリア 庁内デジタル人材育成 情報交換会"
# The coordinators' addresses typed in the invitation picker: the fact check is mailed there.
CONTACTS = {
    "岡山県岡山市": "dx@city.okayama.example.jp",
    "広島県広島市": "joho@city.hiroshima.example.jp",
}
HR_NOTE = "人事評価にDX研修の受講歴を反映している自治体があり、専門職採用の工夫も共有された。"
TAKEAWAYS = "人事部門とデジタル部門の連携が、育成の成果を業務に活かす鍵になる。"
FACT_CHECK_COMMENT = "岡山市の研修は令和6年度から全職員向けに実施しています。"
_PERSONAL_LINK = re.compile(r"https?://[^\s/]+(/a/[A-Za-z0-9_\-]+)")
_REPORT_LINK = re.compile(r"https?://[^\s/]+(/r/[A-Za-z0-9_\-]+/report)")


@dataclass
class Journey:
    """What one step leaves for the next: ids, personal links, the people's pages."""

    browser: Browser
    base_url: str
    contexts: list[BrowserContext] = field(default_factory=list)
    session_id: int = 0
    session_title: str = ""
    coordinator_links: dict[str, str] = field(default_factory=dict)

    async def page(
        self, *, viewport: ViewportSize = DESKTOP, locale: str = "ja-JP", phone: bool = False
    ) -> Page:
        """A new person: a browser context of their own (own cookies), one page."""
        context = await self.browser.new_context(
            base_url=self.base_url,
            locale=locale,
            viewport=viewport,
            is_mobile=phone,
            has_touch=phone,
            accept_downloads=True,
        )
        context.set_default_timeout(30_000)  # as the page fixture: a CI machine under load is slow
        self.contexts.append(context)
        return await context.new_page()


@pytest.fixture
async def journey(browser: Browser, live_server: str) -> AsyncIterator[Journey]:
    trip = Journey(browser, live_server)
    yield trip
    for context in trip.contexts:
        await context.close()


def path_of(url: str) -> str:
    """A link as mailed (BASE_URL of the tests) opened on the test server instead."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def mailed_link(email: str, pattern: re.Pattern[str] = _PERSONAL_LINK) -> str:
    """The path of the link matching `pattern` in the newest such mail sent to `email`."""
    mails = (
        await OutboxMessage.select(OutboxMessage.text_body)
        .where(OutboxMessage.recipient == email)
        .order_by(OutboxMessage.id, ascending=False)
    )
    for mail in mails:
        found = pattern.search(mail["text_body"])
        if found:
            return found.group(1)
    raise AssertionError(f"no mail to {email} carries a link like {pattern.pattern}")


async def session_uid(session_id: int) -> str:
    """The UID every calendar file of the session carries (updates replace the event by it)."""
    return calendar_entry(await get_session(session_id)).uid


async def expect_history_in_words(organizer: Page, change: str) -> None:
    """The session's history names each change in words, never by its internal key."""
    history = organizer.get_by_role("region", name="変更履歴")
    await expect(history).to_contain_text(change)
    keys = re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", await history.inner_text())
    assert keys == []


async def expect_notice(page: Page, text: str) -> None:
    """The page announces `text` in a status message (a live region)."""
    await expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


async def expect_fits_the_width(page: Page) -> None:
    """Nothing on the page is pushed past the right edge of the window (no sideways scroll)."""
    # A phone widens its layout to overflowing content: compare with the window as configured.
    assert page.viewport_size is not None
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]


async def confirm_and_do(page: Page, link: str, statement: str, button: str, shot: str) -> None:
    """An irreversible step: its link opens a page that says what will happen, and the button
    does nothing until the box is ticked."""
    await page.get_by_role("link", name=link, exact=True).click()
    await expect(page.locator(".notice.warning")).to_contain_text(statement)
    await screenshot(page, shot)
    await page.get_by_role("button", name=button, exact=True).click()
    # The browser refuses to send the form before the box is ticked: still on the question.
    await expect(page.locator(".notice.warning")).to_contain_text(statement)
    await page.get_by_label("上の内容を確認しました").check()
    await page.get_by_role("button", name=button, exact=True).click()


async def sign_in(page: Page, email: str) -> None:
    await page.goto("/login")
    await page.get_by_label("メールアドレス").fill(email)
    await page.get_by_label("パスワード").fill(PASSWORD)
    await page.get_by_role("button", name="サインイン").click()
    await expect(page.get_by_role("link", name="シリーズ", exact=True)).to_be_visible()


async def fill_segment(
    page: Page, number: int, kind: str, title: str, minutes: int, items: tuple[str, ...]
) -> None:
    segment = page.get_by_role("group", name=f"議題 {number}", exact=True)
    await segment.get_by_label("種類").select_option(label=kind)
    await segment.get_by_label("タイトル").fill(title)
    await segment.get_by_label("時間（分）").fill(str(minutes))
    await segment.get_by_label("共有項目・論点（1行に1つ）").fill("\n".join(items))


async def step_1_organizer_schedules_and_invites(trip: Journey, organizer: Page) -> None:
    email = "jimukyoku@example.lg.jp"
    await make_organizer(email, name="中四国DX事務局")
    await sign_in(organizer, email)
    await screenshot(organizer, "journey-01a-organizer-dashboard")

    await organizer.get_by_role("link", name="シリーズ", exact=True).click()
    await organizer.get_by_role("link", name="シリーズを作成").click()
    await organizer.get_by_label("シリーズ名").fill("中四国エリア 庁内デジタル人材育成 情報交換会")
    await organizer.get_by_label("対象地域").select_option(label="中四国")
    await organizer.get_by_label("説明（任意）").fill(
        "DX人材の育成について中四国の自治体が学び合う会"
    )
    await organizer.get_by_role("button", name="作成する").click()

    await expect(organizer.get_by_role("heading", name="情報交換会を作成")).to_be_visible()
    trip.session_title = "第3回 情報交換会"
    day = future_weekday(30).date()
    await organizer.get_by_label("タイトル", exact=True).first.fill(trip.session_title)
    await organizer.get_by_label("開催日").fill(day.isoformat())
    await organizer.get_by_label("開始時刻").fill("14:00")
    await organizer.get_by_label("終了時刻").fill("16:00")
    await organizer.get_by_label("申込締切日").fill((day - dt.timedelta(days=7)).isoformat())
    await organizer.get_by_label("定員（人）").fill("30")
    await organizer.get_by_label("1自治体あたりの上限（人）").fill("3")
    await organizer.get_by_label("会議URL").fill("https://zoom.example.jp/j/123456")
    await organizer.get_by_label("パスコード").fill("tsunagu")
    await organizer.get_by_label("開催の背景").fill(
        "DX人材の確保と育成は各自治体に共通の課題です。"
    )
    # The agenda editor works without JavaScript: "議題を追加" posts the form for one more row.
    await fill_segment(organizer, 1, "情報共有", "各自治体の取組の共有", 40, SHARING_ITEMS)
    await organizer.get_by_role("button", name="議題を追加").click()
    await fill_segment(organizer, 2, "意見交換", HR_TOPIC, 30, ("評価制度への反映", "専門職の採用"))
    await organizer.get_by_role("button", name="議題を追加").click()
    await fill_segment(
        organizer, 3, "意見交換", TRAINING_TOPIC, 30, ("研修後の行動変容", "効果の指標")
    )
    await screenshot(organizer, "journey-01b-organizer-agenda-editor")
    await organizer.get_by_role("button", name="保存", exact=True).last.click()

    await expect_notice(organizer, "下書きとして作成しました")
    trip.session_id = int(organizer.url.split("/organizer/sessions/")[1].split("?")[0])
    agenda = organizer.get_by_role("region", name="次第")
    for text in (*SHARING_ITEMS, HR_TOPIC, TRAINING_TOPIC, "専門職の採用", "効果の指標"):
        await expect(agenda).to_contain_text(text)
    await screenshot(organizer, "journey-01c-organizer-session-draft")

    await organizer.get_by_role("link", name="招待する自治体").click()
    # Every municipality of the region is chosen at first: start from none instead.
    await organizer.get_by_role("button", name="すべて外す").click()
    await expect(organizer.get_by_text("0団体を選んでいます。")).to_be_visible()
    for name, email in CONTACTS.items():
        await organizer.get_by_label(name, exact=True).check()
        await organizer.get_by_label(f"{name}の連絡先メールアドレス（任意）", exact=True).fill(
            email
        )
    # A municipality outside the region comes from a search of the directory.
    await organizer.get_by_label("自治体を検索（名称・よみがな・団体コード）").fill("北九州")
    await organizer.get_by_role("button", name="検索", exact=True).click()
    await expect(organizer.get_by_text("「北九州」の検索結果")).to_be_visible()
    await organizer.get_by_label("福岡県北九州市").check()
    # The picker lists the whole region: the window at the search result tells more.
    await organizer.get_by_text("「北九州」の検索結果").scroll_into_view_if_needed()
    await screenshot(organizer, "journey-01d-organizer-invitation-picker", full_page=False)
    await organizer.get_by_role("button", name="選んだ自治体を招待してリンクを発行").click()

    await expect_notice(organizer, "3団体の招待リンクです。")
    for name in ("岡山県岡山市", "広島県広島市", "福岡県北九州市"):
        link = await organizer.get_by_label(f"{name}の招待リンク").input_value()
        trip.coordinator_links[name] = path_of(link)
    await screenshot(organizer, "journey-01e-organizer-invitation-links")

    await organizer.goto(f"/organizer/sessions/{trip.session_id}")
    await organizer.get_by_role("link", name="公開する", exact=True).click()
    told = "公開すると、招待した2団体の担当者に、参加登録用のリンクをメールでお知らせします。"
    await expect(organizer.locator(".notice.warning")).to_contain_text(told)
    await expect(organizer.locator(".notice.warning")).to_contain_text(
        "連絡先のメールアドレスがない1団体には送られません。"
    )
    await screenshot(organizer, "journey-01f-organizer-publish-question")
    await organizer.set_viewport_size(PHONE)
    await expect_fits_the_width(organizer)
    await screenshot(organizer, "journey-01f-organizer-publish-question-phone")
    await organizer.set_viewport_size(DESKTOP)
    await organizer.get_by_role("button", name="公開する", exact=True).click()
    await expect(organizer.get_by_label("上の内容を確認しました")).to_be_visible()
    assert await ExchangeSession.select(ExchangeSession.status).where(
        ExchangeSession.id == trip.session_id
    ) == [{"status": "draft"}]
    await organizer.get_by_label("上の内容を確認しました").check()
    await organizer.get_by_role("button", name="公開する", exact=True).click()
    await expect_notice(
        organizer,
        "公開しました。招待した2団体の担当者に、参加登録用のリンクをお知らせするメールを送ります（2通）。",
    )
    await expect(organizer.locator(".status")).to_have_text("受付中")
    await screenshot(organizer, "journey-01f-organizer-published")


async def register_delegation(
    coordinator: Page, people: list[dict[str, str]], shot: str, plan: str = "策定中"
) -> None:
    """The coordinator's form: plan status, each attendee, their topic ranks, sharing answers."""
    await coordinator.get_by_label(plan, exact=True).check()
    for number, person in enumerate(people, start=1):
        row = coordinator.get_by_role("group", name=f"参加者 {number}", exact=True)
        await row.get_by_label("氏名", exact=True).fill(person["name"])
        await row.get_by_label("所属", exact=True).fill(person["department"])
        await row.get_by_label("職位", exact=True).select_option(label=person["position"])
        if person.get("digital"):
            await row.get_by_label("DX・デジタル部門に所属している").check()
        await row.get_by_label("メールアドレス", exact=True).fill(person["email"])
        # Consent to share contact details with the other municipalities.
        await row.get_by_label(
            "氏名・所属・メールアドレスを他の参加自治体と共有することに同意する"
        ).check()
        ranks = row.get_by_role("group", name="意見交換テーマの希望順位")
        await ranks.get_by_label(HR_TOPIC).select_option(label=person["hr_rank"])
        await ranks.get_by_label(TRAINING_TOPIC).select_option(label=person["training_rank"])
    sharing = coordinator.get_by_role("group", name="情報共有で共有する内容")
    await sharing.get_by_label(SHARING_ITEMS[0]).fill("令和5年度に策定し、人事評価との連動を検討中")
    await sharing.get_by_label(SHARING_ITEMS[1]).fill("全職員向けの階層別研修と専門人材の採用")
    await screenshot(coordinator, f"{shot}-form")
    await coordinator.get_by_role("button", name="参加登録する").click()
    await expect_notice(coordinator, "参加登録を受け付けました")
    registered = coordinator.get_by_role("region", name="現在の登録内容")
    for person in people:
        await expect(registered).to_contain_text(person["name"])
    await expect_fits_the_width(coordinator)
    await screenshot(coordinator, f"{shot}-registered")


OKAYAMA = [
    {
        "name": "岡山 太郎",
        "department": "デジタル推進課",
        "position": "管理職",
        "digital": "yes",
        "email": "taro@city.okayama.example.jp",
        "hr_rank": "第1希望",
        "training_rank": "第2希望",
    },
    {
        "name": "岡山 花子",
        "department": "人事課",
        "position": "中堅職員",
        "email": "hanako@city.okayama.example.jp",
        "hr_rank": "第2希望",
        "training_rank": "第1希望",
    },
]
HIROSHIMA = [
    {
        "name": "広島 一郎",
        "department": "情報政策課",
        "position": "一般職員",
        "digital": "yes",
        "email": "ichiro@city.hiroshima.example.jp",
        "hr_rank": "第1希望",
        "training_rank": "第2希望",
    },
    {
        "name": "広島 二葉",
        "department": "職員課",
        "position": "中堅職員",
        "email": "futaba@city.hiroshima.example.jp",
        "hr_rank": "第2希望",
        "training_rank": "第1希望",
    },
]


async def step_2_coordinators_register(trip: Journey) -> None:
    desktop = await trip.page()
    await desktop.goto(trip.coordinator_links["岡山県岡山市"])
    await expect(
        desktop.get_by_text("岡山県岡山市 取りまとめご担当者様の専用ページ")
    ).to_be_visible()
    await register_delegation(desktop, OKAYAMA, "journey-02a-coordinator-desktop")

    phone = await trip.page(viewport=PHONE, phone=True)
    await phone.goto(trip.coordinator_links["広島県広島市"])
    await expect(phone.get_by_text("広島県広島市 取りまとめご担当者様の専用ページ")).to_be_visible()
    await expect_fits_the_width(phone)
    await register_delegation(phone, HIROSHIMA, "journey-02b-coordinator-phone", plan="計画策定済")


async def step_3_attendee_downloads_calendar(trip: Journey) -> Page:
    attendee = await trip.page(viewport=PHONE, phone=True)
    await attendee.goto(await mailed_link(OKAYAMA[0]["email"]))
    await expect(attendee.get_by_text("岡山 太郎 様の個人用ページ")).to_be_visible()
    await expect(attendee.get_by_text("参加が確定しています。")).to_be_visible()
    await expect(
        attendee.get_by_role("link", name="https://zoom.example.jp/j/123456")
    ).to_be_visible()
    await expect_fits_the_width(attendee)
    await screenshot(attendee, "journey-03a-attendee-page")

    button = attendee.get_by_role("link", name="カレンダーに追加（.ics）")
    async with attendee.expect_download() as info:
        await button.click()
    download = await info.value
    assert download.suggested_filename == f"tsunagu-session-{trip.session_id}.ics"
    content = await anyio.Path(await download.path()).read_bytes()
    calendar = icalendar.Calendar.from_ical(content)
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == await session_uid(trip.session_id)
    assert str(event["SUMMARY"]).startswith(trip.session_title)
    # The download itself is served as a calendar (a browser download hides the headers).
    response = await attendee.request.get(await button.get_attribute("href") or "")
    assert response.headers["content-type"].startswith("text/calendar")
    return attendee


async def time_passes_until_the_session_ended(session_id: int) -> None:
    """The day of the session comes and goes: only its times move, nothing else changes."""
    ends = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    await ExchangeSession.update(
        {
            ExchangeSession.registration_deadline: ends - dt.timedelta(days=7),
            ExchangeSession.starts_at: ends - dt.timedelta(hours=2),
            ExchangeSession.ends_at: ends,
        }
    ).where(ExchangeSession.id == session_id)


async def step_4_organizer_groups_and_holds(trip: Journey, organizer: Page) -> None:
    await organizer.goto(f"/organizer/sessions/{trip.session_id}")
    await organizer.get_by_role("link", name="討議グループ").click()
    # Two discussions in a row: the session defaults to rounds, everyone in both.
    rounds = organizer.get_by_label("全員がすべての意見交換に参加（グループを入れ替え）")
    await expect(rounds).to_be_checked()
    await organizer.get_by_label("グループの最小人数").fill("2")
    await organizer.get_by_label("グループの最大人数").fill("4")
    await organizer.get_by_role("button", name="割り当てを実行").click()
    result = organizer.get_by_role("region", name="割り当て結果")
    await expect(result).to_be_visible()
    for mark, topic in (("①", HR_TOPIC), ("②", TRAINING_TOPIC)):
        discussion = organizer.get_by_role("region", name=f"{mark} {topic}")
        for person in (*OKAYAMA, *HIROSHIMA):
            cell = discussion.get_by_role("cell", name=person["name"], exact=True)
            await expect(cell).to_be_visible()
    await expect(
        result.get_by_text("前の意見交換と同じ相手が再び同じグループになった組: 0 組")
    ).to_be_visible()
    await expect(result.locator("details summary")).to_have_text("詳細")
    await screenshot(organizer, "journey-04a-organizer-groups-rounds")
    await organizer.set_viewport_size(PHONE)
    await expect_fits_the_width(organizer)
    await screenshot(organizer, "journey-04a-organizer-groups-rounds-phone")
    await organizer.set_viewport_size(DESKTOP)
    await organizer.get_by_role(
        "button", name="確定する（自動割り当てをやり直せなくなります）"
    ).click()
    await expect(organizer.get_by_role("button", name="割り当てを実行")).to_have_count(0)
    await confirm_and_do(
        organizer,
        "公開して参加者に通知する",
        "入ったグループをメールでお知らせします。",
        "公開して参加者に通知する",
        "journey-04a-organizer-groups-publish-question",
    )
    await expect_notice(organizer, "グループを公開しました。")
    await expect(organizer.get_by_role("link", name="公開して参加者に通知する")).to_have_count(0)
    await screenshot(organizer, "journey-04a-organizer-groups-published")

    await time_passes_until_the_session_ended(trip.session_id)
    await organizer.goto(f"/organizer/sessions/{trip.session_id}")
    await confirm_and_do(
        organizer,
        "開催済みにする",
        "取り消せません。",
        "開催済みにする",
        "journey-04b-organizer-mark-held-question",
    )
    await expect_notice(organizer, "開催済みにしました。メールは送っていません。")
    await expect(organizer.locator(".status")).to_have_text("開催済み")
    await expect_history_in_words(organizer, "グループの公開")
    await screenshot(organizer, "journey-04b-organizer-session-held")


async def step_4_organizer_records_notes(trip: Journey, organizer: Page) -> None:
    await organizer.goto(f"/organizer/sessions/{trip.session_id}")
    await organizer.get_by_role("link", name="メモ", exact=True).click()
    hr = organizer.get_by_role("region", name=HR_TOPIC)
    await hr.get_by_label("議論の概要").fill(HR_NOTE)
    await hr.get_by_role("button", name="保存", exact=True).click()
    await expect_notice(organizer, "メモを保存しました。")
    training = organizer.get_by_role("region", name=TRAINING_TOPIC)
    await training.get_by_label("議論の概要").fill("研修後の行動変容を上司の評価で測る例があった。")
    await training.get_by_role("button", name="保存", exact=True).click()
    await expect_notice(organizer, "メモを保存しました。")
    takeaways = organizer.get_by_role("region", name="全体のまとめ")
    await takeaways.get_by_label(
        "さいごに（レポートの結びの言葉になります。書かなければ結びの節は入りません）"
    ).fill(TAKEAWAYS)
    await takeaways.get_by_role("button", name="保存", exact=True).click()
    await expect_notice(organizer, "メモを保存しました。")
    await expect(
        organizer.get_by_role("region", name=HR_TOPIC).get_by_label("議論の概要")
    ).to_have_value(HR_NOTE)
    await screenshot(organizer, "journey-04d-organizer-notes")


async def step_5_attendee_answers_the_survey(
    trip: Journey, organizer: Page, attendee: Page
) -> None:
    await organizer.goto(f"/organizer/sessions/{trip.session_id}")
    await organizer.get_by_role("link", name="アンケート", exact=True).click()
    await confirm_and_do(
        organizer,
        "アンケートを開始してメールを送る",
        "回答用の個人リンクをメールでお送りします。",
        "アンケートを開始してメールを送る",
        "journey-05a-organizer-survey-open-question",
    )
    await expect_notice(organizer, "アンケートを開始しました。")

    await attendee.goto(await mailed_link(OKAYAMA[0]["email"]))
    await attendee.get_by_role("link", name="アンケートに答える").click()
    answers = {
        "本日の情報交換会は、今後の業務に役に立ちましたか。": "とても役に立った",
        "デジタルに関する理解は深まりましたか。": "深まった",
    }
    for question, answer in answers.items():
        await attendee.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    reluctance = attendee.get_by_role(
        "group", name=re.compile("^デジタル関連の業務に取り組むことへの抵抗感")
    )
    await reluctance.get_by_role("group", name="参加前").get_by_label("やや感じる").check()
    await reluctance.get_by_role("group", name="参加後").get_by_label("あまり感じない").check()
    await attendee.get_by_label(re.compile("^今後、取り組んでみたいこと")).fill(
        "人事課と合同で研修の効果測定を始めたい"
    )
    await screenshot(attendee, "journey-05a-attendee-survey")
    await attendee.get_by_role("button", name="回答を送信する").click()
    await expect_notice(attendee, "ご回答ありがとうございました。")
    await expect(attendee.get_by_role("button", name="回答を送信する")).to_have_count(0)
    await screenshot(attendee, "journey-05b-attendee-survey-answered")

    await organizer.reload()
    results = organizer.get_by_role("region", name="集計結果")
    await expect(results).to_contain_text("人事課と合同で研修の効果測定を始めたい")
    await screenshot(organizer, "journey-05c-organizer-survey-results")


async def step_5_report_fact_checked_and_published(trip: Journey, organizer: Page) -> None:
    await organizer.goto(f"/organizer/sessions/{trip.session_id}")
    await organizer.get_by_role("main").get_by_role("link", name="開催レポート", exact=True).click()
    await organizer.get_by_role("button", name="レポートの案を作成").click()
    await expect_notice(organizer, "記録からレポートの案を作成しました。")
    preview = organizer.get_by_role("region", name="プレビュー")
    for text in (HR_TOPIC, HR_NOTE, TAKEAWAYS, "岡山県岡山市", "広島県広島市"):
        await expect(preview).to_contain_text(text)
    await organizer.get_by_label("テーマ（タグ、カンマ区切り）").fill("人事, 研修")
    await organizer.get_by_role("button", name="すべての変更を保存").click()
    await expect_notice(organizer, "変更を保存しました。")
    await organizer.get_by_role("button", name="参加自治体に内容確認を依頼する").click()
    await expect_notice(organizer, "参加自治体に内容確認を依頼しました")
    await screenshot(organizer, "journey-05d-organizer-report-draft")

    coordinator = await trip.page()
    await coordinator.goto(await mailed_link(CONTACTS["岡山県岡山市"], _REPORT_LINK))
    await expect(
        coordinator.get_by_role("heading", name="開催レポート（案）の確認")
    ).to_be_visible()
    await expect(coordinator.get_by_role("main")).to_contain_text(HR_NOTE)
    await coordinator.get_by_label("対象の箇所").select_option(
        label=f"【ディスカッション①】{HR_TOPIC}"
    )
    await coordinator.get_by_role("textbox", name="コメント").fill(FACT_CHECK_COMMENT)
    await coordinator.get_by_role("button", name="コメントを送信").click()
    await expect_notice(coordinator, "コメントを送信しました。")
    await screenshot(coordinator, "journey-05e-coordinator-fact-check")

    await organizer.reload()
    checked = organizer.get_by_role("region", name="参加自治体による内容確認")
    await expect(checked).to_contain_text(FACT_CHECK_COMMENT)
    await organizer.get_by_role("region", name="公開").get_by_role("link", name="公開する").click()
    await expect(organizer.locator(".notice.warning")).to_contain_text("第1版として固定され")
    await screenshot(organizer, "journey-05f-organizer-report-publish-question")
    await organizer.get_by_label("上の内容を確認しました").check()
    await organizer.get_by_role("button", name="公開する", exact=True).click()
    await expect_notice(organizer, "レポートを第1版として公開しました。")
    await screenshot(organizer, "journey-05f-organizer-report-published")
    await organizer.goto(f"/organizer/sessions/{trip.session_id}")
    await expect_history_in_words(organizer, "レポートの公開")


async def step_6_visitor_finds_the_report(trip: Journey) -> None:
    # The worker renders each published version's PDF once, outside any request.
    assert await report_pdf.render_pending() == 1
    visitor = await trip.page()
    await visitor.goto("/reports")
    # A two-character word: the archive's search must find words shorter than three characters.
    await visitor.get_by_label("キーワード").fill("人事")
    await visitor.get_by_role("button", name="検索", exact=True).click()
    await expect_notice(visitor, "1件の開催レポート")
    await screenshot(visitor, "journey-06a-visitor-archive-search")
    # The report's title: the series, then what the session's title adds to it.
    await visitor.get_by_role("link", name=f"【開催レポート】{SERIES_TITLE} 第3回").click()
    await expect(visitor.get_by_role("main")).to_contain_text(HR_NOTE)
    await screenshot(visitor, "journey-06b-visitor-report")

    link = visitor.get_by_role("link", name="PDFをダウンロード")
    async with visitor.expect_download() as info:
        await link.click()
    download = await info.value
    content = await anyio.Path(await download.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert HR_TOPIC in text.replace("\n", "")
    response = await visitor.request.get(await link.get_attribute("href") or "")
    assert response.headers["content-type"] == "application/pdf"


async def test_the_whole_cycle_in_japanese(journey: Journey) -> None:
    organizer = await journey.page()
    await step_1_organizer_schedules_and_invites(journey, organizer)
    await step_2_coordinators_register(journey)
    attendee = await step_3_attendee_downloads_calendar(journey)
    await step_4_organizer_groups_and_holds(journey, organizer)
    # The attendee's page now shows their discussion group.
    await attendee.reload()
    await expect(attendee.get_by_role("link", name="参加者の連絡先を見る")).to_be_visible()
    label = attendee.locator(".own-group__label")
    await expect(label).to_have_text(re.compile("^① グループ[AB] ／ ② グループ[AB]$"))
    await expect_fits_the_width(attendee)
    await screenshot(attendee, "journey-04c-attendee-group")
    await step_4_organizer_records_notes(journey, organizer)
    await step_5_attendee_answers_the_survey(journey, organizer, attendee)
    await step_5_report_fact_checked_and_published(journey, organizer)
    await step_6_visitor_finds_the_report(journey)


async def test_a_shorter_pass_in_english(journey: Journey) -> None:
    """A coordinator switches to English and registers; the attendee's page and .ics in English."""
    _, session, tokens = await open_session_with_links(("331007",))
    hr_topic, kpi_topic = (segment.title for segment in session.discussions)
    coordinator = await journey.page()
    await coordinator.goto(f"/r/{tokens['331007']}")
    switcher = coordinator.get_by_role("navigation", name="表示言語")
    await switcher.get_by_role("link", name="English").click()
    await expect(coordinator.locator("html")).to_have_attribute("lang", "en")
    await expect(
        coordinator.get_by_text("Personal page for the coordinator of 岡山県岡山市")
    ).to_be_visible()

    await coordinator.get_by_label("Drafting", exact=True).check()
    row = coordinator.get_by_role("group", name="Participant 1", exact=True)
    await row.get_by_label("Name", exact=True).fill("Mori Ken")
    await row.get_by_label("Department", exact=True).fill("Digital Promotion Division")
    await row.get_by_label("Position", exact=True).select_option(label="Manager")
    await row.get_by_label("E-mail address", exact=True).fill("ken@city.okayama.example.jp")
    await row.get_by_label(re.compile("^I agree to share my name")).check()
    ranks = row.get_by_role("group", name="Preference ranking of discussion themes")
    await ranks.get_by_label(kpi_topic).select_option(label="Choice 1")
    await ranks.get_by_label(hr_topic).select_option(label="Choice 2")
    sharing = coordinator.get_by_role("group", name="What you will share")
    await sharing.get_by_label(SHARING_ITEMS[0]).fill("Adopted in 2023")
    await screenshot(coordinator, "journey-en-01-coordinator-form")
    await coordinator.get_by_role("button", name="Register", exact=True).click()
    await expect_notice(coordinator, "Your registration has been received.")
    await expect(coordinator.get_by_role("region", name="Current registration")).to_contain_text(
        "Mori Ken"
    )
    await screenshot(coordinator, "journey-en-02-coordinator-registered")

    attendee = await journey.page(viewport=PHONE, phone=True)
    await attendee.goto(await mailed_link("ken@city.okayama.example.jp"))
    await (
        attendee.get_by_role("navigation", name="表示言語")
        .get_by_role("link", name="English")
        .click()
    )
    await expect(attendee.get_by_text("Personal page for Mori Ken")).to_be_visible()
    await expect(attendee.get_by_text("Your place is confirmed.")).to_be_visible()
    await screenshot(attendee, "journey-en-03-attendee-page")
    async with attendee.expect_download() as info:
        await attendee.get_by_role("link", name="Add to calendar (.ics)").click()
    download = await info.value
    event = icalendar.Calendar.from_ical(await anyio.Path(await download.path()).read_bytes()).walk(
        "VEVENT"
    )[0]
    assert str(event["UID"]) == await session_uid(session.id)
