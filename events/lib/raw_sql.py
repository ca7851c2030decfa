"""For statements written out as SQL (Piccolo's `Table.raw`): where bound values go."""

from __future__ import annotations


def placeholders(count: int) -> str:
    """`{}, {}, …` for `count` values, which Piccolo binds as parameters: nothing a value holds
    is ever written into the statement."""
    return ", ".join("{}" for _ in range(count))
