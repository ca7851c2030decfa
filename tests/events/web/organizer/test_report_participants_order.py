"""The draft's 参加自治体 follow the order set on the invitations page, on request, without
touching any other block the organizer edited; comments name blocks by their headings."""

from __future__ import annotations

import httpx

from events.invitations.order import Direction, move
from events.reports.drafts import generate_report, report_of_session
from events.reports.fact_check import add_comment, request_fact_check
from events.tables import AuditEntry
from tests.factories import held_seed_session
from tests.helpers import post_form, signed_in_organizer

SHIMANE, OKAYAMA, HIROSHIMA_CITY = "320005", "330001", "341002"


async def _block_bodies(session_id: int) -> dict[str, str]:
    draft = await report_of_session(session_id)
    assert draft is not None
    return {block.key: block.body for block in draft.blocks}


async def test_the_draft_takes_the_new_order_and_keeps_other_edits(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session, _ = await held_seed_session(organizer, codes=(SHIMANE, OKAYAMA, HIROSHIMA_CITY))
    base = f"/organizer/sessions/{session.id}/report"
    await post_form(client, f"{base}/generate")
    assert (await _block_bodies(session.id))["participants"] == (
        "島根県・岡山県・広島県広島市（3自治体）"
    )
    await post_form(client, f"{base}/blocks", {"body:closing": "皆さまありがとうございました。"})
    page = (await client.get(base)).text
    assert 'form="reorder-participants"' in page
    assert f'action="{base}/participants"' in page

    unchanged = await post_form(client, f"{base}/participants")
    assert unchanged.headers["location"] == (
        f"{base}?notice=participants_unchanged#edit-participants"
    )
    edits = await AuditEntry.count().where(AuditEntry.action == "report_edited")

    await move(organizer, session.id, HIROSHIMA_CITY, Direction.UP)
    await move(organizer, session.id, HIROSHIMA_CITY, Direction.UP)
    reordered = await post_form(client, f"{base}/participants")
    assert reordered.headers["location"] == (
        f"{base}?notice=participants_reordered#edit-participants"
    )
    bodies = await _block_bodies(session.id)
    assert bodies["participants"] == "広島県広島市・島根県・岡山県（3自治体）"
    assert bodies["closing"] == "皆さまありがとうございました。"
    assert await AuditEntry.count().where(AuditEntry.action == "report_edited") == edits + 1
    notice = (await client.get(reordered.headers["location"])).text
    assert "参加自治体を、招待一覧で決めた順番に並べ直しました。" in notice


async def test_another_organizer_cannot_reorder_the_draft(client: httpx.AsyncClient) -> None:
    owner = await signed_in_organizer(client)
    session, _ = await held_seed_session(owner, codes=(SHIMANE, OKAYAMA))
    base = f"/organizer/sessions/{session.id}/report"
    await post_form(client, f"{base}/generate")
    before = await _block_bodies(session.id)
    await move(owner, session.id, OKAYAMA, Direction.UP)

    await signed_in_organizer(client)  # another organizer, signed in on the same browser
    refused = await post_form(client, f"{base}/participants")
    assert refused.status_code == 403
    assert await _block_bodies(session.id) == before


async def test_a_fact_check_comment_names_the_block_by_its_heading(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session, accesses = await held_seed_session(organizer, codes=(SHIMANE, OKAYAMA))
    draft = await generate_report(organizer, session.id)
    await request_fact_check(organizer, draft.id)
    await add_comment(accesses[OKAYAMA], "表記を直してください。", block_key="participants")
    page = (await client.get(f"/organizer/sessions/{session.id}/report")).text
    assert "「参加自治体」について" in page
    assert "[participants]" not in page
