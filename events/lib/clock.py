"""The one clock: the current time, always aware and in UTC (stored as such, shown in Tokyo)."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
