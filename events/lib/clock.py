"""The one clock: the current time, always aware and in UTC (stored as such, shown in Tokyo).

The demo replays a past session step by step; inside `replaying(moment)` the clock reads that
moment, so every record of the replay (audit entries above all) carries the time it tells of.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_replayed: ContextVar[dt.datetime | None] = ContextVar("replayed", default=None)


def utcnow() -> dt.datetime:
    return _replayed.get() or dt.datetime.now(dt.UTC)


@contextmanager
def replaying(moment: dt.datetime) -> Iterator[None]:
    """The clock reads `moment` within the block (the demo's replay of history)."""
    token = _replayed.set(moment.astimezone(dt.UTC))
    try:
        yield
    finally:
        _replayed.reset(token)
