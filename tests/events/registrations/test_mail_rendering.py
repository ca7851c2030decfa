"""A participant's mail is rendered once per session version and filled in per person.

Rendering is recorded by wrapping the composer the participants' mails use; each test starts
with nothing kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

from events.enums import RegistrationStatus as R
from events.groups.placement import GroupPlacement, Placement
from events.lib.clock import utcnow
from events.lib.errors import ValidationError
from events.lib.lru import LeastRecentlyUsed
from events.mail.compose import compose
from events.registrations import first_registrations, mail
from events.registrations.mail import mail_context, personal_link, place_mails, waitlist_mail
from events.registrations.registrations import register
from events.sessions.exchange_sessions import ExchangeSessionView, get_session, locked_session
from events.tables import Attendee, ExchangeSession, OutboxMessage
from tests.events.registrations.test_registrations import registered_at_once
from tests.factories import delegation, open_session, person


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kind of each mail composed, in order, from an empty store of rendered mails."""
    happened: list[str] = []

    def recorded_compose(kind: str, locale: str, **context: Any) -> Any:
        happened.append(kind)
        return compose(kind, locale, **context)

    monkeypatch.setattr(mail, "compose", recorded_compose)
    monkeypatch.setattr(mail, "_templates", LeastRecentlyUsed(max_entries=256))
    return happened


async def test_a_delegation_s_mails_are_rendered_once_for_all_of_its_people(
    renders: list[str],
) -> None:
    _, accesses = await open_session()
    await register(accesses["330001"], delegation(person(1), person(2), person(3)))
    assert renders == ["confirmation", "reminder"]
    attendees = await Attendee.select().order_by(Attendee.id)
    mails = await OutboxMessage.select(OutboxMessage.recipient, OutboxMessage.text_body).where(
        OutboxMessage.kind == "confirmation"
    )
    text_of = {row["recipient"]: row["text_body"] for row in mails}
    # Each mail names its own person and carries their own link, and no one else's.
    for attendee in attendees:
        text = text_of[attendee["email"]]
        assert text.startswith(f"{attendee['name']} 様")
        links = set(re.findall(r"https?://\S+/a/\S+", text))
        assert links == {personal_link(attendee)}


async def test_the_next_registration_of_an_unchanged_session_renders_nothing(
    renders: list[str],
) -> None:
    _, accesses = await open_session(capacity=2)
    await register(accesses["330001"], delegation(person(1, "a")))
    await register(accesses["331007"], delegation(person(1, "b"), person(2, "b")))
    # The second fills the first's confirmation for its first person; only its second waits.
    assert renders == ["confirmation", "reminder", "waitlisted"]


async def test_a_changed_session_is_rendered_again(renders: list[str]) -> None:
    """The organizer renames the session before the next registration takes its lock: the
    mail says the new title, in its text and its calendar entry."""
    _, accesses = await open_session()
    await register(accesses["330001"], delegation(person(1, "a")))
    session_id = accesses["331007"].session.id
    await ExchangeSession.update({ExchangeSession.title: "第3回 情報交換会（改称）"}).where(
        ExchangeSession.id == session_id
    )
    await register(accesses["331007"], delegation(person(1, "b")))
    assert renders == ["confirmation", "reminder", "confirmation", "reminder"]
    renamed = await OutboxMessage.select(OutboxMessage.text_body, OutboxMessage.calendar).where(
        OutboxMessage.recipient == person(1, "b").email, OutboxMessage.kind == "confirmation"
    )
    assert "「第3回 情報交換会（改称）」への参加登録が完了しました" in renamed[0]["text_body"]
    assert "SUMMARY:第3回 情報交換会（改称）" in renamed[0]["calendar"]


async def test_waiting_people_are_told_their_own_place_in_line(renders: list[str]) -> None:
    _, accesses = await open_session(capacity=2)
    await register(accesses["330001"], delegation(person(1, "a"), person(2, "a")))
    await register(accesses["331007"], delegation(person(1, "b"), person(2, "b")))
    mails = await OutboxMessage.select(OutboxMessage.recipient, OutboxMessage.text_body).where(
        OutboxMessage.kind == "waitlisted"
    )
    positions = {
        row["recipient"]: re.findall(r"現在の順番は (\S+) 番目", row["text_body"]) for row in mails
    }
    assert positions == {person(1, "b").email: ["1"], person(2, "b").email: ["2"]}
    assert renders.count("waitlisted") == 1
    # The line itself (ids) is in the same order as the mails say.
    waiting = (
        await Attendee.select(Attendee.email)
        .where(Attendee.status == R.WAITLISTED)
        .order_by(Attendee.id)
    )
    assert [row["email"] for row in waiting] == [person(1, "b").email, person(2, "b").email]


# Names that escaping, spacing and both scripts must survive, as typed into the form.
NAMES = ("山田 太郎", "O'Brien & <Sons>", 'Taro "T" Suzuki', "佐藤　花子")


def _as_attendee(name: str, locale: str, status: str, nonce: str) -> dict[str, Any]:
    email = f"{nonce}@example.lg.jp"
    return {"name": name, "email": email, "locale": locale, "status": status, "link_nonce": nonce}


def _directly(
    kind: str, session: ExchangeSessionView, attendee: dict[str, Any], **extra: Any
) -> tuple[str, str, str]:
    composed = compose(kind, attendee["locale"], **mail_context(session, attendee, None, **extra))
    return composed.subject, composed.text, composed.html


@pytest.mark.parametrize("locale", ["ja", "en"])
async def test_a_filled_mail_is_the_mail_rendered_for_the_person(
    renders: list[str], locale: str
) -> None:
    _, accesses = await open_session()
    session = await get_session(accesses["330001"].session.id)
    now = utcnow()
    labels = (mail.CHANGE_LABELS["starts_at"], mail.CHANGE_LABELS["meeting_url"])
    previous = dataclasses.replace(session, starts_at=session.starts_at - dt.timedelta(days=1))
    update = {"changed_labels": labels, "previous": previous, "time_changed": True}
    for number, name in enumerate(NAMES):
        attendee = _as_attendee(name, locale, R.CONFIRMED, f"nonce{number}")
        for kind, extra in (("confirmation", {}), ("promoted", {}), ("update", update)):
            made = place_mails(kind, session, attendee, now, group=None, **extra).invitation
            assert (made.subject, made.text_body, made.html_body) == _directly(
                kind, session, attendee, **extra
            )
        waiting = _as_attendee(name, locale, R.WAITLISTED, f"nonce{number}")
        made = waitlist_mail(session, waiting, number + 12)
        assert (made.subject, made.text_body, made.html_body) == _directly(
            "waitlisted", session, waiting, position=number + 12
        )
    # Each kind was rendered once, for the first name; the others were filled in.
    assert sorted(set(renders)) == sorted(renders)


async def test_a_group_mail_is_rendered_once_per_group(renders: list[str]) -> None:
    _, accesses = await open_session()
    session = await get_session(accesses["330001"].session.id)
    groups = [
        Placement(
            (GroupPlacement(session.id, 1, "人事部門との連携", ("採用",), number, ("岡山県",)),)
        )
        for number in (1, 2)
    ]
    for number, name in enumerate(NAMES):
        attendee = _as_attendee(name, "ja", R.CONFIRMED, f"nonce{number}")
        group = groups[number % 2]
        made = place_mails("group_assigned", session, attendee, utcnow(), group=group).invitation
        direct = compose("group_assigned", "ja", **mail_context(session, attendee, group))
        assert (made.subject, made.text_body, made.html_body) == (
            direct.subject,
            direct.text,
            direct.html,
        )
        assert f"グループ{'AB'[number % 2]}" in made.text_body
    assert renders.count("group_assigned") == 2


async def test_another_site_address_is_rendered_again(
    renders: list[str], environment: Callable[..., None]
) -> None:
    """The links in a kept mail are the site's as it was rendered: a new address renders anew."""
    _, accesses = await open_session()
    session = await get_session(accesses["330001"].session.id)
    attendee = _as_attendee("山田 太郎", "ja", R.CONFIRMED, "nonce")
    place_mails("confirmation", session, attendee, utcnow(), group=None)
    environment(BASE_URL="https://tsunagu.example.org")
    made = place_mails("confirmation", session, attendee, utcnow(), group=None).invitation
    assert renders == ["confirmation", "reminder", "confirmation", "reminder"]
    assert "https://tsunagu.example.org/a/" in made.text_body
    assert made.text_body == _directly("confirmation", session, attendee)[1]


async def test_at_once_every_attendee_gets_one_mail_saying_what_was_decided() -> None:
    """Many registrations at once: whoever the lock decided would wait gets exactly the
    waitlist mail, whoever got a place exactly one confirmation, and nobody anything more."""
    capacity = 6
    await registered_at_once(capacity, count=18)
    attendees = await Attendee.select(Attendee.email, Attendee.status)
    mails = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.recipient)
    expected = sorted(
        (kind, row["email"])
        for row in attendees
        for kind in (
            ("confirmation", "reminder") if row["status"] == R.CONFIRMED else ("waitlisted",)
        )
    )
    assert sorted((row["kind"], row["recipient"]) for row in mails) == expected
    assert sum(row["status"] == R.CONFIRMED for row in attendees) == capacity


async def test_a_limit_lowered_before_the_lock_is_checked_under_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The delegation passed the checks against the session as its link read it; the
    organizer lowers the limit per municipality before the lock: it is refused there."""
    _, accesses = await open_session()
    access = accesses["330001"]
    lock = locked_session

    async def lowered_first(*args: Any) -> Any:
        await ExchangeSession.update({ExchangeSession.per_municipality_limit: 1}).where(
            ExchangeSession.id == access.session.id
        )
        return await lock(*args)

    monkeypatch.setattr(first_registrations, "locked_session", lowered_first)
    with pytest.raises(ValidationError):
        await register(access, delegation(person(1), person(2)))
    assert await Attendee.count() == 0
    assert await OutboxMessage.count() == 0
