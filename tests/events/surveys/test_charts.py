"""Server-drawn SVG bar charts: well-formed, described, escaped, proportional, deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from events.enums import QuestionKind
from events.surveys.charts import (
    MIN_LABEL_WIDTH,
    VALUE_WIDTH,
    WIDTH,
    BarSeries,
    bar_chart,
    question_chart,
)
from events.surveys.summary import QuestionResult

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 (markup drawn by our own code)


def test_chart_is_well_formed_svg_with_title_and_desc() -> None:
    svg = parsed(
        bar_chart("c1", "満足度", "回答3件", ["高い", "低い"], [BarSeries("回答数", (2, 1))])
    )
    assert svg.tag == f"{SVG}svg"
    assert (svg.get("role"), svg.get("aria-labelledby")) == ("img", "c1-title c1-desc")
    assert svg.findtext(f"{SVG}title") == "満足度"
    assert svg.findtext(f"{SVG}desc") == "回答3件"
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["高い", "2", "低い", "1"]


def test_bars_are_proportional_to_the_largest_value() -> None:
    svg = parsed(bar_chart("c", "t", "d", ["a", "b", "c"], [BarSeries("n", (4, 2, 0))]))
    widths = [float(rect.get("width", "")) for rect in svg.iter(f"{SVG}rect")]
    full = WIDTH - MIN_LABEL_WIDTH - VALUE_WIDTH
    assert widths == [full, full / 2, 0.0]


def test_text_is_escaped_and_the_chart_stays_well_formed() -> None:
    svg = parsed(
        bar_chart(
            'x"y', "<b>&題</b>", "a < b", ["<script>alert(1)</script>"], [BarSeries("&", (1,))]
        )
    )
    assert svg.findtext(f"{SVG}title") == "<b>&題</b>"
    assert svg.findtext(f"{SVG}desc") == "a < b"
    assert svg.find(f"{SVG}script") is None
    assert svg.get("aria-labelledby") == 'x"y-title x"y-desc'


def test_two_series_get_a_legend_and_two_bars_per_row() -> None:
    svg = parsed(
        bar_chart(
            "ba",
            "抵抗感",
            "d",
            ["ある", "ない"],
            [BarSeries("参加前", (3, 1)), BarSeries("参加後", (1, 3))],
        )
    )
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts[:2] == ["参加前", "参加後"]
    assert len(list(svg.iter(f"{SVG}rect"))) == 2 + 4


def test_same_input_gives_the_same_bytes() -> None:
    def draw() -> str:
        return str(bar_chart("c", "t", "d", ["a"], [BarSeries("n", (1,))]))

    assert draw() == draw()


def test_free_text_questions_have_no_chart() -> None:
    question = QuestionResult(
        question_id=1, position=1, label="ご意見", kind=QuestionKind.TEXT, answered=0
    )
    assert str(question_chart(question, "c")) == ""


def test_a_long_label_is_cut_in_the_chart_and_kept_whole_in_desc() -> None:
    long = "とても" * 30
    svg = parsed(bar_chart("c", "t", f"{long} 1件", [long], [BarSeries("n", (1,))]))
    shown = next(svg.iter(f"{SVG}text")).text or ""
    assert shown.endswith("…")
    assert long.startswith(shown[:-1])
    assert len(shown) < len(long)
    assert svg.findtext(f"{SVG}desc") == f"{long} 1件"
    bar = next(svg.iter(f"{SVG}rect"))
    assert bar.get("x") == "320"
