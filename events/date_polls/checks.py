"""What makes a date poll's input valid: a title and candidate slots that are still to come."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from events.lib.errors import Problems
from events.lib.formatting import format_period
from events.lib.i18n import N_

MAX_TITLE = 200
MAX_SLOTS = 30
MAX_RECIPIENTS = 2000


@dataclass(frozen=True)
class SlotInput:
    """A candidate start and end (aware datetimes; forms give them in Japan time)."""

    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class PollInput:
    """What an organizer proposes; no codes means every municipality of the series' region."""

    series_id: int
    title: str
    slots: tuple[SlotInput, ...]
    codes: tuple[str, ...] = ()
    contact_emails: Mapping[str, str] = field(default_factory=dict)
    # An existing session whose date the poll decides; None creates a draft on decision.
    session_id: int | None = None


def check_poll(data: PollInput, problems: Problems, *, now: dt.datetime) -> None:
    title = data.title.strip()
    if not title:
        problems.add("title", N_("タイトルを入力してください。"))
    elif len(title) > MAX_TITLE:
        problems.add("title", N_("タイトルは%(max)d文字以内にしてください。"), max=MAX_TITLE)
    check_slots(data.slots, problems, now=now)
    if len(data.codes) > MAX_RECIPIENTS:
        problems.add("codes", N_("一度に送れるのは%(max)d団体までです。"), max=MAX_RECIPIENTS)


def check_slots(slots: tuple[SlotInput, ...], problems: Problems, *, now: dt.datetime) -> None:
    """Every slot on its own (field `slots.<index>`), then the list as a whole (`slots`)."""
    if not slots:
        problems.add("slots", N_("候補日時を1つ以上入力してください。"))
    elif len(slots) > MAX_SLOTS:
        problems.add("slots", N_("候補日時は%(max)d件までにしてください。"), max=MAX_SLOTS)
    seen: dict[tuple[dt.datetime, dt.datetime], int] = {}
    for index, slot in enumerate(slots):
        where, number = f"slots.{index}", index + 1
        if slot.starts_at.tzinfo is None or slot.ends_at.tzinfo is None:
            problems.add(
                where,
                N_("候補%(n)dの日時にはタイムゾーン（例: +09:00）を付けてください。"),
                n=number,
            )
            continue
        if slot.ends_at <= slot.starts_at:
            problems.add(where, N_("候補%(n)dの終了時刻は開始時刻より後にしてください。"), n=number)
        elif slot.starts_at < now:
            problems.add(
                where,
                N_("候補%(n)d（%(slot)s）は過去の日時です。"),
                n=number,
                slot=format_period(slot.starts_at, slot.ends_at),
            )
        key = (slot.starts_at, slot.ends_at)
        if key in seen:
            problems.add(
                where, N_("候補%(n)dは候補%(first)dと同じ日時です。"), n=number, first=seen[key]
            )
        seen.setdefault(key, number)
