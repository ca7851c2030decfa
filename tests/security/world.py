"""A small, realistic world that hostile-input tests attack: two series, two sessions, people.

The people have names and addresses that appear nowhere else (no template, no fixture), so a
page that shows one of them to someone who should not see it is caught by a plain substring test.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Unpack

import httpx

from events.accounts.organizers import OrganizerIdentity, create_api_token
from events.board import mail as board_mail
from events.board import posts
from events.board.access import member_by_token
from events.date_polls.queries import recipients_of
from events.groups.assignments import assign_groups
from events.invitations.invitations import access_by_token, invite
from events.invitations.join_requests import JoinRequestInput, request_to_join
from events.lib.tokens import LinkKind, link_token
from events.mail import outbox, worker_poll
from events.registrations.delegations import AttendeeInput
from events.reports.drafts import generate_report
from events.reports.fact_check import request_fact_check
from events.reports.notes import record_note
from events.reports.publishing import publish
from events.sessions.lifecycle import Transition
from events.sessions.transitions import apply
from events.surveys.surveys import open_survey
from events.tables import Attendee, OutboxMessage
from tests.database_snapshot import Snapshot, restore, take_snapshot
from tests.factories import (
    AttendeeFields,
    attendee_token,
    contact_of,
    make_organizer,
    make_poll,
    make_series,
    make_session,
    register_delegation,
)
from tests.helpers import csrf_token, deliver_to_mailbox, sign_in_as

CODE_A = "330001"  # 岡山県
CODE_B = "331007"  # 岡山市
CODE_C = "341002"  # 広島市: invited by the other organizer only
# Two municipalities ask to join the owner's session: one request for each role that may answer.
CODE_J = "320005"  # 島根県
CODE_J2 = "370002"  # 香川県
JOIN_CONTACT = "sekitori.hana@shimane-pref.example.lg.jp"
JOIN_CONTACT_2 = "wakamatsu.ren@kagawa-pref.example.lg.jp"

ROLES = (
    "anonymous",
    "attendee_a",
    "coordinator_a",
    "coordinator_b",
    "other_organizer",
    "owner",
    "admin",
)
ORGANIZER_ROLES = ("other_organizer", "owner", "admin")

# A well-formed token that opens nothing: what a role without a link of the right kind sends.
UNKNOWN_TOKEN = "Zz9_Zz9-Zz9_Zz9-Zz9_Zz9-Zz9_Zz9-"


def _person(name: str, email: str, /, **overrides: Unpack[AttendeeFields]) -> AttendeeInput:
    return dataclasses.replace(
        AttendeeInput(name=name, department="デジタル推進課", position="staff", email=email),
        **overrides,
    )


PEOPLE_A = (
    _person("鬼瓦権蔵", "onigawara.gonzo@okayama-pref.example.lg.jp"),
    _person("雲母坂紫苑", "kiraranzaka.shion@okayama-pref.example.lg.jp"),
)
PEOPLE_B = (_person("百目鬼楓", "domeki.kaede@okayama-city.example.lg.jp"),)
PEOPLE_C = (_person("勘解由小路澪", "kadenokoji.mio@hiroshima-city.example.lg.jp"),)


def markers(people: tuple[AttendeeInput, ...]) -> tuple[str, ...]:
    """What would betray a person on a page: their name and their address."""
    return tuple(text for person in people for text in (person.name, person.email))


@dataclass
class HeldWorld:
    """The owner's held session (A attended, B was invited) and what follows a session: a survey, a
    report published once and back in fact check, a failed mail; and the series' board."""

    session_id: int
    attendee_token_a: str
    coordinator_tokens: dict[str, str]
    report_id: int
    message_ids: tuple[int, int]
    question_id: int
    answer_id: int
    unsubscribe_token: str


@dataclass
class World:
    owner: OrganizerIdentity
    other: OrganizerIdentity
    admin: OrganizerIdentity
    series_id: int
    session_id: int
    other_session_id: int
    topic_id: int
    poll_id: int
    coordinator_tokens: dict[str, str]
    poll_tokens: dict[str, str]
    attendee_token_a: str
    held: HeldWorld | None = None
    api_tokens: dict[str, str] = field(default_factory=dict)
    mailbox_message_id: int = 0
    # An attendee of each coordinator's own delegation (the last one registered).
    own_attendee: dict[str, int] = field(default_factory=dict)

    def personal_markers(self) -> dict[str, tuple[str, ...]]:
        """Personal data of each party, by who it belongs to."""
        return {
            "a": (*markers(PEOPLE_A), contact_of(CODE_A)),
            "b": (*markers(PEOPLE_B), contact_of(CODE_B)),
            "c": markers(PEOPLE_C),
            "j": (JOIN_CONTACT, JOIN_CONTACT_2),
        }

    def visible_to(self, role: str) -> set[str]:
        """The parties whose personal data `role` may see."""
        return {
            "anonymous": set(),
            "attendee_a": {"a"},
            "coordinator_a": {"a"},
            "coordinator_b": {"b"},
            "other_organizer": {"c"},
            "owner": {"a", "b", "j"},
            "admin": {"a", "b", "c", "j"},
        }[role]

    def hidden_from(self, role: str) -> list[str]:
        allowed = self.visible_to(role)
        return [
            text
            for party, texts in self.personal_markers().items()
            if party not in allowed
            for text in texts
        ]


# Each test process builds each kind of world once and restores it for the next test: building
# one runs the domain's whole cycle, restoring a snapshot costs a few milliseconds.
_BUILT: dict[bool, tuple[World, Snapshot]] = {}


async def build_world(*, held: bool = True) -> World:
    """Owner's published session with A and B registered, a draft group assignment, a poll;
    another organizer's series with C registered; an admin; with `held`, world.held too."""
    if held in _BUILT:
        world, snapshot = _BUILT[held]
        await restore(snapshot)
        return copy.deepcopy(world)
    world = await _build(held=held)
    _BUILT[held] = (copy.deepcopy(world), await take_snapshot())
    return world


async def _build(*, held: bool) -> World:
    await worker_poll.record()  # a worker runs beside the app, so /healthz answers 200
    owner = await make_organizer(name="主催者オーナー")
    other = await make_organizer(name="別シリーズ主催者")
    admin = await make_organizer(admin=True, name="管理者")
    series_id = (await make_series(owner))["id"]
    session = await make_session(owner, series_id)
    tokens = await publish_inviting_a_and_b(owner, session.id)
    access_a = await access_by_token(tokens[CODE_A])
    hr_topic = next(s.id for s in access_a.session.discussions)
    assert hr_topic is not None
    prefer: AttendeeFields = {"topic_preferences": (hr_topic,)}
    rows_a = await register_delegation(
        access_a,
        *(dataclasses.replace(p, **prefer) for p in PEOPLE_A),
    )
    rows_b = await register_delegation(
        await access_by_token(tokens[CODE_B]),
        *(dataclasses.replace(p, **prefer) for p in PEOPLE_B),
    )
    for code, contact in ((CODE_J, JOIN_CONTACT), (CODE_J2, JOIN_CONTACT_2)):
        await request_to_join(session.id, JoinRequestInput(code=code, contact_email=contact))
    view = await assign_groups(owner, session.id, 1, 3, seed=1, mode="tracks")
    topic_id = next(topic.id for topic in view.topics if topic.groups)

    other_session = await make_session(other)
    [link_c] = await invite(other, other_session.id, [CODE_C])
    await apply(other, other_session.id, Transition.PUBLISH)
    await register_delegation(await access_by_token(link_c.link.rsplit("/", 1)[1]), *PEOPLE_C)

    poll = await make_poll(owner, series_id=series_id, codes=(CODE_A, CODE_B))
    poll_tokens = {
        recipient.code: recipient.link.rsplit("/", 1)[1]
        for recipient in await recipients_of(poll.id)
    }
    attendee_a = await Attendee.select().where(Attendee.id == rows_a[0]["id"]).first()
    assert attendee_a is not None
    world = World(
        owner=owner,
        other=other,
        admin=admin,
        series_id=series_id,
        session_id=session.id,
        other_session_id=other_session.id,
        topic_id=topic_id,
        poll_id=poll.id,
        coordinator_tokens=tokens,
        poll_tokens=poll_tokens,
        attendee_token_a=attendee_token(attendee_a),
        own_attendee={"coordinator_a": rows_a[-1]["id"], "coordinator_b": rows_b[-1]["id"]},
    )
    if held:
        world.held = await build_held(world)
    world.mailbox_message_id = await deliver_to_mailbox(
        subject="試験",
        text="試験",
        html="<p>試験</p>",
        calendar="BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
        recipient="x@example.jp",
    )
    for role, organizer in (("owner", owner), ("other_organizer", other), ("admin", admin)):
        _, world.api_tokens[role] = await create_api_token(organizer.email)
    return world


async def publish_inviting_a_and_b(owner: OrganizerIdentity, session_id: int) -> dict[str, str]:
    """Invite A and B (with their contacts) and publish; their coordinators' tokens by code."""
    links = await invite(
        owner,
        session_id,
        [CODE_A, CODE_B],
        {CODE_A: contact_of(CODE_A), CODE_B: contact_of(CODE_B)},
    )
    await apply(owner, session_id, Transition.PUBLISH)
    return {link.code: link.link.rsplit("/", 1)[1] for link in links}


async def build_held(world: World) -> HeldWorld:
    owner = world.owner
    session = await make_session(owner, world.series_id)
    tokens = await publish_inviting_a_and_b(owner, session.id)
    [row_a, *_] = await register_delegation(await access_by_token(tokens[CODE_A]), *PEOPLE_A)
    ended = session.ends_at + dt.timedelta(hours=1)
    await apply(owner, session.id, Transition.MARK_HELD, now=session.ends_at)
    await record_note(owner, session.id, None, "研修記録の共有方法を話し合った。", now=ended)
    await open_survey(owner, session.id, now=ended)
    draft = await generate_report(owner, session.id, now=ended)
    await publish(owner, draft.id, now=ended)
    await request_fact_check(owner, draft.id, now=ended)
    message_ids: list[int] = []
    for _ in range(2):
        await outbox.enqueue(
            outbox.OutgoingMail(
                kind="confirmation",
                recipient=contact_of(CODE_A),
                subject="参加登録を受け付けました",
                text_body="参加登録を受け付けました。",
                topic_key=f"session:{session.id}",
            )
        )
        last = (
            await OutboxMessage.select(OutboxMessage.id)
            .order_by(OutboxMessage.id, ascending=False)
            .first()
        )
        assert last is not None
        await outbox.mark_permanent_failure(last["id"], "550 no such user")
        message_ids.append(last["id"])

    member = await member_by_token(world.attendee_token_a)
    question_id = await posts.ask(
        member,
        posts.QuestionInput(
            title="研修記録の管理方法",
            body="研修受講歴をどのように管理していますか。",
        ),
    )
    answer_id = await posts.answer(member, question_id, "人事システムに登録しています。")
    subscription = await board_mail.subscription(member.email)
    return HeldWorld(
        session_id=session.id,
        attendee_token_a=attendee_token(row_a),
        coordinator_tokens=tokens,
        report_id=draft.id,
        message_ids=(message_ids[0], message_ids[1]),
        question_id=question_id,
        answer_id=answer_id,
        unsubscribe_token=link_token(LinkKind.BOARD_UNSUBSCRIBE, subscription["link_nonce"]),
    )


async def act_as(client: httpx.AsyncClient, world: World, role: str) -> dict[str, str]:
    """Make `client` the browser of `role` (signed in, CSRF cookie); returns its API headers."""
    client.cookies.clear()
    await csrf_token(client)
    if role not in ORGANIZER_ROLES:
        return {}
    organizer = {"owner": world.owner, "other_organizer": world.other, "admin": world.admin}[role]
    await sign_in_as(client, organizer)
    return {"authorization": f"Bearer {world.api_tokens[role]}"}


@contextlib.asynccontextmanager
async def browsers(
    client: httpx.AsyncClient, world: World
) -> AsyncIterator[dict[str, tuple[httpx.AsyncClient, dict[str, str]]]]:
    """One browser per role on the same app, each signed in once (sign-ins are rate limited)."""
    async with contextlib.AsyncExitStack() as stack:
        found: dict[str, tuple[httpx.AsyncClient, dict[str, str]]] = {}
        for role in ROLES:
            browser = await stack.enter_async_context(
                httpx.AsyncClient(transport=client._transport, base_url=client.base_url)
            )
            found[role] = (browser, await act_as(browser, world, role))
        yield found
