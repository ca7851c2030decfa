"""Horizontal bar charts as SVG, drawn on the server: no JavaScript, readable in print and PDF.

Pure functions: the same results give the same bytes. Each chart carries <title> and <desc>
(named by aria-labelledby); pages put a table with the same numbers next to it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from events.lib.i18n import gettext

if TYPE_CHECKING:  # the summary draws its charts with this module: types only, no cycle
    from events.surveys.summary import LevelCount, QuestionResult

WIDTH = 640
FONT_SIZE = 13
# The label column grows with the longest label within these bounds; longer labels are cut
# with "…" (the full text is in <desc> and in the table beside the chart).
MIN_LABEL_WIDTH, MAX_LABEL_WIDTH = 120, 320
VALUE_WIDTH = 70
ROW_GAP = 10
BAR_HEIGHT = 18
TOP = 8
LEGEND_HEIGHT = 26
# Blue and orange stay apart for the common colour-vision deficiencies and in greyscale print.
COLOURS = ("#1f5fa8", "#c65a00")


@dataclass(frozen=True)
class BarSeries:
    name: str
    values: tuple[int, ...]


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[BarSeries],
) -> Markup:
    """One row per label, one bar per series in it; a legend when there are several series."""
    label_width = label_column(labels)
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    row_height = BAR_HEIGHT * len(series) + ROW_GAP
    height = TOP + legend + row_height * len(labels) + TOP
    largest = max((value for s in series for value in s.values), default=0) or 1
    scale = (WIDTH - label_width - VALUE_WIDTH) / largest
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="survey-chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
    ]
    if legend:
        parts.extend(_legend(series, label_width))
    for row, label in enumerate(labels):
        y = TOP + legend + row * row_height
        middle = y + BAR_HEIGHT * len(series) / 2
        parts.append(
            f'<text x="{label_width - 8}" y="{middle:.1f}" text-anchor="end" '
            f'dominant-baseline="middle" font-size="{FONT_SIZE}">'
            f"{escape(fitted(label, label_width - 16))}</text>"
        )
        for index, one in enumerate(series):
            value = one.values[row]
            top = y + index * BAR_HEIGHT
            width = value * scale
            parts.append(
                f'<rect x="{label_width}" y="{top + 2}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 4}" fill="{COLOURS[index % len(COLOURS)]}"/>'
            )
            parts.append(
                f'<text x="{label_width + width + 6:.1f}" y="{top + BAR_HEIGHT / 2:.1f}" '
                f'dominant-baseline="middle" font-size="12">{value}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text part is escaped above)


def text_width(text: str) -> float:
    """Roughly: wide (CJK) characters take a full em, others about half of one."""
    return sum(
        FONT_SIZE if unicodedata.east_asian_width(ch) in "WF" else FONT_SIZE * 0.6 for ch in text
    )


def label_column(labels: Sequence[str]) -> int:
    widest = max((text_width(label) for label in labels), default=0.0)
    return int(min(max(widest + 16, MIN_LABEL_WIDTH), MAX_LABEL_WIDTH))


def fitted(label: str, room: float) -> str:
    """The label, cut with "…" when it would not fit in `room` pixels."""
    if text_width(label) <= room:
        return label
    while label and text_width(label + "…") > room:
        label = label[:-1]
    return label + "…"


def _legend(series: Sequence[BarSeries], label_width: int) -> list[str]:
    parts = []
    for index, one in enumerate(series):
        x = label_width + index * 120
        parts.append(
            f'<rect x="{x}" y="{TOP}" width="12" height="12" '
            f'fill="{COLOURS[index % len(COLOURS)]}"/>'
        )
        parts.append(f'<text x="{x + 18}" y="{TOP + 10}" font-size="12">{escape(one.name)}</text>')
    return parts


def _described(levels: Sequence[LevelCount]) -> str:
    return gettext("、").join(
        gettext("%(label)s %(count)d件", label=level.label, count=level.count) for level in levels
    )


def question_chart(question: QuestionResult, chart_id: str) -> Markup:
    """The chart of a scale or before/after question; empty markup for free text."""
    if question.before_after is not None:
        result = question.before_after
        before, after = gettext("参加前"), gettext("参加後")
        desc = gettext(
            "回答%(answered)d件。%(before)s: %(before_counts)s。%(after)s: %(after_counts)s。",
            answered=question.answered,
            before=before,
            before_counts=_described(result.before),
            after=after,
            after_counts=_described(result.after),
        )
        return bar_chart(
            chart_id,
            question.label,
            desc,
            [level.label for level in result.before],
            [
                BarSeries(before, tuple(level.count for level in result.before)),
                BarSeries(after, tuple(level.count for level in result.after)),
            ],
        )
    if question.levels:
        desc = gettext(
            "回答%(answered)d件。%(counts)s。",
            answered=question.answered,
            counts=_described(question.levels),
        )
        return bar_chart(
            chart_id,
            question.label,
            desc,
            [level.label for level in question.levels],
            [BarSeries(gettext("回答数"), tuple(level.count for level in question.levels))],
        )
    return Markup("")
