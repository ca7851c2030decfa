"""Dates as Japanese staff read them, in Japan time, with 和暦 and fiscal years."""

from __future__ import annotations

import datetime as dt

import pytest

from events.lib.formatting import (
    fiscal_year,
    format_day,
    format_fiscal_year,
    format_period,
    wareki_year,
)
from events.lib.i18n import negotiate, use_locale

UTC = dt.UTC
START = dt.datetime(2023, 12, 15, 5, 0, tzinfo=UTC)  # 14:00 in Tokyo
END = dt.datetime(2023, 12, 15, 7, 0, tzinfo=UTC)


def test_period_in_japanese() -> None:
    assert format_period(START, END) == "2023年12月15日(金) 14:00〜16:00"


def test_period_with_wareki() -> None:
    assert format_period(START, END, wareki=True) == "令和5年12月15日(金) 14:00〜16:00"


def test_period_in_english() -> None:
    with use_locale("en"):
        assert format_period(START, END) == "Fri 15 December 2023 14:00–16:00 JST"


def test_period_across_midnight_names_both_days() -> None:
    late = dt.datetime(2023, 12, 15, 14, 0, tzinfo=UTC)  # 23:00 in Tokyo
    assert (
        format_period(late, late + dt.timedelta(hours=2))
        == "2023年12月15日(金) 23:00〜2023年12月16日(土) 01:00"
    )


def test_day_is_taken_in_tokyo_not_utc() -> None:
    evening_utc = dt.datetime(2023, 12, 14, 16, 0, tzinfo=UTC)  # 01:00 on the 15th in Tokyo
    assert format_day(evening_utc) == "2023年12月15日(金)"


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_period(dt.datetime(2023, 12, 15, 14), END)  # noqa: DTZ001 (the point of the test)


@pytest.mark.parametrize(
    ("day", "era"),
    [
        (dt.date(2019, 4, 30), "平成31年"),
        (dt.date(2019, 5, 1), "令和元年"),
        (dt.date(2020, 1, 1), "令和2年"),
        (dt.date(2023, 12, 15), "令和5年"),
    ],
)
def test_wareki_year(day: dt.date, era: str) -> None:
    assert wareki_year(day) == era


def test_fiscal_year_boundary() -> None:
    assert fiscal_year(dt.date(2024, 3, 31)) == 2023
    assert fiscal_year(dt.date(2024, 4, 1)) == 2024
    assert format_fiscal_year(2023) == "2023年度"
    with use_locale("en"):
        assert format_fiscal_year(2023) == "FY2023"


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, None, "ja"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "fr-FR, en;q=0.5", "en"),
        (None, "ja;q=0.4, en;q=0.8", "en"),
        (None, "fr", "ja"),
        ("ja", "en", "ja"),
        ("xx", "en", "en"),
    ],
)
def test_language_negotiation(cookie: str | None, header: str | None, expected: str) -> None:
    assert negotiate(cookie, header) == expected
