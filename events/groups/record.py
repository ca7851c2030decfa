"""The stored reasons of an assignment: its score, notes and each group's reasons, as JSON text.

They are kept as computed when the assignment last changed: scored again later, pairs that met
in this very session would count as met before.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from networking.assignment import Assignment, GroupReason, Note, PreferenceTally, Score

Placement = tuple[int, int, int]  # attendee id, topic (segment) id, group number


@dataclass(frozen=True)
class Record:
    score: Score
    notes: tuple[Note, ...]
    reasons: dict[tuple[int, int], GroupReason]  # (topic id, group number) -> why
    size_status: dict[int, str]  # topic id -> "ok", "plenary", "out_of_bounds" or "empty"
    placements: frozenset[Placement]  # the layout these reasons describe


def to_json(
    result: Assignment, numbers: Mapping[str, Sequence[int]], titles: Mapping[str, str]
) -> str:
    """`numbers`: each topic's group numbers in the order of its groups; `titles` name topics."""
    groups, placements = [], []
    for topic in result.topics:
        for number, group in zip(numbers[topic.topic], topic.groups, strict=True):
            groups.append(
                {"topic": int(topic.topic), "number": number, **dataclasses.asdict(group.reason)}
            )
            placements += [[i, int(topic.topic), number] for i in group.attendee_ids]
    notes = [
        {
            "message": note.message,
            # Topics are segment ids to the algorithm; people read their titles.
            "params": [[k, titles.get(str(v), v) if k == "topic" else v] for k, v in note.params],
        }
        for note in result.notes
    ]
    return json.dumps(
        {
            "score": dataclasses.asdict(result.score),
            "notes": notes,
            "groups": groups,
            "topics": {t.topic: t.size_status for t in result.topics},
            "placements": sorted(placements),
        },
        ensure_ascii=False,
    )


def from_json(text: str) -> Record | None:
    """The stored record, or None before anything was stored."""
    data: dict[str, Any] = json.loads(text or "{}")
    if not data:
        return None
    return Record(
        score=Score(**{**data["score"], "preferences": _tally(data["score"]["preferences"])}),
        notes=tuple(
            Note(note["message"], tuple((k, v) for k, v in note["params"]))
            for note in data["notes"]
        ),
        reasons={(g["topic"], g["number"]): _reason(g) for g in data["groups"]},
        size_status={int(topic): status for topic, status in data["topics"].items()},
        placements=frozenset((a, t, g) for a, t, g in data["placements"]),
    )


def _tally(data: Mapping[str, Any]) -> PreferenceTally:
    return PreferenceTally(tuple(data["by_rank"]), data["unlisted"], data["no_preference"])


def _reason(data: Mapping[str, Any]) -> GroupReason:
    return GroupReason(
        new_pairs=data["new_pairs"],
        repeated_pairs=data["repeated_pairs"],
        same_municipality_pairs=data["same_municipality_pairs"],
        stages=tuple((name, count) for name, count in data["stages"]),
        tiers=tuple((name, count) for name, count in data["tiers"]),
        preferences=_tally(data["preferences"]),
        again_in_session=data.get("again_in_session", 0),  # absent from records before rounds
    )
