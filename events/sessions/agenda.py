"""A session's agenda: ordered segments (sharing round, discussion topics, other) and items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from events.enums import SegmentKind
from events.lib.errors import Problems
from events.lib.i18n import N_
from events.lib.raw_sql import placeholders
from events.tables import AgendaItem, AgendaSegment

MAX_SEGMENTS = 20
MAX_ITEMS = 20
MAX_TITLE = 200
MAX_ITEM = 500
MAX_MINUTES = 600


@dataclass(frozen=True)
class Segment:
    """One agenda segment; `items` are sharing items or discussion points (論点)."""

    kind: str
    title: str
    minutes: int
    items: tuple[str, ...] = ()
    id: int | None = None
    # Ids of the stored items, parallel to `items`; empty for input not yet saved.
    item_ids: tuple[int, ...] = ()

    @property
    def is_discussion(self) -> bool:
        return self.kind == SegmentKind.DISCUSSION

    @property
    def is_sharing(self) -> bool:
        return self.kind == SegmentKind.SHARING


def normalized(segments: Sequence[Segment]) -> tuple[Segment, ...]:
    """Titles and items trimmed, blank items dropped (a textarea line left empty is no item)."""
    return tuple(
        Segment(
            kind=segment.kind,
            title=segment.title.strip(),
            minutes=segment.minutes,
            items=tuple(item.strip() for item in segment.items if item.strip()),
            id=segment.id,
        )
        for segment in segments
    )


def check(segments: Sequence[Segment], problems: Problems) -> None:
    """Add a problem for every segment or item that cannot be saved."""
    if len(segments) > MAX_SEGMENTS:
        problems.add("agenda", N_("議題は%(max)d件までです。"), max=MAX_SEGMENTS)
    for index, segment in enumerate(segments):
        field, number = f"agenda[{index}]", index + 1
        if segment.kind not in set(SegmentKind):
            problems.add(
                f"{field}.kind", N_("議題 %(number)d の種類を選んでください。"), number=number
            )
        if not segment.title:
            problems.add(
                f"{field}.title",
                N_("議題 %(number)d のタイトルを入力してください。"),
                number=number,
            )
        elif len(segment.title) > MAX_TITLE:
            problems.add(
                f"{field}.title",
                N_("議題 %(number)d のタイトルは%(max)d文字以内にしてください。"),
                number=number,
                max=MAX_TITLE,
            )
        if not 0 <= segment.minutes <= MAX_MINUTES:
            problems.add(
                f"{field}.minutes",
                N_("議題 %(number)d の時間は0〜%(max)d分にしてください。"),
                number=number,
                max=MAX_MINUTES,
            )
        _check_items(segment, field, number, problems)


def _check_items(segment: Segment, field: str, number: int, problems: Problems) -> None:
    if len(segment.items) > MAX_ITEMS:
        problems.add(
            f"{field}.items",
            N_("議題 %(number)d の項目は%(max)d件までです。"),
            number=number,
            max=MAX_ITEMS,
        )
    if any(len(item) > MAX_ITEM for item in segment.items):
        problems.add(
            f"{field}.items",
            N_("議題 %(number)d の各項目は%(max)d文字以内にしてください。"),
            number=number,
            max=MAX_ITEM,
        )


async def save(session_id: int, segments: Sequence[Segment]) -> None:
    """Store the agenda of a session; call inside the caller's write transaction.

    Segments and items keep their ids across edits (registrations refer to discussion topics
    and sharing items by id): a segment is matched by its id, else by kind and title; an
    item by its text within its segment. Whatever is not matched is removed.
    """
    existing = await AgendaSegment.select().where(AgendaSegment.exchange_session == session_id)
    unmatched = {row["id"]: row for row in existing}
    for position, segment in enumerate(segments):
        row = _match(segment, unmatched)
        values: dict[str, Any] = {
            "position": position,
            "kind": segment.kind,
            "title": segment.title,
            "minutes": segment.minutes,
        }
        if row is None:
            created = AgendaSegment(exchange_session=session_id, **values)
            await created.save()
            segment_id = int(created.id)
        else:
            segment_id = int(row["id"])
            del unmatched[segment_id]
            await AgendaSegment.update(**values).where(AgendaSegment.id == segment_id)
        await _save_items(segment_id, segment.items)
    if unmatched:
        await AgendaSegment.delete().where(AgendaSegment.id.is_in(list(unmatched)))


def _match(segment: Segment, unmatched: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
    if segment.id is not None and segment.id in unmatched:
        return unmatched[segment.id]
    for row in unmatched.values():
        if row["kind"] == segment.kind and row["title"] == segment.title:
            return row
    return None


async def _save_items(segment_id: int, texts: Sequence[str]) -> None:
    existing = await AgendaItem.select(AgendaItem.id, AgendaItem.text).where(
        AgendaItem.segment == segment_id
    )
    by_text = {row["text"]: int(row["id"]) for row in existing}
    kept: set[int] = set()
    for position, text in enumerate(texts):
        item_id = by_text.get(text)
        if item_id is None or item_id in kept:
            created = AgendaItem(segment=segment_id, position=position, text=text)
            await created.save()
            kept.add(int(created.id))
        else:
            kept.add(item_id)
            await AgendaItem.update({AgendaItem.position: position}).where(AgendaItem.id == item_id)
    stale = [item_id for item_id in by_text.values() if item_id not in kept]
    if stale:
        await AgendaItem.delete().where(AgendaItem.id.is_in(stale))


# Segments with their items in one statement: a page reads its agenda in one round trip, and
# the query is written once rather than built anew by the query builder on every request.
_LOAD = """
SELECT segment.id, segment.exchange_session, segment.kind, segment.title, segment.minutes,
       item.id AS item_id, item.text AS item_text
FROM agenda_segment AS segment
LEFT JOIN agenda_item AS item ON item.segment = segment.id
WHERE segment.exchange_session IN ({sessions})
ORDER BY segment.exchange_session, segment.position, segment.id, item.position, item.id
"""


async def load(session_ids: Sequence[int]) -> dict[int, tuple[Segment, ...]]:
    """The agendas of several sessions in one query, keyed by session id."""
    if not session_ids:
        return {}
    ids = list(dict.fromkeys(session_ids))
    rows = await AgendaSegment.raw(_LOAD.format(sessions=placeholders(len(ids))), *ids)
    segments: dict[int, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    for row in rows:
        _, items = segments.setdefault(row["id"], (row, []))
        if row["item_id"] is not None:
            items.append(row)
    agendas: dict[int, list[Segment]] = {session_id: [] for session_id in ids}
    for row, items in segments.values():
        agendas[row["exchange_session"]].append(_segment(row, items))
    return {session_id: tuple(agenda) for session_id, agenda in agendas.items()}


def _segment(row: dict[str, Any], items: list[dict[str, Any]]) -> Segment:
    return Segment(
        kind=row["kind"],
        title=row["title"],
        minutes=row["minutes"],
        items=tuple(item["item_text"] for item in items),
        id=row["id"],
        item_ids=tuple(item["item_id"] for item in items),
    )
