"""The organizer's session form: values as typed, turned into a SessionInput, problems per input.

Times are typed in Japan time as a date and start and end times. The agenda editor works without
JavaScript: every segment has a position number (to reorder), a remove checkbox, and its items
one per line; "議題を追加" posts the form to show it again with one more empty segment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from events.enums import SegmentKind
from events.lib.clock import utcnow
from events.lib.errors import DomainError, Problem, Problems, ValidationError
from events.lib.formatting import TOKYO, in_tokyo
from events.lib.i18n import N_
from events.lib.numbers import parse_int
from events.sessions.agenda import Segment
from events.sessions.checks import SessionInput, check
from events.sessions.exchange_sessions import ExchangeSessionView
from events.sessions.lifecycle import Transition
from events.web.forms import UNCONFIRMED_PUBLICATION, PostedForm, check_confirmed

ADD_SEGMENT = "add_segment"
DEFAULT_DEADLINE_TIME = "17:00"
# More rows than any agenda may have (agenda.MAX_SEGMENTS) is a forged form: the rest is ignored.
MAX_SEGMENT_ROWS = 50
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
MAX_REASON = 1000
# Far enough ahead never to be "in the past", near enough to convert to UTC.
STAND_IN_START = dt.datetime(2099, 1, 1, 10, tzinfo=TOKYO)
_SEGMENT_KEY = re.compile(r"^segment-(\d{1,4})-kind$")
_AGENDA_FIELD = re.compile(r"^agenda\[(\d+)\]\.(\w+)$")
# Where the domain's field names are typed on the form.
_INPUT_OF_FIELD = {
    "starts_at": "date",
    "ends_at": "end_time",
    "registration_deadline": "deadline_date",
}

# (missing, malformed) for every input that must be read as a date, a time or a number.
_MESSAGES = {
    "date": (
        N_("開催日を入力してください。"),
        N_("開催日は 2030-11-04 のように入力してください。"),
    ),
    "start_time": (
        N_("開始時刻を入力してください。"),
        N_("開始時刻は 14:00 のように入力してください。"),
    ),
    "end_time": (
        N_("終了時刻を入力してください。"),
        N_("終了時刻は 16:00 のように入力してください。"),
    ),
    "deadline_date": (
        N_("申込締切日を入力してください。"),
        N_("申込締切日は 2030-10-28 のように入力してください。"),
    ),
    "deadline_time": (
        N_("申込締切の時刻を入力してください。"),
        N_("申込締切の時刻は 17:00 のように入力してください。"),
    ),
    "capacity": (N_("定員を入力してください。"), N_("定員は数字で入力してください。")),
    "per_municipality_limit": (
        N_("1自治体あたりの上限を入力してください。"),
        N_("1自治体あたりの上限は数字で入力してください。"),
    ),
}

T = TypeVar("T")


@dataclass(frozen=True)
class SegmentFields:
    """One agenda segment as typed: `items` holds one sharing item or 論点 per line."""

    id: str = ""
    kind: str = SegmentKind.SHARING.value
    title: str = ""
    minutes: str = ""
    items: str = ""

    @property
    def is_blank(self) -> bool:
        """A new row left empty (e.g. the one "議題を追加" made) is no segment."""
        return not self.id and not self.title.strip() and not self.items.strip()


@dataclass(frozen=True)
class SessionFields:
    """Every input of the form, as text, so that a refused form shows what was typed."""

    title: str = ""
    region: str = ""
    date: str = ""
    start_time: str = ""
    end_time: str = ""
    deadline_date: str = ""
    deadline_time: str = DEFAULT_DEADLINE_TIME
    capacity: str = ""
    per_municipality_limit: str = ""
    meeting_url: str = ""
    meeting_passcode: str = ""
    background: str = ""
    segments: tuple[SegmentFields, ...] = ()

    def with_blank_segment(self) -> SessionFields:
        return replace(self, segments=(*self.segments, SegmentFields()))


_TEXT_INPUTS = tuple(
    field.name for field in dataclasses.fields(SessionFields) if field.name != "segments"
)
_FORM_ORDER = (*_TEXT_INPUTS, "agenda")
_SEGMENT_PARTS = ("position", "kind", "title", "minutes", "items")
_SEGMENT_INPUT = re.compile(rf"^segment-(\d+)-({'|'.join(_SEGMENT_PARTS)})$")


def new_form(region: str) -> SessionFields:
    """The form of a new session of a series: its region, and one empty segment to fill in."""
    return SessionFields(region=region, segments=(SegmentFields(),))


def from_session(view: ExchangeSessionView) -> SessionFields:
    """The form of an existing session, times in Japan time."""
    start, end, deadline = (
        in_tokyo(view.starts_at),
        in_tokyo(view.ends_at),
        in_tokyo(view.registration_deadline),
    )
    return SessionFields(
        title=view.title,
        region=view.region,
        date=start.date().isoformat(),
        start_time=start.strftime("%H:%M"),
        end_time=end.strftime("%H:%M"),
        deadline_date=deadline.date().isoformat(),
        deadline_time=deadline.strftime("%H:%M"),
        capacity=str(view.capacity),
        per_municipality_limit=str(view.per_municipality_limit),
        meeting_url=view.meeting_url,
        meeting_passcode=view.meeting_passcode,
        background=view.background,
        segments=tuple(
            SegmentFields(
                id=str(segment.id) if segment.id is not None else "",
                kind=segment.kind,
                title=segment.title,
                minutes=str(segment.minutes),
                items="\n".join(segment.items),
            )
            for segment in view.agenda
        ),
    )


def read(form: PostedForm) -> tuple[SessionFields, str]:
    """The typed values and the button pressed ("add_segment", or "" for save)."""
    values = {name: form.get(name, "") for name in _TEXT_INPUTS}
    fields = SessionFields(**values, segments=_read_segments(form))
    return fields, form.get("action", "")


def _read_segments(form: PostedForm) -> tuple[SegmentFields, ...]:
    """Rows in the order of their position numbers, without removed and empty new ones."""
    numbers = sorted({int(match.group(1)) for key in form if (match := _SEGMENT_KEY.match(key))})[
        :MAX_SEGMENT_ROWS
    ]
    rows: list[tuple[int, int, int, SegmentFields]] = []
    for order, number in enumerate(numbers):
        prefix = f"segment-{number}-"
        if form.get(prefix + "remove", ""):
            continue
        position = _position(form.get(prefix + "position", ""), default=order + 1)
        # A row given a new position goes before the one that held that place.
        moved_first = 0 if position != order + 1 else 1
        row = SegmentFields(
            id=form.get(prefix + "id", "").strip(),
            kind=form.get(prefix + "kind", ""),
            title=form.get(prefix + "title", ""),
            minutes=form.get(prefix + "minutes", ""),
            items=form.get(prefix + "items", ""),
        )
        if not row.is_blank:
            rows.append((position, moved_first, order, row))
    return tuple(row for *_, row in sorted(rows, key=lambda entry: entry[:3]))


def _position(text: str, *, default: int) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return default


def to_input(fields: SessionFields, series_id: int, *, is_new: bool) -> SessionInput:
    """The session the form describes; ValidationError naming the inputs of every problem."""
    problems = Problems()
    starts_at, ends_at, deadline = _moments(fields, problems)
    capacity = _read(problems, "capacity", fields.capacity, int)
    limit = _read(problems, "per_municipality_limit", fields.per_municipality_limit, int)
    agenda = tuple(_segment(index, row, problems) for index, row in enumerate(fields.segments))
    # Stand-ins for what could not be read (never saved): the other fields are still checked,
    # so that the organizer sees every problem of the form at once.
    starts_at = starts_at or STAND_IN_START
    data = SessionInput(
        series_id=series_id,
        title=fields.title,
        region=fields.region,
        starts_at=starts_at,
        ends_at=ends_at or starts_at + dt.timedelta(hours=1),
        registration_deadline=deadline or starts_at,
        capacity=capacity if capacity is not None else max(limit or 1, 1),
        per_municipality_limit=limit if limit is not None else 1,
        meeting_url=fields.meeting_url,
        meeting_passcode=fields.meeting_passcode,
        background=fields.background,
        agenda=agenda,
    )
    if problems:
        try:
            check(data.normalized(), now=utcnow(), is_new=is_new)
        except ValidationError as error:
            problems.items.extend(error.problems)
        problems.raise_if_any()
    return data


def _moments(
    fields: SessionFields, problems: Problems
) -> tuple[dt.datetime | None, dt.datetime | None, dt.datetime | None]:
    """Start, end and registration deadline in Japan time; None for what cannot be read."""
    day = _read(problems, "date", fields.date, _date)
    start = _read(problems, "start_time", fields.start_time, dt.time.fromisoformat)
    end = _read(problems, "end_time", fields.end_time, dt.time.fromisoformat)
    deadline_day = _read(problems, "deadline_date", fields.deadline_date, _date)
    deadline_time = _read(problems, "deadline_time", fields.deadline_time, dt.time.fromisoformat)
    starts_at = ends_at = deadline = None
    if day and start and end:
        starts_at = dt.datetime.combine(day, start, tzinfo=TOKYO)
        ends_at = dt.datetime.combine(day, end, tzinfo=TOKYO)
    if deadline_day and deadline_time:
        deadline = dt.datetime.combine(deadline_day, deadline_time, tzinfo=TOKYO)
    return starts_at, ends_at, deadline


def confirmed_reason(form: Mapping[str, str], transition: Transition) -> str:
    """The reason participants are told of a cancellation ("" for other changes); refused
    unless the organizer ticked the confirmation."""
    problems = Problems()
    reason = form.get("reason", "").strip() if transition is Transition.CANCEL else ""
    if len(reason) > MAX_REASON:
        problems.add("reason", N_("中止の理由は%(max)d文字以内にしてください。"), max=MAX_REASON)
    check_confirmed(form, problems, UNCONFIRMED[transition])
    problems.raise_if_any()
    return reason


UNCONFIRMED = {
    Transition.PUBLISH: UNCONFIRMED_PUBLICATION,
    Transition.CLOSE_REGISTRATION: N_(
        "受付を締め切ってよいか確認のうえ、チェックを入れてください。"
    ),
    Transition.MARK_HELD: N_("開催済みにしてよいか確認のうえ、チェックを入れてください。"),
    Transition.CANCEL: N_("中止してよいか確認のうえ、チェックを入れてください。"),
}


def changes_of(data: SessionInput) -> dict[str, Any]:
    """Every field of the form as a change: the domain works out which ones really changed."""
    return {field.name: getattr(data, field.name) for field in dataclasses.fields(data)}


def _date(text: str) -> dt.date:
    day = dt.date.fromisoformat(text)
    # Far-off years cannot be converted to UTC and are typing mistakes anyway.
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise ValueError(text)
    return day


def _read(problems: Problems, name: str, text: str, parse: Callable[[str], T]) -> T | None:
    """The parsed value; else None and a problem for the input."""
    missing, malformed = _MESSAGES[name]
    text = text.strip()
    if not text:
        problems.add(name, missing)
        return None
    try:
        # int() also reads full-width digits (３０), which Japanese input methods often produce.
        return parse(text)
    except ValueError:
        problems.add(name, malformed)
        return None


def _segment(index: int, row: SegmentFields, problems: Problems) -> Segment:
    minutes = 0
    if row.minutes.strip():
        try:
            minutes = int(row.minutes.strip())
        except ValueError:
            problems.add(
                f"segment-{index}-minutes",
                N_("議題 %(number)d の時間は数字（分）で入力してください。"),
                number=index + 1,
            )
    return Segment(
        kind=row.kind,
        title=row.title,
        minutes=minutes,
        items=tuple(row.items.splitlines()),
        # Ids only ever come from hidden inputs; anything else is a new segment.
        id=parse_int(row.id),
    )


def input_problems(error: DomainError) -> list[Problem]:
    """The error's problems naming the form inputs they are about, in the order of the form."""
    problems = [replace(problem, field=_input_of(problem.field)) for problem in error.problems]
    return sorted(problems, key=_form_order)


def _form_order(problem: Problem) -> tuple[int, int, int]:
    field = problem.field or ""
    if match := _SEGMENT_INPUT.match(field):
        part = match.group(2)
        return len(_FORM_ORDER), int(match.group(1)), _SEGMENT_PARTS.index(part)
    return (_FORM_ORDER.index(field) if field in _FORM_ORDER else len(_FORM_ORDER) + 1), 0, 0


def _input_of(field: str | None) -> str | None:
    if field is None:
        return None
    if match := _AGENDA_FIELD.match(field):
        return f"segment-{match.group(1)}-{match.group(2)}"
    return _INPUT_OF_FIELD.get(field, field)
