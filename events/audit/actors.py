"""Who did something, as people read it: the trail stores a reference such as `attendee:13`,
pages show 「岡山県岡山市 山田 太郎（参加者）」.

References are resolved when a page is shown, a few queries for a whole page (one per kind
of actor), so that a renamed organizer or municipality reads as it is named today.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from events.accounts.organizers import display_names as organizer_names
from events.lib.i18n import N_, gettext
from events.lib.numbers import parse_int
from events.tables import Attendee
from networking.municipalities import display_names as municipality_names

# Kinds of actor the trail records; anything else was done by the service itself (the worker).
ORGANIZER = "organizer"
COORDINATOR = "coordinator"
ATTENDEE = "attendee"
JOIN_REQUEST = "join_request"
SYSTEM = "system"
_KINDS = frozenset({ORGANIZER, COORDINATOR, ATTENDEE, JOIN_REQUEST})

SYSTEM_NAME = N_("システム")
# A person or municipality the reference no longer finds (removed data): said, not shown as ids.
UNKNOWN_ORGANIZER = N_("主催者（登録が削除されています）")
UNKNOWN_ATTENDEE = N_("参加者（登録が削除されています）")
COORDINATOR_NAME = N_("%(municipality)s 取りまとめ担当")
JOIN_REQUEST_NAME = N_("%(municipality)s（参加希望の申し出）")
ATTENDEE_NAME = N_("%(municipality)s %(name)s（参加者）")


@dataclass(frozen=True)
class Actor:
    kind: str
    ref: str


def parse_actor(stored: str) -> Actor:
    """The kind and reference of a stored actor; unknown kinds are the system."""
    kind, _, ref = stored.partition(":")
    return Actor(kind, ref) if kind in _KINDS and ref else Actor(SYSTEM, "")


async def actor_names(stored: Iterable[str]) -> dict[str, str]:
    """Each stored actor reference -> the name pages show, in the current language."""
    actors = {value: parse_actor(value) for value in stored}
    organizers = await organizer_names(_numbers(actors.values(), ORGANIZER))
    attendees = await _attendees(_numbers(actors.values(), ATTENDEE))
    codes = {a.ref for a in actors.values() if a.kind in {COORDINATOR, JOIN_REQUEST}}
    municipalities = await municipality_names(codes | {code for code, _ in attendees.values()})
    return {
        value: _name(actor, organizers, attendees, municipalities)
        for value, actor in actors.items()
    }


def _numbers(actors: Iterable[Actor], kind: str) -> list[int]:
    return sorted(
        {number for a in actors if a.kind == kind and (number := parse_int(a.ref)) is not None}
    )


async def _attendees(ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """Attendee id -> (municipality code, person's name)."""
    if not ids:
        return {}
    rows = await Attendee.select(
        Attendee.id,
        Attendee.name,
        Attendee.registration.municipality.as_alias("code"),
    ).where(Attendee.id.is_in(list(ids)))
    return {row["id"]: (row["code"], row["name"]) for row in rows}


def _name(
    actor: Actor,
    organizers: dict[int, str],
    attendees: dict[int, tuple[str, str]],
    municipalities: dict[str, str],
) -> str:
    number = parse_int(actor.ref)
    if actor.kind == ORGANIZER:
        found = organizers.get(number) if number is not None else None
        return found or gettext(UNKNOWN_ORGANIZER)
    if actor.kind == ATTENDEE:
        person = attendees.get(number) if number is not None else None
        if person is None:
            return gettext(UNKNOWN_ATTENDEE)
        code, name = person
        return gettext(ATTENDEE_NAME, municipality=municipalities.get(code, ""), name=name)
    if actor.kind in {COORDINATOR, JOIN_REQUEST}:
        template = COORDINATOR_NAME if actor.kind == COORDINATOR else JOIN_REQUEST_NAME
        return gettext(template, municipality=municipalities.get(actor.ref, actor.ref))
    return gettext(SYSTEM_NAME)
