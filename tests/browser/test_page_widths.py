"""No page scrolls sideways, on a phone held upright (390 px) or in a desktop window (1280 px).

The pages are every GET route of the application (Litestar's route list) with their path
parameters filled from the demo data, completed by what the demo lacks (a date poll, a board
question and its answer): a page added later is visited without changing this test. Routes that
answer with something other than an HTML page are left out by the rules below. One browser page
visits them all: public and personal pages first, then the organizer's after signing in.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from litestar.routes import HTTPRoute
from playwright.async_api import Browser, Page

from events.accounts.organizers import organizer_by_email
from events.app import create_app
from events.board.access import member_by_token
from events.board.mail import subscription, unsubscribe_link
from events.board.posts import QuestionInput, answer, ask
from events.date_polls.queries import recipients_of
from events.demo.loader import DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD, load_demo
from events.enums import SegmentKind
from events.lib.tokens import LinkKind, link_token
from events.mail import mailbox
from events.organizing.dashboard import PAGE_TRANSITIONS
from events.organizing.mail_preview import KIND_LABELS
from events.reports.fact_check import request_fact_check
from events.tables import (
    AgendaSegment,
    Attendee,
    ExchangeSession,
    Invitation,
    Registration,
    Report,
    ReportVersion,
    Series,
)
from events.worker import OutboxWorker
from tests.browser.conftest import BROWSER, WIDTHS, overflow, sign_in_page
from tests.factories import make_poll

pytestmark = BROWSER

# Not pages: machine-readable answers, downloads and the API.
_NOT_PAGES = re.compile(r"^/(api|schema|static|healthz)\b|\.(ics|csv|xlsx|pdf|vcf|atom|md)$")
_SKIPPED = {
    # Sets the language cookie and goes back: it would turn every later page English.
    "/language/{locale:str}",
    # A mail's attachment (a calendar file or a PDF), downloaded.
    "/dev/mail/{message_id:int}/attachments/{number:int}",
}
# The organizer's side, seen after signing in (the development mailbox is for administrators).
_SIGNED_IN = re.compile(r"^/(organizer|dev)/")
# Which personal link a route's {token} is, by the start of its path.
_TOKENS = {
    "/a/": "attendee_token",
    "/r/": "coordinator_token",
    "/p/": "poll_token",
    "/board/unsubscribe/": "unsubscribe_token",
}
_PARAMETER = re.compile(r"\{(\w+):\w+\}")
# Query parameters a page cannot do without, filled like the path's.
_QUERIES = {"/organizer/sessions/new": "?series={series_id}"}
# The element that makes the page wider than the window: the outermost one sticking out.
_WIDEST = """() => {
  const limit = window.innerWidth + 0.5;
  const right = (element) => element.getBoundingClientRect().right;
  const elements = [...document.body.querySelectorAll('*')];
  const outermost = elements.filter((e) => right(e) > limit && right(e.parentElement) <= limit);
  const widest = (outermost.length ? outermost : elements)
    .reduce((a, b) => (right(b) > right(a) ? b : a));
  const name = widest.tagName.toLowerCase() + (widest.id ? '#' + widest.id : '')
    + [...widest.classList].map((c) => '.' + c).join('');
  const text = (widest.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return `${name} reaching ${Math.round(right(widest))} px: "${text}"`;
}"""


def page_routes() -> list[str]:
    """The path of every route that answers GET with a page."""
    paths = {
        route.path
        for route in create_app().routes
        if isinstance(route, HTTPRoute) and "GET" in route.methods
    }
    return sorted(p for p in paths if not _NOT_PAGES.search(p) and p not in _SKIPPED)


def _token_key(route: str) -> str:
    for prefix, key in _TOKENS.items():
        if route.startswith(prefix):
            return key
    raise AssertionError(f"{route}: which personal link is its token? Name it in _TOKENS")


@dataclass(frozen=True)
class Case:
    """Values of path parameters that belong together: a session, one of its municipalities
    and that municipality's first attendee."""

    values: dict[str, list[str]]

    def paths(self, route: str) -> list[str]:
        names = _PARAMETER.findall(route)
        keys = [_token_key(route) if name == "token" else name for name in names]
        if any(key not in self.values for key in keys):
            return []
        paths = []
        for combination in itertools.product(*(self.values[key] for key in keys)):
            path = route
            for value in combination:
                path = _PARAMETER.sub(value, path, count=1)
            query = _QUERIES.get(route, "")
            paths.append(path + query.format(**{k: v[0] for k, v in self.values.items()}))
        return paths


def pages(cases: Iterable[Case]) -> dict[str, str]:
    """Each page to visit, with the route it fills in."""
    routes = page_routes()
    filled = {path: route for case in cases for route in routes for path in case.paths(route)}
    unfilled = set(routes) - set(filled.values())
    assert not unfilled, f"no demo values for the parameters of {sorted(unfilled)}"
    return filled


async def _one(query: Any) -> dict[str, Any]:
    row = await query.first()
    assert row is not None
    return dict(row)


async def _session_cases(session_id: int, common: dict[str, list[str]]) -> list[Case]:
    """The session through a registered municipality and one still to register, if any."""
    discussions = await AgendaSegment.select(AgendaSegment.id).where(
        (AgendaSegment.exchange_session == session_id)
        & (AgendaSegment.kind == SegmentKind.DISCUSSION)
    )
    values = common | {
        "session_id": [str(session_id)],
        "topic_id": [str(row["id"]) for row in discussions],
    }
    registered = {
        row["municipality"]
        for row in await Registration.select(Registration.municipality).where(
            Registration.exchange_session == session_id
        )
    }
    invitations = await (
        Invitation.select(Invitation.municipality, Invitation.link_nonce)
        .where(Invitation.exchange_session == session_id)
        .order_by(Invitation.id)
    )
    cases = []
    for wanted in (True, False):
        invitation = next(
            (i for i in invitations if (i["municipality"] in registered) == wanted), None
        )
        if invitation is None:
            continue
        code = invitation["municipality"]
        case = values | {
            "code": [code],
            "coordinator_token": [link_token(LinkKind.INVITATION, invitation["link_nonce"])],
        }
        if wanted:
            attendee = await _one(
                Attendee.select(Attendee.id, Attendee.link_nonce)
                .where(
                    (Attendee.exchange_session == session_id)
                    & (Attendee.registration.municipality == code)
                )
                .order_by(Attendee.id)
            )
            case["attendee_id"] = [str(attendee["id"])]
            case["attendee_token"] = [link_token(LinkKind.ATTENDEE, attendee["link_nonce"])]
        cases.append(Case(case))
    return cases


async def _board_post(case: Case) -> dict[str, list[str]]:
    """A question with an answer, both by the case's attendee (who may then edit them)."""
    member = await member_by_token(case.values["attendee_token"][0])
    question_id = await ask(
        member,
        QuestionInput(
            title="研修受講歴の管理方法",
            body="受講歴を人事異動に活かす方法を教えてください。参考: "
            "https://www.example.lg.jp/soshiki/digital-jinzai-ikusei/kenshu-rireki-kanri.html",
        ),
    )
    answer_id = await answer(member, question_id, "人事システムに登録しています。")
    link = unsubscribe_link(await subscription(member.email))
    return {
        "question_id": [str(question_id)],
        "answer_id": [str(answer_id)],
        "unsubscribe_token": [link.rsplit("/", 1)[1]],
    }


async def demo_cases() -> list[Case]:
    """The demo loaded, with what it lacks, and the values of every path parameter."""
    await load_demo(lambda line: None)
    organizer = await organizer_by_email(DEMO_ORGANIZER_EMAIL)
    series_id = (await _one(Series.select(Series.id)))["id"]
    poll = await make_poll(organizer, series_id=series_id)
    [recipient, *_] = await recipients_of(poll.id)
    # The coordinators' page of a draft exists while they are asked to check it: the latest
    # report is being revised for a second version.
    latest = await _one(Report.select(Report.id).order_by(Report.id, ascending=False))
    await request_fact_check(organizer, latest["id"])
    # What the worker would deliver into the development mailbox.
    worker = OutboxWorker()
    try:
        while await worker.send_due():
            pass
    finally:
        await worker.close()
    versions = await ReportVersion.select(ReportVersion.report, ReportVersion.number)
    # One message of each kind: messages of a kind differ only in names and links.
    messages = await mailbox.newest()
    common = {
        "series_id": [str(series_id)],
        "poll_id": [str(poll.id)],
        "poll_token": [recipient.link.rsplit("/", 1)[1]],
        "report_id": sorted({str(row["report"]) for row in versions}),
        "version": sorted({f"v{row['number']}" for row in versions}),
        "message_id": list({row["kind"]: str(row["id"]) for row in messages}.values()),
        "slug": ["chushikoku"],
        # The confirmation page of each status change the organizer's buttons offer.
        "action": [transition.value for transition in PAGE_TRANSITIONS],
    }
    sessions = await ExchangeSession.select(ExchangeSession.id).order_by(ExchangeSession.id)
    cases = [Case(common)]
    for row in sessions:
        cases += await _session_cases(row["id"], common)
    # The organizer's previews of each mail, for the session still to come.
    cases += [Case(case.values | {"kind": list(KIND_LABELS)}) for case in cases[-2:]]
    # The board of the series, through the held first session's attendee.
    asking = cases[1]
    cases[1] = Case(asking.values | await _board_post(asking))
    return cases


@dataclass
class Walk:
    """What the visits found: pages wider than the window at some width, and the routes that
    showed a page (a route may answer "not found" for some of its values, e.g. a draft nobody
    is asked to check, but must show a page for one of them). Each page is loaded once and
    measured at every width, the window resized in between."""

    too_wide: dict[str, str] = field(default_factory=dict)
    shown: set[str] = field(default_factory=set)

    async def visit(self, page: Page, paths: dict[str, str]) -> None:
        for path, route in paths.items():
            await page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
            response = await page.goto(path)
            assert response is not None, path
            assert response.status < 500, f"{path} answered {response.status}"
            if response.status < 400:
                self.shown.add(route)
            for name, width in WIDTHS.items():
                await page.set_viewport_size({"width": width, "height": 900})
                excess = await overflow(page)
                if excess:
                    widest = await page.evaluate(_WIDEST)
                    self.too_wide[f"{path} ({name}, {width} px)"] = f"+{excess} px, {widest}"


async def test_no_page_scrolls_sideways_on_a_phone_or_a_desktop(
    browser: Browser, live_server: str, environment: Callable[..., None]
) -> None:
    # Mail goes to the development mailbox, as in the demo without a mail server.
    environment(TSUNAGU_ENV="development", SMTP_HOST="")
    paths = pages(await demo_cases())
    context = await browser.new_context(base_url=live_server, locale="ja-JP")
    page = await context.new_page()
    walk = Walk()
    try:
        await walk.visit(page, {p: r for p, r in paths.items() if not _SIGNED_IN.match(p)})
        await sign_in_page(page, DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD)
        await walk.visit(page, {p: r for p, r in paths.items() if _SIGNED_IN.match(p)})
    finally:
        await context.close()
    assert set(paths.values()) - walk.shown == set(), "routes that never showed a page"
    assert walk.too_wide == {}, "\n".join(f"{p}: {problem}" for p, problem in walk.too_wide.items())
