"""What makes a session's fields valid, and what is merely worth a warning (holidays, overlaps)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

import holidays

from events.lib.errors import Problem, Problems
from events.lib.formatting import format_day, in_tokyo
from events.lib.i18n import N_, current_locale
from events.sessions import agenda
from events.sessions.agenda import Segment
from events.sessions.series import check_region

MAX_TITLE = 200
MAX_BACKGROUND = 10_000
MAX_URL = 500
MAX_PASSCODE = 64
MAX_CAPACITY = 10_000


@dataclass(frozen=True)
class SessionInput:
    """Everything an organizer sets on a session (times are aware datetimes)."""

    series_id: int
    title: str
    region: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    registration_deadline: dt.datetime
    capacity: int
    per_municipality_limit: int
    meeting_url: str = ""
    meeting_passcode: str = ""
    background: str = ""
    agenda: tuple[Segment, ...] = ()

    def normalized(self) -> SessionInput:
        return SessionInput(
            series_id=self.series_id,
            title=self.title.strip(),
            region=self.region,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            registration_deadline=self.registration_deadline,
            capacity=self.capacity,
            per_municipality_limit=self.per_municipality_limit,
            meeting_url=self.meeting_url.strip(),
            meeting_passcode=self.meeting_passcode.strip(),
            background=self.background.strip(),
            agenda=agenda.normalized(self.agenda),
        )


def check(data: SessionInput, *, now: dt.datetime, is_new: bool) -> None:
    """Raise ValidationError listing every problem of `data`; nothing is saved before this."""
    problems = Problems()
    _check_text(data, problems)
    check_region(data.region, problems)
    _check_times(data, problems, now=now, is_new=is_new)
    _check_numbers(data, problems)
    _check_meeting(data, problems)
    agenda.check(data.agenda, problems)
    problems.raise_if_any()


def _check_text(data: SessionInput, problems: Problems) -> None:
    if not data.title:
        problems.add("title", N_("タイトルを入力してください。"))
    elif len(data.title) > MAX_TITLE:
        problems.add("title", N_("タイトルは%(max)d文字以内にしてください。"), max=MAX_TITLE)
    if len(data.background) > MAX_BACKGROUND:
        problems.add(
            "background", N_("開催の背景は%(max)d文字以内にしてください。"), max=MAX_BACKGROUND
        )


def _check_times(data: SessionInput, problems: Problems, *, now: dt.datetime, is_new: bool) -> None:
    moments = {
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "registration_deadline": data.registration_deadline,
    }
    naive = [field for field, moment in moments.items() if moment.tzinfo is None]
    for field in naive:
        problems.add(field, N_("日時にはタイムゾーン（例: +09:00）を付けてください。"))
    if naive:
        return
    if data.ends_at <= data.starts_at:
        problems.add("ends_at", N_("終了日時は開始日時より後にしてください。"))
    if is_new and data.starts_at < now:
        problems.add("starts_at", N_("開始日時が過去になっています。"))
    if data.registration_deadline > data.starts_at:
        problems.add("registration_deadline", N_("申込締切は開始日時より前にしてください。"))


def _check_numbers(data: SessionInput, problems: Problems) -> None:
    if not 1 <= data.capacity <= MAX_CAPACITY:
        problems.add("capacity", N_("定員は1〜%(max)d人にしてください。"), max=MAX_CAPACITY)
    elif not 1 <= data.per_municipality_limit <= data.capacity:
        problems.add(
            "per_municipality_limit", N_("1自治体あたりの上限は1人以上、定員以下にしてください。")
        )


def _check_meeting(data: SessionInput, problems: Problems) -> None:
    if data.meeting_url:
        parts = urlsplit(data.meeting_url)
        if len(data.meeting_url) > MAX_URL:
            problems.add("meeting_url", N_("会議URLは%(max)d文字以内にしてください。"), max=MAX_URL)
        elif (
            parts.scheme != "https"
            or not parts.hostname
            or any(c.isspace() for c in data.meeting_url)
        ):
            problems.add("meeting_url", N_("会議URLは https:// で始まるURLにしてください。"))
    if len(data.meeting_passcode) > MAX_PASSCODE:
        problems.add(
            "meeting_passcode", N_("パスコードは%(max)d文字以内にしてください。"), max=MAX_PASSCODE
        )


def calendar_warnings(starts_at: dt.datetime) -> list[Problem]:
    """A start on a national holiday or a weekend is allowed, but the organizer should know."""
    day = in_tokyo(starts_at).date()
    holiday = holiday_name(day)
    if holiday:
        return [
            Problem(
                N_("%(day)s は祝日（%(name)s）です。"),
                "starts_at",
                {"day": format_day(day), "name": holiday},
            )
        ]
    if day.weekday() >= 5:
        return [Problem(N_("%(day)s は土日です。"), "starts_at", {"day": format_day(day)})]
    return []


def holiday_name(day: dt.date) -> str | None:
    """The name of the national holiday on `day`, in the current language, or None."""
    language = "ja" if current_locale() == "ja" else "en_US"
    name: str | None = holidays.country_holidays("JP", years=day.year, language=language).get(day)
    return name
