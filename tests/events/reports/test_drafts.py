"""Notes, report drafts, fact check and publishing, on the session's real records."""

from __future__ import annotations

import re

import pytest

from events.enums import SessionStatus
from events.invitations.invitations import link_of
from events.lib.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from events.reports.blocks import to_markdown
from events.reports.drafts import BlockEdit, generate_report, update_draft
from events.reports.fact_check import (
    add_comment,
    comments_of,
    draft_for_coordinator,
    request_fact_check,
)
from events.reports.notes import notes_of, record_note
from events.reports.publishing import publish
from events.reports.versions import get_version
from events.sessions.exchange_sessions import get_session
from events.tables import AuditEntry, Invitation, OutboxMessage, ReportVersion
from tests.factories import (
    HR_POINTS,
    SEED_MUNICIPALITIES,
    discussion_ids,
    held_seed_session,
    make_organizer,
    make_session,
)


async def test_notes_per_topic_group_and_takeaways_keep_the_latest_text() -> None:
    organizer = await make_organizer()
    session, _ = await held_seed_session(organizer)
    hr, kpi = discussion_ids(session)
    await record_note(organizer, session.id, hr, "最初のメモ")
    await record_note(organizer, session.id, "人事部門との連携", "書き直したメモ")
    await record_note(organizer, session.id, str(kpi), "グループ1のメモ", group=1)
    await record_note(organizer, session.id, None, "まとめ")
    notes = await notes_of(session.id)
    assert notes.of_topic(hr) == "書き直したメモ"
    assert notes.of_groups(kpi) == {"グループA": "グループ1のメモ"}
    assert notes.takeaways == "まとめ"
    audits = await AuditEntry.count().where(AuditEntry.action == "notes_recorded")
    assert audits == 4


async def test_note_on_unknown_topic_or_bad_group_is_refused() -> None:
    organizer = await make_organizer()
    session, _ = await held_seed_session(organizer)
    with pytest.raises(NotFoundError):
        await record_note(organizer, session.id, "存在しないテーマ", "x")
    with pytest.raises(ValidationError) as refused:
        await record_note(organizer, session.id, None, "x", group=2)
    assert refused.value.problems[0].field == "group"
    assert (await notes_of(session.id)).notes == ()


async def test_notes_of_another_organizers_session_are_refused() -> None:
    session, _ = await held_seed_session(await make_organizer())
    with pytest.raises(ForbiddenError):
        await record_note(await make_organizer(), session.id, None, "x")


async def test_generated_draft_lists_attending_municipalities_in_invitation_order() -> None:
    organizer = await make_organizer()
    session, _ = await held_seed_session(organizer)
    hr, _ = discussion_ids(session)
    await record_note(organizer, session.id, hr, "研修履歴の共有が課題です。")
    draft = await generate_report(organizer, session.id)
    participants = draft.block("participants")
    assert participants is not None
    assert (
        participants.body
        == "岡山県・岡山県岡山市・広島県広島市・島根県・山口県・香川県・高知県（7自治体）"
    )
    discussion = draft.block(f"discussion:{hr}")
    assert discussion is not None
    assert discussion.body.splitlines()[1:4] == [f"- {point}" for point in HR_POINTS]
    assert discussion.body.endswith("研修履歴の共有が課題です。")
    sharing = draft.block("sharing")
    assert sharing is not None
    assert "策定状況は、策定済が3自治体、策定中が3自治体、未着手が1自治体でした。" in sharing.body
    # Practices are quoted without naming who shared them.
    assert "- 330001の研修はオンラインと集合のハイブリッドです。" in sharing.body
    assert "岡山県（" not in sharing.body
    # 広島県 registered nothing: it is named nowhere (広島県広島市 is another municipality).
    assert re.search("広島県(?!広島市)", to_markdown(draft.blocks)) is None


async def test_generating_before_the_session_is_held_is_refused() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    with pytest.raises(ConflictError) as refused:
        await generate_report(organizer, session.id)
    assert refused.value.problems[0].field == "status"


async def test_draft_edits_change_only_the_given_blocks() -> None:
    organizer = await make_organizer()
    session, _ = await held_seed_session(organizer)
    draft = await generate_report(organizer, session.id)
    edited = await update_draft(
        organizer,
        draft.id,
        {"closing": BlockEdit(body="<script>alert(1)</script>\n\n- 一つ目")},
        tags=["人材育成", "人事", "人事"],
    )
    closing = edited.block("closing")
    assert closing is not None
    assert closing.body == "<script>alert(1)</script>\n\n- 一つ目"
    assert edited.block("lead") == draft.block("lead")
    assert edited.tags == ("人材育成", "人事")


async def test_editing_an_unknown_block_changes_nothing() -> None:
    organizer = await make_organizer()
    session, _ = await held_seed_session(organizer)
    draft = await generate_report(organizer, session.id)
    with pytest.raises(ValidationError):
        await update_draft(
            organizer, draft.id, {"nope": BlockEdit(body="x"), "lead": BlockEdit(body="y")}
        )
    with pytest.raises(ValidationError):
        await update_draft(organizer, draft.id, {}, tags=["a|b"])
    unchanged = await update_draft(organizer, draft.id, {})
    assert unchanged.blocks == draft.blocks


async def test_fact_check_mails_coordinators_and_takes_comments_from_participants_only() -> None:
    organizer = await make_organizer()
    session, accesses = await held_seed_session(organizer)
    draft = await generate_report(organizer, session.id)
    with pytest.raises(NotFoundError):
        await draft_for_coordinator(accesses["330001"])
    request = await request_fact_check(organizer, draft.id)
    # The factory's invitations carry no contact address: nobody can be mailed yet.
    assert request.mailed == ()
    assert request.without_contact == SEED_MUNICIPALITIES
    await add_comment(accesses["330001"], "研修内容の記載を修正してください。", block_key="sharing")
    with pytest.raises(ForbiddenError):
        await add_comment(accesses["340006"], "参加していません")
    with pytest.raises(ValidationError):
        await add_comment(accesses["331007"], "  ")
    comments = await comments_of(draft.id)
    assert [(c.municipality_name, c.block_key, c.text) for c in comments] == [
        ("岡山県", "sharing", "研修内容の記載を修正してください。")
    ]


async def test_publish_freezes_versions_and_refuses_an_unchanged_draft() -> None:
    organizer = await make_organizer()
    session, _ = await held_seed_session(organizer)
    draft = await generate_report(organizer, session.id)
    first = await publish(organizer, draft.id)
    assert (first.number, first.url) == (1, f"http://tsunagu.test/reports/{draft.id}/v1")
    assert (await get_version(draft.id, 1)).blocks == draft.blocks
    with pytest.raises(ConflictError) as refused:
        await publish(organizer, draft.id)
    assert (
        str(refused.value)
        == "第1版から変更がないため、公開できません。修正してから公開してください。"
    )
    await update_draft(organizer, draft.id, {"closing": BlockEdit(body="訂正しました。")})
    second = await publish(organizer, draft.id)
    assert second.number == 2
    old = await get_version(draft.id, 1)
    assert old.blocks == draft.blocks
    assert (old.is_latest, old.latest_path) == (False, f"/reports/{draft.id}/v2")
    assert await ReportVersion.count().where(ReportVersion.report == draft.id) == 2
    assert (await get_session(session.id)).status == SessionStatus.REPORTED


async def test_publishing_tells_the_participants_once() -> None:
    organizer = await make_organizer()
    session, _ = await held_seed_session(organizer)
    draft = await generate_report(organizer, session.id)
    await publish(organizer, draft.id)
    mails = await OutboxMessage.select(OutboxMessage.recipient, OutboxMessage.subject).where(
        OutboxMessage.kind == "report_published"
    )
    assert len(mails) == 7
    assert mails[0]["subject"] == "【開催レポート公開】第3回 情報交換会"
    await update_draft(organizer, draft.id, {"closing": BlockEdit(body="訂正")})
    await publish(organizer, draft.id)
    assert await OutboxMessage.count().where(OutboxMessage.kind == "report_published") == 7


async def test_fact_check_mail_carries_the_coordinators_own_link() -> None:
    organizer = await make_organizer()
    session, _ = await held_seed_session(organizer, codes=("330001", "331007"))
    await Invitation.update({Invitation.contact_email: "kikaku.330001@example.lg.jp"}).where(
        Invitation.exchange_session == session.id, Invitation.municipality == "330001"
    )
    draft = await generate_report(organizer, session.id)
    request = await request_fact_check(organizer, draft.id)
    assert (request.mailed, request.without_contact) == (("330001",), ("331007",))
    [mail] = await OutboxMessage.select().where(OutboxMessage.kind == "report_fact_check")
    nonce = (
        await Invitation.select(Invitation.link_nonce)
        .where(Invitation.exchange_session == session.id, Invitation.municipality == "330001")
        .first()
    )
    assert nonce is not None
    assert mail["recipient"] == "kikaku.330001@example.lg.jp"
    assert f"{link_of(nonce['link_nonce'])}/report" in mail["text_body"]
    assert mail["subject"] == "【内容確認のお願い】第3回 情報交換会 開催レポート（案）"
