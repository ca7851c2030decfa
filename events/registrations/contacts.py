"""The consented contact exchange (名刺交換): the contacts an attendee may see, as list, CSV, vCard.

Once the assignment is published, everyone confirmed in the session sees the people of that
session who agreed to share their details (Attendee.share_contact), grouped by discussion group.
Someone who did not agree is never shown to anyone. Seeing others does not depend on having
agreed oneself: consent is about one's own details, and those who gave it gave it to the
session's participants. Lists are computed on every request and never stored, so withdrawing
consent removes a person from every list at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from events.enums import AssignmentState
from events.enums import RegistrationStatus as R
from events.groups.members import Member, group_label, members
from events.groups.queries import assignment_row
from events.lib.csv_export import csv_bytes
from events.lib.errors import ForbiddenError, NotFoundError
from events.lib.i18n import N_, gettext
from events.lib.links import site_host
from events.registrations.attendee_access import attendee_by_token
from events.registrations.vcard import Card, vcards
from events.sessions.exchange_sessions import ExchangeSessionView, get_session
from events.tables import Attendee


@dataclass(frozen=True)
class ContactGroup:
    """The consenting people of one discussion group; label None: not in a published group."""

    label: str | None
    is_own: bool
    contacts: tuple[Member, ...]


@dataclass(frozen=True)
class ContactBook:
    session: ExchangeSessionView
    published: bool
    groups: tuple[ContactGroup, ...]

    @property
    def contacts(self) -> tuple[Member, ...]:
        return tuple(person for group in self.groups for person in group.contacts)


async def shared_contacts(attendee_id: int) -> ContactBook:
    """What this attendee may see; empty (published False) until the groups are published."""
    row = (
        await Attendee.select(Attendee.status, Attendee.exchange_session)
        .where(Attendee.id == attendee_id)
        .first()
    )
    if row is None:
        raise NotFoundError(N_("参加者が見つかりません。"), field="attendee")
    if row["status"] != R.CONFIRMED:
        raise ForbiddenError(N_("名刺交換の一覧は、参加が確定した方だけが見られます。"))
    session = await get_session(row["exchange_session"])
    assignment = await assignment_row(session.id)
    if assignment is None or assignment["state"] != AssignmentState.PUBLISHED:
        return ContactBook(session, published=False, groups=())
    people = await members(session.id)
    own = next((set(m.published_placements) for m in people if m.id == attendee_id), set())
    shown = [m for m in people if m.share_contact and m.id != attendee_id]
    return ContactBook(session, published=True, groups=_grouped(session, shown, own))


async def contacts_by_token(token: str) -> ContactBook:
    access = await attendee_by_token(token)
    return await shared_contacts(access.attendee["id"])


def _grouped(
    session: ExchangeSessionView, people: Sequence[Member], own: set[tuple[int, int]]
) -> tuple[ContactGroup, ...]:
    """The viewer's own groups first, then topics (rounds) in agenda order and groups by number.

    In rounds a person appears in each of their groups."""
    order = {segment.id: index for index, segment in enumerate(session.discussions)}
    titles = {segment.id: segment.title for segment in session.discussions}
    by_group: dict[tuple[int, int] | None, list[Member]] = {}
    for person in people:
        seats = [seat for seat in person.published_placements if seat[0] in titles]
        keys: list[tuple[int, int] | None] = [*seats] if seats else [None]
        for key in keys:
            by_group.setdefault(key, []).append(person)

    def rank(key: tuple[int, int] | None) -> tuple[int, int, int]:
        if key is None:
            return (2, 0, 0)
        return (0 if key in own else 1, order[key[0]], key[1])

    return tuple(
        ContactGroup(
            label=group_label(titles[key[0]], key[1]) if key else None,
            is_own=key is not None and key in own,
            contacts=tuple(by_group[key]),
        )
        for key in sorted(by_group, key=rank)
    )


def contacts_csv(book: ContactBook) -> bytes:
    header = [gettext(t) for t in ("グループ", "氏名", "自治体", "所属", "メールアドレス")]
    rows = [
        (group.label or gettext("グループ未定"), p.name, p.municipality_name, p.department, p.email)
        for group in book.groups
        for p in group.contacts
    ]
    return csv_bytes(header, rows)


def contacts_vcard(book: ContactBook) -> str:
    return vcards(
        Card(
            uid=contact_uid(person.id),
            name=person.name,
            reading=person.reading,
            organization=person.municipality_name,
            department=person.department,
            title=gettext(person.position_label),
            email=person.email,
        )
        for person in book.contacts
    )


def contact_uid(attendee_id: int) -> str:
    """Stable for one attendee of this site, and no count of attendees can be read from it."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://{site_host()}/attendees/{attendee_id}").urn
