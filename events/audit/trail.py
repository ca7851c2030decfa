"""The audit trail: who changed what and when, written with the change itself."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from events.lib.at_commit import insert_at_commit
from events.lib.clock import utcnow
from events.tables import AuditEntry


async def record(
    actor: str,
    action: str,
    *,
    session_id: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Append an entry; call inside the write transaction of the change it describes."""
    entry = {
        "actor": actor,
        "action": action,
        "exchange_session": session_id,
        "details": json.dumps(details or {}, ensure_ascii=False, default=str, sort_keys=True),
        "created_at": utcnow(),
    }
    # Inserted at the commit: one INSERT for all the registrations sharing a transaction.
    await insert_at_commit(AuditEntry, [entry])


async def entries_for_session(session_id: int) -> list[dict[str, Any]]:
    rows = await (
        AuditEntry.select()
        .where(AuditEntry.exchange_session == session_id)
        .order_by(AuditEntry.id, ascending=False)
    )
    for row in rows:
        row["details"] = json.loads(row["details"] or "{}")
    return rows
