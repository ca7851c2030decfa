"""Failed sign-ins counted per account: past a few, each one doubles the wait before the next.

The per-address limit does not stop guessing from many addresses; this does. The counts live
in the rate-limit store, in Redis when REDIS_URL is set, so that every app process shares them.
The wait is capped, so that someone failing on purpose can delay the owner, not lock them out.
"""

from __future__ import annotations

import hashlib
import json
import math
import time

from litestar.stores.base import Store

FREE_FAILURES = 5
FIRST_WAIT_SECONDS = 30
MAX_WAIT_SECONDS = 15 * 60
# A count is forgotten after a quiet day.
REMEMBER_SECONDS = 24 * 3600


def _key(email: str) -> str:
    # Hashed: the store (Redis) need not hold anyone's address.
    return "sign-in-account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


async def seconds_to_wait(store: Store, email: str) -> int:
    """How long this account refuses sign-in attempts; 0 when it takes them."""
    stored = await store.get(_key(email))
    if stored is None:
        return 0
    until = float(json.loads(stored)["until"])
    return max(math.ceil(until - time.time()), 0)


async def record_failure(store: Store, email: str) -> None:
    stored = await store.get(_key(email))
    failures = 1 + (int(json.loads(stored)["failures"]) if stored else 0)
    until = time.time()
    if failures > FREE_FAILURES:
        until += min(FIRST_WAIT_SECONDS * 2 ** (failures - FREE_FAILURES - 1), MAX_WAIT_SECONDS)
    value = json.dumps({"failures": failures, "until": until})
    await store.set(_key(email), value, expires_in=REMEMBER_SECONDS)


async def forget(store: Store, email: str) -> None:
    await store.delete(_key(email))
