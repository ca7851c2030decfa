"""Demo data: a 中四国 series modelled on the real session of 2023-12-15.

The past sessions are replayed through the same domain functions the web pages use, each step
at the moment it would have happened (the clock reads that moment, so audit entries and
publication dates agree with the 2023 dates), so registrations, groups and encounters are real.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from events.accounts.organizers import OrganizerIdentity, create_organizer, organizer_by_email
from events.demo import content
from events.groups.assignments import assign_groups, lock
from events.invitations.invitations import CoordinatorAccess, access_by_token, invite
from events.lib.clock import replaying, utcnow
from events.lib.errors import NotFoundError
from events.lib.formatting import TOKYO
from events.lib.settings import load_settings
from events.lib.tokens import LinkKind, link_token
from events.organizing.session_actions import publish_groups, transition
from events.registrations.attendee_access import attendee_by_token
from events.registrations.delegations import AttendeeInput, DelegationInput
from events.registrations.registrations import register
from events.reports.drafts import generate_report, update_draft
from events.reports.notes import record_note
from events.reports.publishing import publish
from events.sessions.agenda import Segment
from events.sessions.checks import SessionInput
from events.sessions.exchange_sessions import ExchangeSessionView, create_session
from events.sessions.lifecycle import Transition
from events.sessions.series import SeriesInput, create_series
from events.surveys.answers import AnswerInput, submit_survey
from events.surveys.surveys import close_survey, open_survey
from events.tables import Attendee, OutboxMessage, Series

DEMO_ORGANIZER_EMAIL = "demo@tsunagu.example.jp"
DEMO_ORGANIZER_PASSWORD = "tsunagu-demo-password"  # noqa: S105 (published on purpose: demo only)

Progress = Callable[[str], None]


async def load_demo(progress: Progress) -> None:
    organizer = await _organizer(progress)
    if await Series.exists().where(Series.title == content.SERIES_TITLE):
        progress("demo: the 中四国 series is already loaded")
        return
    # The series dates from the planning of its first session.
    with replaying(content.PAST_SESSIONS[0].starts_at - dt.timedelta(days=60)):
        series = await create_series(
            organizer,
            SeriesInput(
                title=content.SERIES_TITLE,
                region="chushikoku",
                description=content.SERIES_DESCRIPTION,
            ),
        )
    for described in content.PAST_SESSIONS:
        past = await _replay_past_session(organizer, series["id"], described)
        progress(f"demo: session {past.title} held and reported (/sessions/{past.id})")
    upcoming, links = await _upcoming_session(organizer, series["id"])
    progress(f"demo: open session {upcoming.title} (/sessions/{upcoming.id})")
    for code, link in links.items():
        progress(f"demo: coordinator link of {code}: {link}")


async def _organizer(progress: Progress) -> OrganizerIdentity:
    try:
        existing = await organizer_by_email(DEMO_ORGANIZER_EMAIL)
    except NotFoundError:
        pass
    else:
        progress(f"demo: organizer {DEMO_ORGANIZER_EMAIL} already exists")
        progress(_where_mail_goes())
        return existing
    organizer = await create_organizer(
        DEMO_ORGANIZER_EMAIL,
        DEMO_ORGANIZER_PASSWORD,
        display_name="中四国DX人材育成ネットワーク事務局",
        is_admin=True,
        organization="中四国DX人材育成ネットワーク事務局",
    )
    progress(f"demo: organizer {DEMO_ORGANIZER_EMAIL} / {DEMO_ORGANIZER_PASSWORD}")
    progress(_where_mail_goes())
    return organizer


def _where_mail_goes() -> str:
    """Without a mail server the demo's mail is only readable in the mailbox: say where."""
    settings = load_settings()
    if settings.mail_to_mailbox:
        mailbox = f"{settings.base_url}/dev/mail"
        return f"demo: mail goes to the mailbox {mailbox} (sign in as this organizer)"
    return f"demo: mail goes to the mail server {settings.smtp.host}:{settings.smtp.port}"


def _tokyo(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=TOKYO)


def _session_input(
    series_id: int,
    title: str,
    starts_at: dt.datetime,
    background: str = content.BACKGROUND,
    agenda: tuple[Segment, ...] = content.AGENDA,
) -> SessionInput:
    return SessionInput(
        series_id=series_id,
        title=title,
        region="chushikoku",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        registration_deadline=starts_at - dt.timedelta(days=7),
        capacity=30,
        per_municipality_limit=3,
        meeting_url=content.MEETING_URL,
        meeting_passcode=content.MEETING_PASSCODE,
        background=background,
        agenda=agenda,
    )


async def _replay_past_session(
    organizer: OrganizerIdentity, series_id: int, past: content.PastSession
) -> ExchangeSessionView:
    """A session from scheduling to its published report; the mails of that history were
    never due."""
    first_mail = await _next_outbox_id()
    planned = past.starts_at - dt.timedelta(days=45)
    with replaying(planned):
        session, _ = await create_session(
            organizer,
            _session_input(series_id, past.title, past.starts_at, past.background, past.agenda),
            now=planned,
        )
        accesses = await _invite(organizer, session, [d.code for d in past.delegations])
        await transition(organizer, session.id, Transition.PUBLISH, now=planned)
    for number, submitted in enumerate(past.delegations, start=1):
        registered_at = planned + dt.timedelta(days=number)
        delegation = _delegation(session, submitted, past.answers[submitted.code])
        with replaying(registered_at):
            await register(accesses[submitted.code], delegation, now=registered_at)
    grouped = past.starts_at - dt.timedelta(days=4)
    with replaying(grouped):
        await assign_groups(organizer, session.id, 3, 4, seed=20231215, now=grouped)
        await lock(organizer, session.id)
        await publish_groups(organizer, session.id, now=grouped)
    ends_at = past.starts_at + dt.timedelta(hours=2)
    with replaying(ends_at):
        held = (await transition(organizer, session.id, Transition.MARK_HELD, now=ends_at)).session
        await _record_notes(organizer, held, past, ends_at)
    await _survey(organizer, session.id, past, ends_at)
    published = ends_at + dt.timedelta(days=14)
    with replaying(published):
        await _publish_report(organizer, session.id, past.tags, published)
    await OutboxMessage.delete().where(OutboxMessage.id >= first_mail)
    return held


async def _record_notes(
    organizer: OrganizerIdentity,
    session: ExchangeSessionView,
    past: content.PastSession,
    now: dt.datetime,
) -> None:
    for topic, text in past.notes.items():
        await record_note(organizer, session.id, topic or None, text, now=now)
    for (topic, group), text in past.group_notes.items():
        await record_note(organizer, session.id, topic, text, group=group, now=now)


async def _survey(
    organizer: OrganizerIdentity,
    session_id: int,
    past: content.PastSession,
    now: dt.datetime,
) -> None:
    """The default survey, answered by the first attendees, then closed a week later."""
    with replaying(now):
        survey = await open_survey(organizer, session_id, now=now)
    usefulness, understanding, reluctance, plans, remarks = survey.questions.questions
    attendees = await (
        Attendee.select(Attendee.link_nonce)
        .where(Attendee.exchange_session == session_id)
        .order_by(Attendee.id)
    )
    answered = now + dt.timedelta(hours=1)
    scored = zip(attendees, past.survey_scores, strict=False)
    for index, (row, (useful, understood, before, after)) in enumerate(scored):
        access = await attendee_by_token(link_token(LinkKind.ATTENDEE, row["link_nonce"]))
        answers = {
            str(usefulness.id): AnswerInput(score=useful),
            str(understanding.id): AnswerInput(score=understood),
            str(reluctance.id): AnswerInput(before=before, after=after),
        }
        comment = past.survey_comments.get(index)
        if comment is not None:
            answers[str(plans.id)] = AnswerInput(text=comment.plans)
            answers[str(remarks.id)] = AnswerInput(text=comment.remarks)
        with replaying(answered):
            await submit_survey(
                access,
                answers,
                quote_consent=comment is not None and comment.quote_consent,
                now=answered,
            )
    closed = now + dt.timedelta(days=7)
    with replaying(closed):
        await close_survey(organizer, session_id, now=closed)


async def _publish_report(
    organizer: OrganizerIdentity, session_id: int, tags: tuple[str, ...], now: dt.datetime
) -> None:
    draft = await generate_report(organizer, session_id, now=now)
    await update_draft(organizer, draft.id, {}, tags=tags, now=now)
    await publish(organizer, draft.id, now=now)


async def _upcoming_session(
    organizer: OrganizerIdentity, series_id: int
) -> tuple[ExchangeSessionView, dict[str, str]]:
    """第3回, about six weeks ahead, open for registration with three delegations in."""
    day = utcnow().astimezone(TOKYO).date() + dt.timedelta(days=42)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    starts_at = dt.datetime.combine(day, dt.time(14), tzinfo=TOKYO)
    session, _ = await create_session(
        organizer, _session_input(series_id, "第3回 情報交換会", starts_at)
    )
    codes = [d.code for d in content.DELEGATIONS]
    links = await invite(organizer, session.id, codes)
    await transition(organizer, session.id, Transition.PUBLISH)
    tokens = {link.code: link.link.rsplit("/", 1)[1] for link in links}
    for submitted in content.DELEGATIONS:
        if submitted.code in content.UPCOMING_REGISTERED:
            access = await access_by_token(tokens[submitted.code])
            await register(access, _delegation(session, submitted, submitted.answers))
    waiting = {
        link.code: link.link for link in links if link.code not in content.UPCOMING_REGISTERED
    }
    return session, waiting


async def _invite(
    organizer: OrganizerIdentity, session: ExchangeSessionView, codes: list[str]
) -> dict[str, CoordinatorAccess]:
    links = await invite(organizer, session.id, codes)
    return {link.code: await access_by_token(link.link.rsplit("/", 1)[1]) for link in links}


def _delegation(
    session: ExchangeSessionView, submitted: content.DemoDelegation, answers: tuple[str, ...]
) -> DelegationInput:
    topics = tuple(segment.id for segment in session.discussions if segment.id is not None)
    attendees = tuple(
        AttendeeInput(
            name=person.name,
            reading=person.reading,
            department=person.department,
            position=person.position,
            email=f"demo{number}@{submitted.email_domain}",
            is_digital_department=person.is_digital_department,
            share_contact=person.share_contact,
            # Alternate first choices so both discussions fill.
            topic_preferences=topics if number % 2 else tuple(reversed(topics)),
        )
        for number, person in enumerate(submitted.people, start=1)
    )
    return DelegationInput(
        plan_status=submitted.plan_status,
        report_consent=submitted.report_consent,
        attendees=attendees,
        sharing_answers={
            item_id: answer
            for (item_id, _), answer in zip(session.sharing_items, answers, strict=True)
        },
    )


async def _next_outbox_id() -> int:
    last = (
        await OutboxMessage.select(OutboxMessage.id)
        .order_by(OutboxMessage.id, ascending=False)
        .first()
    )
    return (last["id"] if last else 0) + 1
