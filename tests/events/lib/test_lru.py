"""The bounded in-process map: it keeps at most its size and forgets the least recently used."""

from __future__ import annotations

from events.lib.lru import LeastRecentlyUsed


def test_the_least_recently_used_entry_goes_first() -> None:
    kept: LeastRecentlyUsed[str, int] = LeastRecentlyUsed(max_entries=2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "b" is now the least recently used
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c"), len(kept)) == (1, None, 3, 2)


def test_putting_a_kept_key_again_replaces_its_value() -> None:
    kept: LeastRecentlyUsed[str, int] = LeastRecentlyUsed(max_entries=2)
    kept.put("a", 1)
    kept.put("a", 2)
    assert (kept.get("a"), len(kept)) == (2, 1)
