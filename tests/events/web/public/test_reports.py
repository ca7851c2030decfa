"""Report pages: organizer notes and draft, coordinator fact check, archive, downloads, feed."""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree as ET

import httpx
from pypdf import PdfReader

from events.invitations.invitations import link_of
from events.reports.drafts import report_of_session
from events.reports.notes import notes_of
from events.reports.pdf import render_pending
from events.tables import Invitation, ReportComment
from tests.factories import discussion_ids, held_seed_session, make_session
from tests.helpers import post_form, signed_in_organizer

ATOM = "{http://www.w3.org/2005/Atom}"


async def _published(client: httpx.AsyncClient) -> tuple[int, int]:
    """A held seed session whose report the signed-in organizer generated and published."""
    organizer = await signed_in_organizer(client)
    session, _ = await held_seed_session(organizer)
    base = f"/organizer/sessions/{session.id}/report"
    assert (await post_form(client, f"{base}/generate")).status_code == 303
    published = await post_form(client, f"{base}/publish", {"confirm": "1"})
    assert published.headers["location"] == f"{base}?notice=published&mailed=7"
    draft = await report_of_session(session.id)
    assert draft is not None
    return session.id, draft.id


async def test_notes_form_saves_without_javascript(client: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(client)
    session, _ = await held_seed_session(organizer)
    hr, _ = discussion_ids(session)
    path = f"/organizer/sessions/{session.id}/notes"
    page = await client.get(path)
    assert page.status_code == 200
    assert "人事部門との連携" in page.text
    # Groups are offered by the assignment's labels, never as a number to type.
    assert f'<select id="group-{hr}" name="group"' in page.text
    assert '<option value="2">グループB</option>' in page.text
    saved = await post_form(client, path, {"topic": str(hr), "group": "2", "text": "G2のメモ"})
    assert (saved.status_code, saved.headers["location"]) == (303, f"{path}?notice=saved")
    refused = await post_form(client, path, {"topic": str(hr), "group": "二", "text": "x"})
    assert refused.status_code == 422
    assert "グループ番号は半角数字で入力してください。" in refused.text
    assert (await notes_of(session.id)).of_groups(hr) == {"グループB": "G2のメモ"}
    assert "グループBの議論" in (await client.get(path)).text


async def test_generating_before_the_session_is_held_shows_why(client: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    refused = await post_form(client, f"/organizer/sessions/{session.id}/report/generate")
    assert refused.status_code == 409
    assert "レポートを作成できるのは開催済みの情報交換会だけです。" in refused.text
    assert await report_of_session(session.id) is None


async def test_edited_block_is_shown_escaped_and_versions_stay_readable(
    client: httpx.AsyncClient,
) -> None:
    session_id, report_id = await _published(client)
    first = await client.get(f"/reports/{report_id}/v1")
    assert first.status_code == 200
    assert "<h2>参加自治体</h2>" in first.text
    assert (
        "岡山県・岡山県岡山市・広島県広島市・島根県・山口県・香川県・高知県（7自治体）"
        in first.text
    )
    again = await post_form(
        client, f"/organizer/sessions/{session_id}/report/publish", {"confirm": "1"}
    )
    assert again.status_code == 409
    assert "第1版から変更がないため、公開できません。" in again.text
    body = '<script>alert("x")</script>\n\n- 項目 https://example.jp/a'
    edited = await post_form(
        client,
        f"/organizer/sessions/{session_id}/report/blocks",
        {"heading:closing": "さいごに", "body:closing": body},
    )
    assert edited.status_code == 303
    await post_form(client, f"/organizer/sessions/{session_id}/report/publish", {"confirm": "1"})
    second = await client.get(f"/reports/{report_id}/v2")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in second.text
    assert "<script>alert" not in second.text
    assert '<li>項目 <a href="https://example.jp/a">https://example.jp/a</a></li>' in second.text
    old = await client.get(f"/reports/{report_id}/v1")
    assert old.status_code == 200
    assert f'<a href="/reports/{report_id}/v2">最新版を見る</a>' in old.text
    assert "<script>alert" not in old.text and "&lt;script&gt;" not in old.text
    latest = await client.get(f"/reports/{report_id}")
    assert latest.headers["location"] == f"/reports/{report_id}/v2"
    assert (await client.get(f"/reports/{report_id}/v3")).status_code == 404


async def test_archive_search_and_its_refusals(client: httpx.AsyncClient) -> None:
    _, report_id = await _published(client)
    found = await client.get("/reports", params={"q": "人事"})
    assert f'href="/reports/{report_id}/v1"' in found.text
    assert "1件の開催レポート" in found.text
    wildcard = await client.get("/reports", params={"q": "%"})
    assert "0件の開催レポート" in wildcard.text
    long = await client.get("/reports", params={"q": "あ" * 800})
    assert long.status_code == 422
    assert "検索語は200文字以内にしてください（800文字が入力されました）。" in long.text
    okayama = await client.get("/municipalities/330001")
    assert f'href="/reports/{report_id}/v1"' in okayama.text
    home = await client.get("/")
    assert f'href="/reports/{report_id}/v1"' in home.text


async def test_atom_feed_is_xml_with_one_entry_per_report(client: httpx.AsyncClient) -> None:
    _, report_id = await _published(client)
    response = await client.get("/reports/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed, parsed to validate it)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"http://tsunagu.test/reports/{report_id}"
    ]
    link = entries[0].find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == f"http://tsunagu.test/reports/{report_id}/v1"
    assert entries[0].findtext(f"{ATOM}title", "").startswith("【開催レポート】")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", feed.findtext(f"{ATOM}updated", ""))


async def test_markdown_download(client: httpx.AsyncClient) -> None:
    _, report_id = await _published(client)
    response = await client.get(f"/reports/{report_id}/v1.md")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="report-{report_id}-v1.md"'
    )
    assert response.text.startswith("# 【開催レポート】中四国エリア 庁内デジタル人材育成")
    assert "## 参加自治体\n\n岡山県・岡山県岡山市" in response.text


async def test_pdf_is_rendered_by_the_worker_with_japanese_text(client: httpx.AsyncClient) -> None:
    _, report_id = await _published(client)
    pending = await client.get(f"/reports/{report_id}/v1.pdf")
    assert pending.status_code == 503
    assert pending.headers["retry-after"] == "30"
    assert await render_pending() == 1
    response = await client.get(f"/reports/{report_id}/v1.pdf")
    assert response.headers["content-type"] == "application/pdf"
    head = await client.head(f"/reports/{report_id}/v1.pdf")
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == str(len(response.content))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "参加自治体" in text
    assert "人事部門との連携" in text


async def test_coordinator_reads_the_draft_and_comments_only_if_attended(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session, accesses = await held_seed_session(organizer)
    await post_form(client, f"/organizer/sessions/{session.id}/report/generate")
    rows = await Invitation.select(Invitation.municipality, Invitation.link_nonce).where(
        Invitation.exchange_session == session.id
    )
    links = {row["municipality"]: link_of(row["link_nonce"]).rsplit("/", 1)[1] for row in rows}
    assert set(links) == set(accesses)
    before = await client.get(f"/r/{links['330001']}/report")
    assert before.status_code == 404
    await post_form(client, f"/organizer/sessions/{session.id}/report/fact-check")
    page = await client.get(f"/r/{links['330001']}/report")
    assert page.status_code == 200
    assert "<h2>参加自治体</h2>" in page.text
    assert 'name="heading"' not in page.text
    sent = await post_form(
        client, f"/r/{links['330001']}/report", {"block": "sharing", "text": "修正をお願いします"}
    )
    assert sent.status_code == 303
    absent = await post_form(client, f"/r/{links['340006']}/report", {"text": "参加していません"})
    assert absent.status_code == 403
    assert "参加していない自治体は、レポートにコメントできません。" in absent.text
    # Nor may it read the unpublished draft.
    assert (await client.get(f"/r/{links['340006']}/report")).status_code == 403
    assert await ReportComment.count() == 1
    organizer_page = await client.get(f"/organizer/sessions/{session.id}/report")
    assert "修正をお願いします" in organizer_page.text


async def test_one_form_saves_every_edited_block_and_the_tags_together(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session, _ = await held_seed_session(organizer)
    base = f"/organizer/sessions/{session.id}/report"
    await post_form(client, f"{base}/generate")
    page = (await client.get(base)).text
    # One editing form for all blocks: a single save button, no per-block forms.
    assert page.count(">すべての変更を保存</button>") == 1 and "このブロックを保存" not in page
    assert 'name="body:background"' in page and 'name="body:closing"' in page

    saved = await post_form(
        client,
        f"{base}/blocks",
        {
            "body:background": "背景を書き直しました。",
            "body:closing": "結びの言葉を書き直しました。",
            "tags": "人事, 研修",
        },
    )

    assert saved.headers["location"] == f"{base}?notice=edited"
    draft = await report_of_session(session.id)
    assert draft is not None
    bodies = {block.key: block.body for block in draft.blocks}
    assert bodies["background"] == "背景を書き直しました。"
    assert bodies["closing"] == "結びの言葉を書き直しました。"
    assert draft.tags == ("人事", "研修")
    # The preview shows the saved text as the public page will.
    preview = (await client.get(base)).text.split('id="preview-heading"')[1]
    assert "<p>背景を書き直しました。</p>" in preview


async def test_a_published_report_is_found_by_the_next_search_at_once(
    client: httpx.AsyncClient,
) -> None:
    before = await client.get("/reports", params={"q": "人事", "visit": "1"})
    assert "0件の開催レポート" in before.text
    _, report_id = await _published(client)
    after = await client.get("/reports", params={"q": "人事", "visit": "2"})
    assert f'href="/reports/{report_id}/v1"' in after.text
    assert "1件の開催レポート" in after.text
