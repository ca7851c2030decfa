"""registerDelegation sent again: a retry is answered with what was stored, never twice."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from events.sessions.exchange_sessions import ExchangeSessionView
from events.sessions.lifecycle import Transition
from events.sessions.transitions import apply
from events.tables import Attendee, AuditEntry, OutboxMessage, Registration
from tests.factories import discussion_ids, open_session_with_links
from tests.helpers import registration_counts

OKAYAMA_PREF = "330001"
KEY = "9b2f6c1e-7d1a-4c3e-9f0a-2b8e5d4c7a10"
KEY_REUSED = (
    "この Idempotency-Key は別の内容の参加登録にすでに使われています。"
    "新しい登録には新しいキーを使ってください。"
)
ALREADY_REGISTERED = "この自治体はすでに登録済みです。変更は登録内容の編集から行ってください。"


def body(*emails: str, plan_status: str = "drafting", **extra: Any) -> dict[str, Any]:
    return {
        "plan_status": plan_status,
        "attendees": [
            {
                "name": f"参加者{number}",
                "department": "デジタル推進課",
                "position": "mid",
                "email": email,
                **extra,
            }
            for number, email in enumerate(emails, start=1)
        ],
    }


async def _opened() -> tuple[str, ExchangeSessionView]:
    """The registration URL of an invited municipality, and the session."""
    _, session, tokens = await open_session_with_links()
    return f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration", session


async def _url() -> str:
    return (await _opened())[0]


def _with_key(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


async def _written() -> tuple[int, int, int, int]:
    """Everything a registration writes: rows, attendees, queued mails, audit entries."""
    return (*await registration_counts(), await AuditEntry.count())


async def test_a_retry_with_the_key_gets_the_stored_delegation_and_mails_nobody_again(
    client: httpx.AsyncClient,
) -> None:
    url = await _url()
    first = await client.post(
        url, json=body("p1@example.lg.jp", "p2@example.lg.jp"), headers=_with_key(KEY)
    )
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    written = await _written()
    mails = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.recipient).order_by(
        OutboxMessage.id
    )
    assert [m["kind"] for m in mails].count("confirmation") == 2

    retry = await client.post(
        url, json=body("p1@example.lg.jp", "p2@example.lg.jp"), headers=_with_key(KEY)
    )
    assert retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == first.json()
    assert await _written() == written
    assert (
        await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.recipient).order_by(
            OutboxMessage.id
        )
        == mails
    )


async def test_the_key_is_stored_hashed_with_the_registration(client: httpx.AsyncClient) -> None:
    url = await _url()
    await client.post(url, json=body("p1@example.lg.jp"), headers=_with_key(KEY))
    row = await Registration.select().first()
    assert row is not None
    assert row["idempotency_key_hash"] is not None
    assert len(row["idempotency_key_hash"]) == 64 and KEY not in row["idempotency_key_hash"]


async def test_a_key_reused_for_another_body_is_refused_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    url = await _url()
    first = await client.post(url, json=body("p1@example.lg.jp"), headers=_with_key(KEY))
    written = await _written()
    for other in (body("p9@example.lg.jp"), body("p1@example.lg.jp", plan_status="adopted")):
        response = await client.post(url, json=other, headers=_with_key(KEY))
        assert response.status_code == 422
        assert response.json() == {
            "error": "invalid",
            "message": KEY_REUSED,
            "fields": [{"field": "idempotency_key", "message": KEY_REUSED}],
        }
        assert "idempotent-replayed" not in response.headers
    assert await _written() == written
    stored = await client.get(url.removesuffix("/registration"))
    assert stored.json()["registration"] == first.json()


async def test_without_a_key_the_same_delegation_is_answered_from_what_is_stored(
    client: httpx.AsyncClient,
) -> None:
    url, session = await _opened()
    hr, kpi = (str(topic) for topic in discussion_ids(session))
    sent = body("p1@example.lg.jp", share_contact=True, topic_preferences=[kpi, hr])
    first = await client.post(url, json=sent)
    written = await _written()
    # Written differently but meaning the same: outer spaces, upper-case address.
    again = body(" P1@Example.LG.JP ", share_contact=True, topic_preferences=[kpi, hr])
    again["attendees"][0]["name"] = " 参加者1 "
    retry = await client.post(url, json=again)
    assert (retry.status_code, retry.headers.get("idempotent-replayed")) == (201, "true")
    assert retry.json() == first.json()
    # A new key on the same delegation is the same registration too.
    keyed = await client.post(url, json=sent, headers=_with_key(KEY))
    assert (keyed.status_code, keyed.json()) == (201, first.json())
    assert await _written() == written


async def test_without_a_key_another_delegation_is_still_a_conflict(
    client: httpx.AsyncClient,
) -> None:
    url = await _url()
    await client.post(url, json=body("p1@example.lg.jp", topic_preferences=[]))
    written = await _written()
    for other in (
        body("p2@example.lg.jp"),
        body("p1@example.lg.jp", plan_status="adopted"),
        body("p1@example.lg.jp", "p2@example.lg.jp"),
        body("p1@example.lg.jp", share_contact=True),
        body("p1@example.lg.jp", reading="ヤマダ"),
        {**body("p1@example.lg.jp"), "report_consent": True},
    ):
        response = await client.post(url, json=other)
        assert response.status_code == 409
        assert response.json()["message"] == ALREADY_REGISTERED
    # Another key does not make another delegation acceptable either.
    response = await client.post(url, json=body("p2@example.lg.jp"), headers=_with_key(KEY))
    assert response.status_code == 409
    assert await _written() == written


async def test_a_retry_after_registration_closed_is_still_answered_from_what_is_stored(
    client: httpx.AsyncClient,
) -> None:
    organizer, session, tokens = await open_session_with_links()
    url = f"/api/invitations/{tokens[OKAYAMA_PREF]}/registration"
    sent = body("p1@example.lg.jp")
    first = await client.post(url, json=sent, headers=_with_key(KEY))
    await apply(organizer, session.id, Transition.CLOSE_REGISTRATION)
    written = await _written()

    retry = await client.post(url, json=sent, headers=_with_key(KEY))
    assert (retry.status_code, retry.headers.get("idempotent-replayed")) == (201, "true")
    assert retry.json() == first.json()
    other = await client.post(url, json=body("p2@example.lg.jp"))
    assert other.status_code == 409
    assert other.json()["message"] == (
        "参加登録の受付は終了しています。変更が必要な場合は主催者にご連絡ください。"
    )
    assert await _written() == written


async def test_a_malformed_key_is_a_400_with_the_error_body(client: httpx.AsyncClient) -> None:
    url = await _url()
    written = await _written()
    for key in ("x" * 256, "two words"):
        response = await client.post(url, json=body("p1@example.lg.jp"), headers=_with_key(key))
        assert response.status_code == 400
        assert set(response.json()) == {"error", "message", "fields"}
    assert await _written() == written


async def test_concurrent_requests_with_one_key_register_once(
    client: httpx.AsyncClient,
) -> None:
    url = await _url()
    payload = body("p1@example.lg.jp", "p2@example.lg.jp")
    audit_before = await AuditEntry.count()
    answers = await asyncio.gather(
        client.post(url, json=payload, headers=_with_key(KEY)),
        client.post(url, json=payload, headers=_with_key(KEY)),
    )
    assert [answer.status_code for answer in answers] == [201, 201]
    assert sorted(answer.headers.get("idempotent-replayed", "") for answer in answers) == [
        "",
        "true",
    ]
    assert answers[0].json() == answers[1].json()
    assert await Registration.count() == 1
    assert await Attendee.count() == 2
    confirmations = await OutboxMessage.select(OutboxMessage.recipient).where(
        OutboxMessage.kind == "confirmation"
    )
    assert sorted(row["recipient"] for row in confirmations) == [
        "p1@example.lg.jp",
        "p2@example.lg.jp",
    ]
    assert await AuditEntry.count() == audit_before + 1
