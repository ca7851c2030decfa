"""Factories with sensible defaults: a session modelled on the 中四国 meeting of 2023-12-15."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any, TypedDict, Unpack

from events.accounts.organizers import OrganizerIdentity, create_organizer
from events.date_polls.checks import PollInput, SlotInput
from events.date_polls.polls import create_poll
from events.date_polls.queries import PollView
from events.invitations.invitations import CoordinatorAccess, access_by_token, invite
from events.lib.formatting import TOKYO
from events.lib.tokens import LinkKind, link_token
from events.registrations.delegations import AttendeeInput, DelegationInput
from events.registrations.registrations import cancel, register
from events.sessions.agenda import Segment
from events.sessions.checks import SessionInput, holiday_name
from events.sessions.exchange_sessions import ExchangeSessionView, create_session
from events.sessions.lifecycle import Transition
from events.sessions.series import SeriesInput, create_series
from events.sessions.transitions import apply
from events.tables import Attendee, Invitation

PASSWORD = "correct horse battery staple"
SEED_MUNICIPALITIES = ("330001", "331007", "341002", "320005", "350001", "370002", "390003")
_numbers = itertools.count(1)

SHARING_ITEMS = ("DX推進計画", "DX人材育成計画の概要", "研修対象者の設定の仕方", "具体的な研修内容")
HR_POINTS = (
    "人事部門の人材育成計画とデジタル人材育成方針の連動",
    "研修受講歴の人事部門への共有",
    "人事異動・評価への反映",
)
KPI_POINTS = (
    "知識の定着度の測り方",
    "意識の変化・業務での活用の可視化",
    "IT資格の取得数",
)
SEED_AGENDA = (
    Segment(kind="other", title="開会・趣旨説明", minutes=5),
    Segment(kind="sharing", title="情報共有", minutes=40, items=SHARING_ITEMS),
    Segment(kind="discussion", title="人事部門との連携", minutes=30, items=HR_POINTS),
    Segment(kind="discussion", title="期待する効果とKPI", minutes=30, items=KPI_POINTS),
    Segment(kind="other", title="閉会", minutes=5),
)


def is_working_day(day: dt.date) -> bool:
    """Neither a weekend nor a national holiday: a day the app raises no calendar warning for."""
    return day.weekday() < 5 and holiday_name(day) is None


def future_weekday(days_ahead: int = 30, hour: int = 14) -> dt.datetime:
    """A working-day afternoon in Tokyo some days from now: tests run on any date, and a day
    that falls on a holiday would bring a calendar warning the test did not ask for."""
    day = dt.datetime.now(TOKYO).date() + dt.timedelta(days=days_ahead)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


async def make_organizer(
    email: str | None = None, *, admin: bool = False, name: str = ""
) -> OrganizerIdentity:
    email = email or f"organizer{next(_numbers)}@example.jp"
    return await create_organizer(email, PASSWORD, display_name=name or "事務局", is_admin=admin)


async def make_series(
    organizer: OrganizerIdentity, *, region: str = "chushikoku", title: str = ""
) -> dict[str, Any]:
    return await create_series(
        organizer,
        SeriesInput(title=title or "中四国エリア 庁内デジタル人材育成 情報交換会", region=region),
    )


def session_input(series_id: int, **overrides: Any) -> SessionInput:
    starts_at = overrides.pop("starts_at", future_weekday())
    defaults = SessionInput(
        series_id=series_id,
        title="第3回 情報交換会",
        region="chushikoku",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        registration_deadline=starts_at - dt.timedelta(days=7),
        capacity=30,
        per_municipality_limit=3,
        meeting_url="https://zoom.example.jp/j/123456789",
        meeting_passcode="tsunagu",
        background="デジタル人材の育成について、各自治体の取組を共有し意見交換します。",
        agenda=SEED_AGENDA,
    )
    return dataclasses.replace(defaults, **overrides)


async def make_session(
    organizer: OrganizerIdentity | None = None, series_id: int | None = None, **overrides: Any
) -> ExchangeSessionView:
    organizer = organizer or await make_organizer()
    if series_id is None:
        series_id = (await make_series(organizer))["id"]
    view, _ = await create_session(organizer, session_input(series_id, **overrides))
    return view


class AttendeeFields(TypedDict, total=False):
    """Fields of AttendeeInput that a test replaces."""

    name: str
    department: str
    position: str
    email: str
    is_digital_department: bool
    share_contact: bool
    topic_preferences: tuple[int, ...]
    id: int | None
    reading: str


def person(n: int, code: str = "x", **overrides: Unpack[AttendeeFields]) -> AttendeeInput:
    """Attendee number n of a delegation; `code` keeps e-mails of municipalities apart."""
    return dataclasses.replace(
        AttendeeInput(
            name=f"参加者{n}",
            department="デジタル推進課",
            position="staff",
            email=f"p{n}.{code}@example.lg.jp",
        ),
        **overrides,
    )


def delegation(
    *attendees: AttendeeInput, plan_status: str = "drafting", answers: dict[int, str] | None = None
) -> DelegationInput:
    return DelegationInput(
        plan_status=plan_status, attendees=attendees, sharing_answers=answers or {}
    )


async def open_session(
    capacity: int = 30,
    limit: int = 3,
    codes: tuple[str, ...] = ("330001", "331007", "341002"),
    *,
    organizer: OrganizerIdentity | None = None,
    **overrides: Any,
) -> tuple[OrganizerIdentity, dict[str, CoordinatorAccess]]:
    """A published session with `codes` invited; each municipality's coordinator access by code."""
    organizer = organizer or await make_organizer()
    session = await make_session(
        organizer, capacity=capacity, per_municipality_limit=min(limit, capacity), **overrides
    )
    links = await invite(organizer, session.id, list(codes))
    await apply(organizer, session.id, Transition.PUBLISH)
    accesses = {link.code: await access_by_token(link.link.rsplit("/", 1)[1]) for link in links}
    return organizer, accesses


async def held_session(
    organizer: OrganizerIdentity,
    delegations: dict[str, DelegationInput],
    *,
    days_ahead: int = 30,
    minutes: int = 120,
    capacity: int = 30,
    reported: bool = False,
    title: str = "第3回 情報交換会",
) -> ExchangeSessionView:
    """A session that took place: municipalities registered in the order given, then it was held."""
    starts_at = future_weekday(days_ahead)
    _, accesses = await open_session(
        capacity=capacity,
        codes=tuple(delegations),
        organizer=organizer,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        title=title,
    )
    for code, submitted in delegations.items():
        await register(accesses[code], submitted)
    session_id = next(iter(accesses.values())).session.id
    ends_at = starts_at + dt.timedelta(minutes=minutes)
    session = await apply(organizer, session_id, Transition.MARK_HELD, now=ends_at)
    if reported:
        session = await apply(organizer, session_id, Transition.MARK_REPORTED, now=ends_at)
    return session


async def register_people(
    organizer: OrganizerIdentity, session: ExchangeSessionView, code: str, people: int
) -> None:
    """Invite `code` and register a delegation of `people` from its link (session published)."""
    [invitation] = await invite(organizer, session.id, [code])
    access = await access_by_token(invitation.link.rsplit("/", 1)[1])
    await register(access, delegation(*(person(n, code) for n in range(1, people + 1))))


async def open_session_with_links(
    codes: tuple[str, ...] = SEED_MUNICIPALITIES[:3], **overrides: Any
) -> tuple[OrganizerIdentity, ExchangeSessionView, dict[str, str]]:
    """A published session with the given municipalities invited: their link tokens by code."""
    organizer = await make_organizer()
    if "capacity" in overrides:
        overrides.setdefault("per_municipality_limit", min(3, overrides["capacity"]))
    session = await make_session(organizer, **overrides)
    links = await invite(organizer, session.id, list(codes))
    await apply(organizer, session.id, Transition.PUBLISH)
    return organizer, session, {link.code: link.link.rsplit("/", 1)[1] for link in links}


def attendee_token(attendee: dict[str, Any]) -> str:
    """The token of an attendee's personal link, rebuilt as the mails rebuild it."""
    return link_token(LinkKind.ATTENDEE, attendee["link_nonce"])


def discussion_ids(session: ExchangeSessionView) -> tuple[int, int]:
    """The ids of the two discussion topics of SEED_AGENDA: HR coordination, then KPIs."""
    hr, kpi = (segment.id for segment in session.discussions)
    assert hr is not None and kpi is not None
    return hr, kpi


def attendee_input(code: str, number: int = 1, **overrides: Any) -> AttendeeInput:
    """Attendee `number` of municipality `code`, named so that no other attendee shares the name."""
    return person(number, code, **{"name": f"参加者{code}の{number}", **overrides})


async def published_session(
    organizer: OrganizerIdentity,
    codes: tuple[str, ...] = SEED_MUNICIPALITIES,
    **overrides: Any,
) -> tuple[ExchangeSessionView, dict[str, CoordinatorAccess]]:
    """open_session, with the published session itself."""
    _, accesses = await open_session(codes=codes, organizer=organizer, **overrides)
    return next(iter(accesses.values())).session, accesses


async def register_delegation(
    access: CoordinatorAccess,
    *people: AttendeeInput,
    plan_status: str = "drafting",
    answers: dict[int, str] | None = None,
) -> list[dict[str, Any]]:
    """Register a delegation (one person by default); its attendee rows in order."""
    people = people or (attendee_input(access.municipality_code),)
    submitted = delegation(*people, plan_status=plan_status, answers=answers)
    registration_id = (await register(access, submitted)).id
    return await (
        Attendee.select().where(Attendee.registration == registration_id).order_by(Attendee.id)
    )


# Three municipalities of the 2023-12-15 meeting, with their coordinators' addresses.
POLL_CODES = ("330001", "331007", "341002")


def contact_of(code: str) -> str:
    return f"kikaku.{code}@example.lg.jp"


def poll_slots(count: int = 3, days_ahead: int = 30) -> tuple[SlotInput, ...]:
    """Afternoons (14:00-16:00 in Tokyo) of `count` consecutive working days, a month from now."""
    slots: list[SlotInput] = []
    day = future_weekday(days_ahead)
    while len(slots) < count:
        if is_working_day(day.date()):
            slots.append(SlotInput(day, day + dt.timedelta(hours=2)))
        day += dt.timedelta(days=1)
    return tuple(slots)


async def make_poll(
    organizer: OrganizerIdentity | None = None,
    *,
    series_id: int | None = None,
    codes: tuple[str, ...] = POLL_CODES,
    slots: tuple[SlotInput, ...] | None = None,
    **overrides: Any,
) -> PollView:
    """A poll of three slots sent to three municipalities, each with a contact address."""
    organizer = organizer or await make_organizer()
    if series_id is None:
        series_id = (await make_series(organizer))["id"]
    data = PollInput(
        series_id=series_id,
        title="第4回 情報交換会の日程調整",
        slots=slots or poll_slots(),
        codes=codes,
        contact_emails={code: contact_of(code) for code in codes},
    )
    poll, _ = await create_poll(organizer, dataclasses.replace(data, **overrides))
    return poll


# A series' board (相談ボード): who can reach it, and a session to promote questions into.
BOARD_CODES = ("330001", "331007", "341002")
BOARD_PRACTICE = "研修受講歴を人事システムに登録し、人事異動の参考にしています"


@dataclasses.dataclass(frozen=True)
class BoardWorld:
    organizer: OrganizerIdentity
    series_id: int
    session: ExchangeSessionView
    people: dict[str, dict[str, Any]]
    tokens: dict[str, str]
    coordinator_tokens: dict[str, str]
    next_session_id: int
    # An attendee of another series (another organizer's), with their personal link token.
    outsider_token: str


async def board_world() -> BoardWorld:
    """A held session of three municipalities (岡山県 shares its name; 岡山市 has a plan in
    place; 広島市 shared a practice on training records), the series' next session, and an
    attendee of an unrelated series."""
    from events.organizing.session_actions import transition
    from events.sessions.lifecycle import Transition as T

    organizer = await make_organizer(name="中四国事務局")
    session, accesses = await published_session(organizer, BOARD_CODES)
    item_id, _ = session.sharing_items[0]
    people: dict[str, dict[str, Any]] = {}
    for code in BOARD_CODES:
        [people[code]] = await register_delegation(
            accesses[code],
            attendee_input(code, share_contact=code == BOARD_CODES[0]),
            plan_status="adopted" if code == BOARD_CODES[1] else "drafting",
            answers={item_id: BOARD_PRACTICE} if code == BOARD_CODES[2] else None,
        )
    await transition(organizer, session.id, T.MARK_HELD, now=session.ends_at)
    upcoming = await make_session(
        organizer, series_id=session.series_id, starts_at=future_weekday(days_ahead=60)
    )
    stranger = await make_organizer()
    _, other = await published_session(stranger, ("370002",))
    [outsider] = await register_delegation(other["370002"])
    invitations = await Invitation.select(Invitation.municipality, Invitation.link_nonce).where(
        Invitation.exchange_session == session.id
    )
    return BoardWorld(
        organizer=organizer,
        series_id=session.series_id,
        session=session,
        people=people,
        tokens={code: attendee_token(row) for code, row in people.items()},
        coordinator_tokens={
            row["municipality"]: link_token(LinkKind.INVITATION, row["link_nonce"])
            for row in invitations
        },
        next_session_id=upcoming.id,
        outsider_token=attendee_token(outsider),
    )


async def held_session_with_people(
    organizer: OrganizerIdentity,
    *,
    people: int = 2,
    codes: tuple[str, ...] = POLL_CODES,
    capacity: int = 30,
    cancelled_code: str | None = None,
    series_id: int | None = None,
    days_ahead: int = 30,
) -> tuple[ExchangeSessionView, list[dict[str, Any]]]:
    """A held session: `people` registered per municipality (in order), every attendee row.

    With a small capacity the last ones wait; `cancelled_code` withdrew its whole delegation.
    """
    starts_at = future_weekday(days_ahead)
    ends_at = starts_at + dt.timedelta(hours=2)
    session, accesses = await published_session(
        organizer,
        codes,
        capacity=capacity,
        starts_at=starts_at,
        ends_at=ends_at,
        series_id=series_id,
    )
    for code in codes:
        await register_delegation(
            accesses[code], *(attendee_input(code, n) for n in range(1, people + 1))
        )
    if cancelled_code is not None:
        await cancel(accesses[cancelled_code])
    session = await apply(organizer, session.id, Transition.MARK_HELD, now=ends_at)
    rows = await (
        Attendee.select().where(Attendee.exchange_session == session.id).order_by(Attendee.id)
    )
    return session, rows


# Plan status of each municipality of the seed session: some already run a plan, others draft one.
SEED_PLANS = ("adopted", "drafting", "adopted", "drafting", "drafting", "adopted", "not_started")


async def held_seed_session(
    organizer: OrganizerIdentity,
    *,
    starts_at: dt.datetime | None = None,
    codes: tuple[str, ...] = SEED_MUNICIPALITIES,
    absent: tuple[str, ...] = ("340006",),
    series_id: int | None = None,
    title: str = "第3回 情報交換会",
) -> tuple[ExchangeSessionView, dict[str, CoordinatorAccess]]:
    """A held session of the seed agenda: `codes` attended (invited in that order), `absent` not.

    The first municipality shared its training content; `starts_at` may lie in the past.
    """
    starts_at = starts_at or future_weekday()
    now = starts_at - dt.timedelta(days=20)
    if series_id is None:
        series_id = (await make_series(organizer))["id"]
    data = session_input(
        series_id,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        registration_deadline=starts_at - dt.timedelta(days=1),
    )
    session, _ = await create_session(organizer, data, now=now)
    links = await invite(organizer, session.id, [*codes, *absent])
    await apply(organizer, session.id, Transition.PUBLISH, now=now)
    accesses = {link.code: await access_by_token(link.link.rsplit("/", 1)[1]) for link in links}
    session = accesses[codes[0]].session
    content_item = session.sharing_items[-1][0]
    for index, code in enumerate(codes):
        answers = (
            {content_item: f"{code}の研修はオンラインと集合のハイブリッドです。"}
            if index == 0
            else {}
        )
        plan = SEED_PLANS[index % len(SEED_PLANS)]
        await register(
            accesses[code],
            delegation(attendee_input(code), plan_status=plan, answers=answers),
            now=now,
        )
    session = await apply(organizer, session.id, Transition.MARK_HELD, now=data.ends_at)
    return session, accesses


async def invitation_nonces(
    session_id: int, *, contact: tuple[str, str] | None = None
) -> dict[str, str]:
    """The link nonce of each invitation by code; `contact` (code, address) gives one its
    contact address first."""
    if contact is not None:
        code, email = contact
        await Invitation.update({Invitation.contact_email: email}).where(
            Invitation.exchange_session == session_id, Invitation.municipality == code
        )
    rows = await Invitation.select(Invitation.municipality, Invitation.link_nonce).where(
        Invitation.exchange_session == session_id
    )
    return {row["municipality"]: row["link_nonce"] for row in rows}
