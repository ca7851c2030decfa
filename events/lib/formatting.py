"""Dates and times as Japanese staff read them (2023年12月15日(金) 14:00〜16:00), or in English."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date

from events.lib.i18n import current_locale

TOKYO = ZoneInfo("Asia/Tokyo")

# (first day, era name) newest first; 和暦 is shown only for dates since 平成.
_ERAS = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
)


def in_tokyo(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every datetime must carry its time zone")
    return moment.astimezone(TOKYO)


def wareki_year(day: dt.date) -> str:
    """令和5年 for 2023; 元年 for an era's first year."""
    for first_day, era in _ERAS:
        if day >= first_day:
            year = day.year - first_day.year + 1
            return f"{era}{'元' if year == 1 else year}年"
    return f"{day.year}年"


def fiscal_year(day: dt.date) -> int:
    """The Japanese fiscal year (年度) runs from April to March: 2024-03-31 is in 2023年度."""
    return day.year if day.month >= 4 else day.year - 1


def format_fiscal_year(year: int) -> str:
    return f"{year}年度" if current_locale() == "ja" else f"FY{year}"


def format_day(day: dt.date | dt.datetime, *, wareki: bool = False) -> str:
    """2023年12月15日(金), 令和5年12月15日(金) with wareki, or Fri 15 December 2023."""
    if isinstance(day, dt.datetime):
        day = in_tokyo(day).date()
    return _day_text(day, current_locale(), wareki)


# Pages show the same few dates over and over; Babel takes longer to format one than a page
# takes to render everything else around it.
@lru_cache(maxsize=4096)
def _day_text(day: dt.date, locale: str, wareki: bool) -> str:
    if locale != "ja":
        return babel_format_date(day, "EEE d MMMM y", locale="en")
    text = babel_format_date(day, "y年M月d日(E)", locale="ja")
    if wareki:
        text = wareki_year(day) + text.split("年", 1)[1]
    return text


def format_time(moment: dt.datetime) -> str:
    return in_tokyo(moment).strftime("%H:%M")


def format_period(starts_at: dt.datetime, ends_at: dt.datetime, *, wareki: bool = False) -> str:
    """2023年12月15日(金) 14:00〜16:00, with the end's date too when it falls on another day."""
    start, end = in_tokyo(starts_at), in_tokyo(ends_at)
    dash = range_dash()
    if start.date() == end.date():
        tail = format_time(end)
    else:
        tail = f"{format_day(end, wareki=wareki)} {format_time(end)}"
    suffix = "" if current_locale() == "ja" else " JST"
    return f"{format_day(start, wareki=wareki)} {format_time(start)}{dash}{tail}{suffix}"


def format_moment(moment: dt.datetime, *, wareki: bool = False) -> str:
    suffix = "" if current_locale() == "ja" else " JST"
    return f"{format_day(moment, wareki=wareki)} {format_time(moment)}{suffix}"


def parenthesized(text: str) -> str:
    """（補足） in Japanese, " (note)" in English; markup stays markup."""
    brackets = ("（", "）") if current_locale() == "ja" else (" (", ")")
    # str.join keeps the type: markup (a translated message) joins escaped brackets.
    return text.join(brackets)


def as_label(text: str) -> str:
    """A question or item before 「：」 or inside 〈〉: without its own closing 「。」 or 「？」."""
    return " ".join(text.split()).rstrip("。．.？?！!")


def list_separator() -> str:
    """Between names in a run of text: 岡山市・倉敷市, or Okayama, Kurashiki."""
    return "・" if current_locale() == "ja" else ", "


def range_dash() -> str:
    """Between the two ends of a range: 14:00〜16:00, or 14:00–16:00."""
    return "〜" if current_locale() == "ja" else "–"


def circled_number(number: int) -> str:
    """① for 1, ② for 2, ... ⑳ for 20, as Japanese agendas number rounds; (21) beyond."""
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else f"({number})"


def group_letter(number: int) -> str:
    """1 → A, 26 → Z, 27 → AA (as spreadsheet columns): any number of groups gets a name."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
