"""Every kind of message has a name in the reader's words."""

from __future__ import annotations

from pathlib import Path

from events.lib.i18n import use_locale
from events.mail import kinds

EMAILS = Path(__file__).parents[3] / "templates" / "emails"


def test_every_message_template_has_a_label() -> None:
    sent = {
        path.name.removesuffix(".subject.txt.jinja2")
        for path in EMAILS.glob("*.subject.txt.jinja2")
    }
    assert sent == set(kinds.LABELS)


def test_labels_name_test_sends_and_unknown_kinds_in_words() -> None:
    assert kinds.label("date_poll_invitation") == "日程調整のお願い"
    assert kinds.label("test_confirmation") == "テスト送信：参加登録完了"
    assert kinds.label("") == "その他のお知らせ"
    with use_locale("en"):
        assert kinds.label("test_confirmation") == "Test send: Registration complete"
