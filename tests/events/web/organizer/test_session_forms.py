"""Reading the session form: agenda rows by position, removed and empty rows, typed numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from events.lib.errors import ValidationError
from events.lib.formatting import TOKYO
from events.web.forms import PostedForm
from events.web.organizer.session_forms import SegmentFields, SessionFields, read, to_input


def segment_form(*rows: dict[str, str], **fields: str) -> PostedForm:
    pairs = list(fields.items())
    for number, row in enumerate(rows):
        pairs.extend((f"segment-{number}-{key}", value) for key, value in row.items())
    return PostedForm(pairs)


def row(title: str, position: str, **extra: str) -> dict[str, str]:
    return {
        "id": "",
        "kind": "other",
        "title": title,
        "minutes": "5",
        "position": position,
        **extra,
    }


def titles(form: PostedForm) -> list[str]:
    fields, _ = read(form)
    return [segment.title for segment in fields.segments]


def test_rows_follow_their_position_numbers() -> None:
    form = segment_form(row("開会", "1"), row("共有", "2"), row("討議", "3"), row("閉会", "4"))
    assert titles(form) == ["開会", "共有", "討議", "閉会"]


def test_a_row_moved_to_a_taken_place_goes_before_the_row_that_held_it() -> None:
    form = segment_form(row("開会", "1"), row("共有", "2"), row("討議", "3"), row("閉会", "1"))
    assert titles(form) == ["閉会", "開会", "共有", "討議"]


def test_unreadable_positions_keep_the_row_in_place() -> None:
    form = segment_form(row("開会", "一"), row("共有", ""), row("討議", "9" * 5000))
    assert titles(form) == ["開会", "共有", "討議"]


def test_removed_rows_and_empty_new_rows_are_dropped() -> None:
    form = segment_form(
        row("開会", "1"),
        row("共有", "2", remove="1"),
        row(" ", "3", items="\r\n"),
        row("", "4", id="17"),  # an existing segment emptied: kept, so the domain can refuse it
        action="add_segment",
    )
    fields, action = read(form)
    assert action == "add_segment"
    assert [(s.title, s.id) for s in fields.segments] == [("開会", ""), ("", "17")]


def test_only_plain_small_ids_are_taken_as_segment_ids() -> None:
    fields = SessionFields(
        title="第1回",
        region="chushikoku",
        date="2030-11-05",
        start_time="14:00",
        end_time="16:00",
        deadline_date="2030-10-29",
        capacity="３０",
        per_municipality_limit="3",
        segments=tuple(
            SegmentFields(id=value, kind="other", title=f"議題{n}")
            for n, value in enumerate(["12", "１２", "9" * 30, "x"])
        ),
    )
    data = to_input(fields, series_id=1, is_new=True)
    assert [segment.id for segment in data.agenda] == [12, None, None, None]
    assert data.capacity == 30
    assert data.starts_at == dt.datetime(2030, 11, 5, 14, tzinfo=TOKYO)
    assert data.registration_deadline == dt.datetime(2030, 10, 29, 17, tzinfo=TOKYO)


def test_unreadable_inputs_are_named_with_the_other_problems() -> None:
    fields = SessionFields(title="", region="chushikoku", date="2030-11-05", start_time="25:00")
    with pytest.raises(ValidationError) as refused:
        to_input(fields, series_id=1, is_new=True)
    assert sorted((p.field or "", p.message) for p in refused.value.problems) == [
        ("capacity", "定員を入力してください。"),
        ("deadline_date", "申込締切日を入力してください。"),
        ("end_time", "終了時刻を入力してください。"),
        ("per_municipality_limit", "1自治体あたりの上限を入力してください。"),
        ("start_time", "開始時刻は 14:00 のように入力してください。"),
        ("title", "タイトルを入力してください。"),
    ]
