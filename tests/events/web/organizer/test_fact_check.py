"""Requesting a fact check says who was mailed, who was not, and hands over every draft link."""

from __future__ import annotations

import httpx

from events.invitations.invitations import link_of
from events.tables import OutboxMessage
from tests.factories import held_seed_session, invitation_nonces
from tests.helpers import post_form, signed_in_organizer


async def test_fact_check_reports_who_was_mailed_and_lists_each_draft_link(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session, _ = await held_seed_session(organizer, codes=("330001", "331007"))
    nonces = await invitation_nonces(
        session.id, contact=("330001", "kikaku@pref.okayama.example.lg.jp")
    )
    await post_form(client, f"/organizer/sessions/{session.id}/report/generate")
    before = (await client.get(f"/organizer/sessions/{session.id}/report")).text
    assert "内容確認の依頼先" not in before

    response = await post_form(client, f"/organizer/sessions/{session.id}/report/fact-check")
    assert response.status_code == 303
    page = (await client.get(response.headers["location"])).text

    assert "<p>参加自治体に内容確認を依頼しました。</p>" in page
    assert "<p>メールで依頼: 1団体　連絡先がなくメールを送れない: 1団体</p>" in page
    assert "<caption>内容確認の依頼先</caption>" in page
    assert "メール（kikaku@pref.okayama.example.lg.jp）" in page
    assert "<strong>連絡先なし: リンクをお伝えください</strong>" in page
    for code in ("330001", "331007"):
        assert f'value="{link_of(nonces[code])}/report"' in page
    assert "340006" not in page  # invited but absent: not asked
    [mail] = await OutboxMessage.select(OutboxMessage.recipient).where(
        OutboxMessage.kind == "report_fact_check"
    )
    assert mail == {"recipient": "kikaku@pref.okayama.example.lg.jp"}


async def test_coordinator_page_links_the_draft_only_while_the_check_is_open(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session, _ = await held_seed_session(organizer, codes=("330001", "331007"))
    tokens = {
        code: link_of(nonce).rsplit("/", 1)[1]
        for code, nonce in (await invitation_nonces(session.id)).items()
    }
    draft_link = f'<a href="/r/{tokens["330001"]}/report">レポートの案を確認する</a>'
    await post_form(client, f"/organizer/sessions/{session.id}/report/generate")
    assert draft_link not in (await client.get(f"/r/{tokens['330001']}")).text

    await post_form(client, f"/organizer/sessions/{session.id}/report/fact-check")
    assert draft_link in (await client.get(f"/r/{tokens['330001']}")).text
    absent = (await client.get(f"/r/{tokens['340006']}")).text
    assert "レポートの案を確認する" not in absent

    await post_form(client, f"/organizer/sessions/{session.id}/report/publish", {"confirm": "1"})
    assert draft_link not in (await client.get(f"/r/{tokens['330001']}")).text
