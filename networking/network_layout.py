"""Where municipalities go in a network picture: a fixed circle, grouped by prefecture."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

LABEL_OFFSET = 10.0  # labels sit this far outside the circle, away from the lines


@dataclass(frozen=True)
class Placed:
    """A node's centre, and where its label starts and which way it runs (SVG text-anchor)."""

    code: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


def circle_layout(codes: Sequence[str], size: float, margin: float) -> list[Placed]:
    """Codes in order round a circle from the top, clockwise, one empty slot between prefectures.

    Codes start with their prefecture, so sorting keeps each prefecture together; the gaps make
    the prefectures visible as arcs. The same codes always give the same picture.
    """
    ordered = sorted(set(codes))
    slots: list[int] = []
    slot = 0
    for index, code in enumerate(ordered):
        if index and code[:2] != ordered[index - 1][:2]:
            slot += 1  # a gap before a new prefecture
        slots.append(slot)
        slot += 1
    gaps_at_end = 1 if ordered and ordered[0][:2] != ordered[-1][:2] else 0
    total = max(slot + gaps_at_end, 1)
    centre, radius = size / 2, size / 2 - margin
    placed = []
    for code, position in zip(ordered, slots, strict=True):
        angle = 2 * math.pi * position / total - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        anchor = "start" if cos > 0.1 else "end" if cos < -0.1 else "middle"
        placed.append(
            Placed(
                code=code,
                x=round(centre + radius * cos, 1),
                y=round(centre + radius * sin, 1),
                label_x=round(centre + (radius + LABEL_OFFSET) * cos, 1),
                label_y=round(centre + (radius + LABEL_OFFSET) * sin + 4, 1),
                anchor=anchor,
            )
        )
    return placed
