"""Calendar files kept per session version: the same bytes as rendered anew from the database,
and every change to what they are made of is in the very next file."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from events.calendars import entries, session_files
from events.invitations.invitations import access_by_token
from events.lib.errors import NotFoundError
from events.lib.i18n import use_locale
from events.organizing.session_actions import transition
from events.registrations.attendee_access import calendar_by_token
from events.registrations.registrations import register
from events.sessions.exchange_sessions import ExchangeSessionView, change_session, get_session
from events.sessions.lifecycle import Transition
from events.tables import Attendee, ExchangeSession, Organizer, Series
from tests.factories import (
    attendee_token,
    delegation,
    make_session,
    open_session_with_links,
    person,
)

OKAYAMA_PREF = "330001"
LATER = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)

Change = Callable[[Any, ExchangeSessionView, dict[str, Any]], Awaitable[object]]


async def registered() -> tuple[Any, ExchangeSessionView, list[dict[str, Any]]]:
    """A published session with two confirmed attendees; their rows in order."""
    organizer, session, tokens = await open_session_with_links()
    people = delegation(person(1, name="山田 太郎"), person(2, name="鈴木, 一郎; 総務課: 係長"))
    await register(await access_by_token(tokens[OKAYAMA_PREF]), people)
    return organizer, session, await Attendee.select().order_by(Attendee.id)


async def rendered_anew(attendee_id: int) -> bytes:
    """The attendee's file as entries.invitation_file makes it from rows read now."""
    row = await Attendee.select().where(Attendee.id == attendee_id).first()
    assert row is not None
    session = await get_session(row["exchange_session"])
    now = max(session.updated_at, row["updated_at"])
    return entries.invitation_file(session, email=row["email"], name=row["name"], now=now)


async def personal_file(attendee: dict[str, Any]) -> bytes:
    return (await calendar_by_token(attendee_token(attendee))).content


async def test_every_attendee_gets_the_file_rendered_anew_for_them() -> None:
    _, _, attendees = await registered()
    for attendee in attendees * 2:  # the second round comes from the kept rendering
        assert await personal_file(attendee) == await rendered_anew(attendee["id"])
    first, second = [await personal_file(attendee) for attendee in attendees]
    assert first != second


async def _retitle(organizer: Any, session: ExchangeSessionView, _: dict[str, Any]) -> None:
    await change_session(organizer, session.id, {"title": "第4回 情報交換会"})


async def _reschedule(organizer: Any, session: ExchangeSessionView, _: dict[str, Any]) -> None:
    starts_at = session.starts_at + dt.timedelta(hours=1)
    changes = {"starts_at": starts_at, "ends_at": starts_at + dt.timedelta(hours=2)}
    await change_session(organizer, session.id, changes)


async def _new_agenda(organizer: Any, session: ExchangeSessionView, _: dict[str, Any]) -> None:
    first, *rest = session.agenda
    agenda = (dataclasses.replace(first, title="開会のあいさつ（変更）"), *rest)
    await change_session(organizer, session.id, {"agenda": agenda})


async def _cancel(organizer: Any, session: ExchangeSessionView, _: dict[str, Any]) -> None:
    await transition(organizer, session.id, Transition.CANCEL, reason="台風のため")


async def _title_by_another_process(
    _: Any, session: ExchangeSessionView, __: dict[str, Any]
) -> None:
    await ExchangeSession.update(
        {ExchangeSession.title: "別の題", ExchangeSession.updated_at: LATER}
    ).where(ExchangeSession.id == session.id)


async def _title_by_hand(_: Any, session: ExchangeSessionView, __: dict[str, Any]) -> None:
    # Without a new updated_at, as an edit in the database itself or a test with a fixed clock.
    await ExchangeSession.update({ExchangeSession.title: "手で直した題"}).where(
        ExchangeSession.id == session.id
    )


async def _organization_renamed(_: Any, session: ExchangeSessionView, __: dict[str, Any]) -> None:
    # An organizer's own details carry no updated_at of the session: they are read each time.
    owner = Series.select(Series.owner).where(Series.id == session.series_id)
    await Organizer.update({Organizer.organization: "高知県 デジタル政策課"}).where(
        Organizer.id.is_in(owner)
    )


async def _attendee_renamed(_: Any, __: ExchangeSessionView, attendee: dict[str, Any]) -> None:
    await Attendee.update(
        {
            Attendee.name: "山田 花子",
            Attendee.email: "hanako@example.lg.jp",
            Attendee.updated_at: LATER,
        }
    ).where(Attendee.id == attendee["id"])


@pytest.mark.parametrize(
    "change",
    [
        _retitle,
        _reschedule,
        _new_agenda,
        _cancel,
        _title_by_another_process,
        _title_by_hand,
        _organization_renamed,
        _attendee_renamed,
    ],
)
async def test_a_change_is_in_the_next_personal_file(change: Change) -> None:
    organizer, session, [attendee, _] = await registered()
    before = await personal_file(attendee)
    await change(organizer, session, attendee)
    after = await personal_file(attendee)
    assert after != before
    assert after == await rendered_anew(attendee["id"])


async def test_each_language_and_site_address_has_its_own_file(
    environment: Callable[..., None],
) -> None:
    _, _, [attendee, _] = await registered()
    japanese = await personal_file(attendee)
    with use_locale("en"):
        english = await personal_file(attendee)
        assert english == await rendered_anew(attendee["id"])
    assert english != japanese
    environment(BASE_URL="https://tsunagu.example.org")
    moved = await personal_file(attendee)
    assert b"tsunagu.example.org" in moved and moved == await rendered_anew(attendee["id"])


async def test_public_file_is_rendered_anew_after_each_change() -> None:
    organizer, session, _ = await registered()
    before = await session_files.public_file(session.id)
    assert before == entries.public_file(await get_session(session.id))
    assert await session_files.public_file(session.id) == before
    await _retitle(organizer, session, {})
    after = await session_files.public_file(session.id)
    assert after != before
    assert after == entries.public_file(await get_session(session.id))


async def test_public_file_of_a_draft_or_unknown_session_does_not_exist() -> None:
    draft = await make_session()
    for session_id in (draft.id, draft.id + 1000):
        with pytest.raises(NotFoundError):
            await session_files.public_file(session_id)
