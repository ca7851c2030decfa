"""The organizer's poll form without JavaScript: slot rows (date, start, end) and recipients.

Rows are numbered fields (`slot_date_0`, `slot_start_0`, `slot_end_0`, ...) and a hidden `rows`
count; "行を追加" posts the form back and it is shown again with one more empty row.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from events.date_polls.checks import MAX_SLOTS, PollInput, SlotInput
from events.date_polls.queries import day_note
from events.lib.errors import Problems
from events.lib.formatting import TOKYO
from events.lib.i18n import N_
from events.lib.numbers import parse_int

DEFAULT_ROWS = 5
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
# Codes and addresses may be separated by spaces, tabs or commas (as pasted from Excel).
_SEPARATORS = re.compile(r"[\s,、]+")


@dataclass(frozen=True)
class SlotRow:
    date: str = ""
    start: str = ""
    end: str = ""

    @property
    def is_blank(self) -> bool:
        return not (self.date or self.start or self.end)

    @property
    def day_note(self) -> str:
        """Holiday or weekend of a row's date, shown beside it when the form comes back."""
        day = _date(self.date)
        return day_note(day) if day else ""


@dataclass(frozen=True)
class PollForm:
    """What was typed, kept as text so that the form can be shown again unchanged."""

    series: str = ""
    title: str = ""
    session: str = ""
    recipients: str = ""
    rows: tuple[SlotRow, ...] = ()

    def with_rows(self, count: int) -> tuple[SlotRow, ...]:
        """The filled rows first, then empty ones up to `count` (at most MAX_SLOTS)."""
        filled = tuple(row for row in self.rows if not row.is_blank)
        total = max(min(count, MAX_SLOTS), len(filled), 1)
        return filled + (SlotRow(),) * (total - len(filled))


def read_form(fields: Mapping[str, str]) -> PollForm:
    def text(name: str) -> str:
        return fields.get(name, "").strip()

    count = parse_int(text("rows")) or DEFAULT_ROWS
    rows = tuple(
        SlotRow(text(f"slot_date_{i}"), text(f"slot_start_{i}"), text(f"slot_end_{i}"))
        for i in range(min(count, MAX_SLOTS))
    )
    return PollForm(
        series=text("series"),
        title=text("title"),
        session=text("session"),
        recipients=fields.get("recipients", ""),
        rows=rows,
    )


def poll_input(form: PollForm, problems: Problems) -> PollInput:
    """The poll the form describes; what cannot even be read is added to `problems`."""
    series_id = parse_int(form.series)
    if series_id is None:
        problems.add("series", N_("シリーズを選択してください。"))
    filled = [row for row in form.rows if not row.is_blank]
    slots = tuple(slot for index, row in enumerate(filled) if (slot := _slot(index, row, problems)))
    codes, emails = read_recipients(form.recipients, problems)
    return PollInput(
        series_id=series_id or 0,
        title=form.title,
        slots=slots,
        codes=codes,
        contact_emails=emails,
        session_id=parse_int(form.session),
    )


def _slot(index: int, row: SlotRow, problems: Problems) -> SlotInput | None:
    day, start, end = _date(row.date), _time(row.start), _time(row.end)
    where, number = f"slots.{index}", index + 1
    if day is None:
        problems.add(where, N_("候補%(n)dの日付を「2030-11-05」の形で入力してください。"), n=number)
    if start is None or end is None:
        problems.add(
            where, N_("候補%(n)dの開始・終了時刻を「14:00」の形で入力してください。"), n=number
        )
    if day is None or start is None or end is None:
        return None
    return SlotInput(
        dt.datetime.combine(day, start, tzinfo=TOKYO), dt.datetime.combine(day, end, tzinfo=TOKYO)
    )


def _date(text: str) -> dt.date | None:
    match = _DATE.match(unicodedata.normalize("NFKC", text))
    try:
        return dt.date(*map(int, match.groups())) if match else None
    except ValueError:
        return None


def _time(text: str) -> dt.time | None:
    match = _TIME.match(unicodedata.normalize("NFKC", text))
    try:
        return dt.time(int(match[1]), int(match[2])) if match else None
    except ValueError:
        return None


def read_recipients(text: str, problems: Problems) -> tuple[tuple[str, ...], dict[str, str]]:
    """Lines of 「団体コード」 or 「団体コード メールアドレス」; full-width input is accepted."""
    codes: list[str] = []
    emails: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [part for part in _SEPARATORS.split(unicodedata.normalize("NFKC", line)) if part]
        if not parts:
            continue
        if len(parts) > 2:
            problems.add(
                "recipients",
                N_("%(line)d行目は「団体コード メールアドレス」の形で入力してください。"),
                line=number,
            )
            continue
        codes.append(parts[0])
        if len(parts) == 2:
            emails[parts[0]] = parts[1]
    return tuple(codes), emails
