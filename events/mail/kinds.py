"""What each kind of message is called on screen: the mailbox and the organizer's previews name
a message by what it tells its reader, never by the template it was written from."""

from __future__ import annotations

from events.lib.i18n import N_, gettext

# A test send of a message is stored under its kind with this prefix.
TEST_PREFIX = "test_"

# Every template under templates/emails/ that is sent on its own (a test keeps this complete).
LABELS = {
    "confirmation": N_("参加登録完了"),
    "waitlisted": N_("キャンセル待ち"),
    "promoted": N_("繰り上げ参加"),
    "update": N_("変更のお知らせ"),
    "reminder": N_("リマインド"),
    "attendee_cancelled": N_("参加取り消し"),
    "session_cancelled": N_("開催中止"),
    "coordinator_invitation": N_("取りまとめ担当への招待"),
    "join_approved": N_("参加希望の承認"),
    "join_declined": N_("参加希望へのご回答"),
    "group_assigned": N_("グループのお知らせ"),
    "group_changed": N_("グループ変更のお知らせ"),
    "survey_invitation": N_("アンケートのお願い"),
    "report_fact_check": N_("開催レポートの内容確認のお願い"),
    "report_published": N_("開催レポート公開のお知らせ"),
    "date_poll_invitation": N_("日程調整のお願い"),
    "date_poll_reminder": N_("日程調整の回答のお願い"),
    "date_poll_decision": N_("日程決定のお知らせ"),
    "board_answer": N_("相談ボードの回答のお知らせ"),
    "board_digest": N_("相談ボードの新しい回答のまとめ"),
}
# A message the mailbox could not match to the outbox (sent by hand, or its row was removed).
OTHER = N_("その他のお知らせ")


def label(kind: str) -> str:
    """The kind in the reader's words, in the current language; a test send says so."""
    if kind.startswith(TEST_PREFIX) and kind.removeprefix(TEST_PREFIX) in LABELS:
        return gettext("テスト送信：%(kind)s", kind=gettext(LABELS[kind.removeprefix(TEST_PREFIX)]))
    return gettext(LABELS.get(kind, OTHER))
