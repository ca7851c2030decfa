"""The network picture's layout: fixed, round a circle, prefectures together with gaps."""

from __future__ import annotations

import itertools
import math

from networking.network_layout import circle_layout


def test_the_same_codes_give_the_same_picture_in_any_order() -> None:
    codes = ["331007", "330001", "341002", "370002"]
    assert circle_layout(codes, 200, 20) == circle_layout(list(reversed(codes)), 200, 20)


def test_nodes_run_clockwise_from_the_top_with_a_gap_between_prefectures() -> None:
    placed = circle_layout(["330001", "331007", "341002"], 200, 20)
    assert [p.code for p in placed] == ["330001", "331007", "341002"]
    # Slots 0, 1, (gap), 3, (gap): five slots round the circle of radius 80.
    angles = [math.atan2(p.y - 100, p.x - 100) for p in placed]
    steps = [round(math.degrees((b - a) % (2 * math.pi))) for a, b in itertools.pairwise(angles)]
    assert steps == [72, 144]
    top = placed[0]
    assert (top.x, top.y, top.anchor) == (100.0, 20.0, "middle")
    assert (top.label_x, top.label_y) == (100.0, 14.0)
    assert placed[1].anchor == "start"
    assert placed[2].anchor == "end"


def test_one_prefecture_has_no_gap_and_nothing_is_empty() -> None:
    placed = circle_layout(["331007", "330001"], 100, 10)
    assert [(p.x, p.y) for p in placed] == [(50.0, 10.0), (50.0, 90.0)]
    assert circle_layout([], 100, 10) == []
