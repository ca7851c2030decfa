"""The outgoing message, serialized as SMTP sends it and parsed back with the default policy."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.policy import SMTP, default
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from aiosmtplib.email import flatten_message
from icalendar import Calendar

from events.calendars.ics import CalendarEntry, Invitee, cancellation, invitation, session_uid
from events.mail.mime import build_message

SENT_AT = datetime(2026, 11, 20, 1, 2, 3, tzinfo=UTC)
SENDER = Address("つなぐ 事務局", addr_spec="noreply@tsunagu.example.jp")
RECIPIENT = Address("佐藤, 花子（松山市）", addr_spec="hanako.sato@city.matsuyama.example.lg.jp")
REPLY_TO = "山田 太郎 <yamada@pref.kochi.example.lg.jp>"
SUBJECT = "【ご案内】第3回 四国地域 情報交換会「防災DX」開催のお知らせ（12月3日 14:00〜16:00）"
URL = "https://tsunagu.example.jp/sessions/42?utm_source=mail&ref=" + "x" * 60
TEXT = (
    "佐藤 花子 様\n"
    "\n"
    + "情報交換会の詳細は次のページをご覧ください。" * 30
    + URL
    + "\n"
    + "From the organizer: 資料は当日までにお送りします。\n"
    + ".\n"
    + ". 行頭のピリオド\n"
    + "末尾の空白   \n"
)
HTML = f'<p>佐藤 花子 様</p><p><a href="{URL}">詳細ページ</a></p>\n'
MESSAGE_ID = "<invite-42-7-1@tsunagu.example.jp>"
ENTRY = CalendarEntry(
    uid=session_uid(42, "tsunagu.example.jp"),
    sequence=1,
    title="第3回 四国地域 情報交換会",
    starts_at=datetime(2026, 12, 3, 5, 0, tzinfo=UTC),
    ends_at=datetime(2026, 12, 3, 7, 0, tzinfo=UTC),
    description="議題：防災DX",
    organizer_email="yamada@pref.kochi.example.lg.jp",
    organizer_name="山田 太郎",
    join_url="https://meet.example.jp/j/1",
)
INVITE = invitation(ENTRY, Invitee(RECIPIENT.addr_spec, RECIPIENT.display_name), now=SENT_AT)


def build(**changes: Any) -> EmailMessage:
    arguments: dict[str, Any] = {
        "sender": SENDER,
        "recipient": RECIPIENT,
        "reply_to": REPLY_TO,
        "subject": SUBJECT,
        "text": TEXT,
        "html": HTML,
        "calendar": INVITE,
        "calendar_method": "REQUEST",
        "message_id": MESSAGE_ID,
        "sent_at": SENT_AT,
    }
    return build_message(**(arguments | changes))


def wire(msg: EmailMessage) -> bytes:
    """What aiosmtplib puts on the wire; equal to bytes(msg) for our messages."""
    data = msg.as_bytes(policy=SMTP)
    assert data == bytes(msg) == flatten_message(msg)
    return data


def parsed(msg: EmailMessage) -> EmailMessage:
    result = email.message_from_bytes(wire(msg), policy=default)
    assert isinstance(result, EmailMessage)
    return result


def tree(part: object) -> object:
    """Content types, nested as the parts are; `part` is a message or one of its payload items."""
    assert isinstance(part, MIMEPart)
    if part.is_multipart():
        children = part.get_payload()
        assert isinstance(children, list)
        return (part.get_content_type(), [tree(child) for child in children])
    return part.get_content_type()


def parts(msg: EmailMessage) -> dict[str, MIMEPart]:
    found: dict[str, MIMEPart] = {
        part.get_content_type(): part for part in msg.walk() if not part.is_multipart()
    }
    assert len(found) == len([p for p in msg.walk() if not p.is_multipart()])
    return found


def as_text(part: MIMEPart) -> str:
    # RFC 2046 canonical text uses CRLF line breaks; the source strings use "\n".
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")


def test_message_with_calendar_has_outlook_structure() -> None:
    assert tree(parsed(build())) == (
        "multipart/mixed",
        [
            ("multipart/alternative", ["text/plain", "text/html", "text/calendar"]),
            "application/ics",
        ],
    )


def test_message_with_calendar_without_html_keeps_calendar_in_alternative() -> None:
    assert tree(parsed(build(html=None))) == (
        "multipart/mixed",
        [("multipart/alternative", ["text/plain", "text/calendar"]), "application/ics"],
    )


def test_message_without_calendar_is_alternative_text_and_html() -> None:
    msg = parsed(build(calendar=None, calendar_method=None))
    assert tree(msg) == ("multipart/alternative", ["text/plain", "text/html"])


def test_message_without_calendar_or_html_is_single_text_part() -> None:
    msg = parsed(build(calendar=None, calendar_method=None, html=None))
    assert tree(msg) == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    assert as_text(msg) == TEXT


def test_message_text_parts_declare_utf8() -> None:
    found = parts(parsed(build()))
    assert found["text/plain"].get_content_charset() == "utf-8"
    assert found["text/html"].get_content_charset() == "utf-8"
    assert found["text/calendar"].get_content_charset() == "utf-8"
    assert found["text/calendar"].get_param("charset") == "UTF-8"


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_calendar_part_has_method_parameter(method: str) -> None:
    calendar = (
        INVITE if method == "REQUEST" else cancellation(ENTRY, Invitee("a@b.jp", "a"), now=SENT_AT)
    )
    part = parts(parsed(build(calendar=calendar, calendar_method=method)))["text/calendar"]
    assert part.get_param("method") == method
    assert part.get_content_disposition() is None  # inline: Outlook's meeting form
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert Calendar.from_ical(payload)["METHOD"] == method


def test_calendar_part_and_attachment_carry_the_exact_ics_bytes() -> None:
    found = parts(parsed(build()))
    assert found["text/calendar"].get_payload(decode=True) == INVITE
    assert found["application/ics"].get_payload(decode=True) == INVITE


def test_attachment_has_filename_and_disposition() -> None:
    attachment = parts(parsed(build()))["application/ics"]
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_param("name") == "invite.ics"


def test_attachment_name_is_configurable() -> None:
    attachment = parts(parsed(build(attachment_name="cancel.ics")))["application/ics"]
    assert attachment.get_filename() == "cancel.ics"


def test_calendar_method_is_read_from_the_file_when_not_given() -> None:
    part = parts(parsed(build(calendar_method=None)))["text/calendar"]
    assert part.get_param("method") == "REQUEST"


@pytest.mark.parametrize(
    "subject",
    [
        SUBJECT,
        "【中止】" + "情報交換会" * 30,
        "Reminder: " + "A" * 120 + " 明日 14:00",
        "短い件名",
    ],
)
def test_subject_japanese_decodes_back_exactly(subject: str) -> None:
    msg = build(subject=subject)
    assert parsed(msg)["Subject"] == subject
    assert wire(msg).isascii()  # RFC 2047 encoded words, no raw UTF-8 in headers


def test_text_part_decodes_back_exactly() -> None:
    found = parts(parsed(build()))
    assert as_text(found["text/plain"]) == TEXT
    assert as_text(found["text/html"]) == HTML


def test_text_part_long_japanese_line_is_longer_than_998_octets() -> None:
    # The guard below is only meaningful if the input really has such a line.
    assert max(len(line.encode()) for line in TEXT.splitlines()) > 998


def test_serialized_message_has_no_line_over_998_octets_and_is_7bit() -> None:
    data = wire(build())
    assert data.isascii()
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_japanese_text_is_base64_and_ascii_text_is_not() -> None:
    found = parts(parsed(build()))
    assert found["text/plain"]["Content-Transfer-Encoding"] == "base64"
    # Short lines would otherwise go out as raw 8bit under the SMTP policy.
    short = build(text="短い本文です。\n", html="<p>短い本文</p>\n")
    assert wire(short).isascii()
    for part in parts(parsed(short)).values():
        assert part["Content-Transfer-Encoding"] == "base64"
    ascii_text = "Hello\nFrom here\n.\n" + "long " * 300 + "\n"
    plain = parsed(build(text=ascii_text, html=None, calendar=None, calendar_method=None))
    assert plain["Content-Transfer-Encoding"] in {"7bit", "quoted-printable"}
    assert as_text(plain) == ascii_text


def test_headers_from_to_reply_to_keep_japanese_display_names() -> None:
    msg = parsed(build())
    (sender,) = msg["From"].addresses
    (recipient,) = msg["To"].addresses
    (reply_to,) = msg["Reply-To"].addresses
    assert (sender.display_name, sender.addr_spec) == ("つなぐ 事務局", SENDER.addr_spec)
    assert (recipient.display_name, recipient.addr_spec) == (
        "佐藤, 花子（松山市）",
        RECIPIENT.addr_spec,
    )
    assert (reply_to.display_name, reply_to.addr_spec) == (
        "山田 太郎",
        "yamada@pref.kochi.example.lg.jp",
    )


def test_headers_message_id_date_and_mime_version() -> None:
    msg = parsed(build())
    assert msg["Message-ID"] == MESSAGE_ID
    assert parsedate_to_datetime(msg["Date"]) == SENT_AT
    assert msg["Date"].endswith("+0900")
    assert msg.get_all("MIME-Version") == ["1.0"]
    assert all("MIME-Version" not in part for part in msg.walk() if part is not msg)


def test_headers_without_reply_to_have_none() -> None:
    assert "Reply-To" not in parsed(build(reply_to=None))


def test_headers_date_defaults_to_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    date = parsedate_to_datetime(parsed(build(sent_at=None))["Date"])
    assert before <= date <= datetime.now(UTC) + timedelta(seconds=1)


def test_headers_have_no_auto_submitted() -> None:
    # Deliberate: see the report; invitations answer a person's registration.
    assert "Auto-Submitted" not in parsed(build())


def test_list_unsubscribe_long_https_url_stays_one_plain_line() -> None:
    url = "https://tsunagu.example.jp/unsubscribe/" + "t" * 120
    msg = build(list_unsubscribe=url)
    assert f"List-Unsubscribe: <{url}>\r\n".encode() in wire(msg)
    back = parsed(msg)
    assert back["List-Unsubscribe"] == f"<{url}>"
    assert back["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_list_unsubscribe_mailto_has_no_one_click_post() -> None:
    back = parsed(build(list_unsubscribe="mailto:unsubscribe@tsunagu.example.jp?subject=42"))
    assert back["List-Unsubscribe"] == "<mailto:unsubscribe@tsunagu.example.jp?subject=42>"
    assert "List-Unsubscribe-Post" not in back


def test_list_unsubscribe_absent_by_default() -> None:
    back = parsed(build())
    assert "List-Unsubscribe" not in back and "List-Unsubscribe-Post" not in back


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"calendar_method": "PUBLISH"}, "differs"),
        ({"calendar_method": "REPLY"}, "one of"),
        ({"calendar": None}, "without a calendar"),
        ({"message_id": "invite-42@tsunagu.example.jp"}, "message_id"),
        ({"recipient": "a@b.jp, c@d.jp"}, "one recipient"),
        ({"sent_at": datetime(2026, 11, 20, 10, 0)}, "aware"),  # noqa: DTZ001
        ({"subject": "件名\r\nBcc: victim@example.jp"}, "linefeed"),
        ({"list_unsubscribe": "javascript:alert(1)"}, "list_unsubscribe"),
        ({"list_unsubscribe": "https://a.jp/u>, <https://evil.example"}, "list_unsubscribe"),
    ],
)
def test_build_message_with_invalid_input_is_refused(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        build(**changes)
