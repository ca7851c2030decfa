"""Publishing a report asks first, saying what it will do, then says what it did."""

from __future__ import annotations

import httpx

from events.reports.drafts import report_of_session
from events.tables import OutboxMessage
from tests.factories import held_seed_session
from tests.helpers import post_form, signed_in_organizer

CONFIRMED = {"confirm": "1"}


async def _report_mails() -> int:
    return int(await OutboxMessage.count().where(OutboxMessage.kind == "report_published"))


async def test_publishing_a_report_asks_first_then_tells_how_many_were_mailed(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session, _ = await held_seed_session(organizer)
    base = f"/organizer/sessions/{session.id}/report"
    assert (await post_form(client, f"{base}/generate")).status_code == 303
    draft_page = (await client.get(base)).text
    assert f'<a class="button" href="{base}/publish">公開する</a>' in draft_page

    question = await client.get(f"{base}/publish")
    assert question.status_code == 200
    assert (
        "今の内容が第1版として固定され、だれでも読める公開ページに掲載されます。" in question.text
    )
    assert "参加した7人に、レポートを公開したことをメールでお知らせします。" in question.text
    assert 'name="confirm" value="1" required' in question.text

    unconfirmed = await post_form(client, f"{base}/publish", {})
    assert unconfirmed.status_code == 400
    assert "公開してよいか確認のうえ、チェックを入れてください。" in unconfirmed.text
    draft = await report_of_session(session.id)
    assert draft is not None and draft.latest_version == 0
    assert await _report_mails() == 0

    published = await post_form(client, f"{base}/publish", CONFIRMED)
    assert published.headers["location"] == f"{base}?notice=published&mailed=7"
    assert await _report_mails() == 7
    notice = (await client.get(published.headers["location"])).text
    assert "レポートを第1版として公開しました。" in notice
    assert "参加した7人にお知らせのメールを送ります（7通）。" in notice

    edited = await post_form(
        client,
        f"{base}/blocks",
        {"heading:closing": "さいごに", "body:closing": "次回もよろしくお願いします。"},
    )
    assert edited.status_code == 303
    second = await client.get(f"{base}/publish")
    assert "第2版として固定され" in second.text
    assert "今回はメールは送られません。" in second.text
    again = await post_form(client, f"{base}/publish", CONFIRMED)
    assert again.headers["location"] == f"{base}?notice=published&mailed=0"
    page = (await client.get(again.headers["location"])).text
    assert "レポートを第2版として公開しました。" in page
    assert "今回はどなたにも送っていません。" in page
    assert await _report_mails() == 7
