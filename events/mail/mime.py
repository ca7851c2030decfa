"""Builds one outgoing e-mail (text, optional HTML, optional calendar) without sending it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP, Policy
from zoneinfo import ZoneInfo

__all__ = ["CALENDAR_METHODS", "build_message"]

CALENDAR_METHODS = frozenset({"REQUEST", "CANCEL", "PUBLISH"})
_TOKYO = ZoneInfo("Asia/Tokyo")
_MESSAGE_ID = re.compile(r"<[^<>@\s]+@[^<>@\s]+>")
_CALENDAR_METHOD = re.compile(rb"^METHOD:([A-Z-]+)\r?$", re.MULTILINE)
_UNSUBSCRIBE_URI = re.compile(r"(https|mailto):[\x21-\x7e]+")


class _CachedHeaderRegistry(HeaderRegistry):
    """The standard registry, with one header class per name.

    CPython's HeaderRegistry.__getitem__ creates a new class with type() for every header
    set or read; a message has about thirty, and that was a third of building one.
    """

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        found = self._classes.get(key)
        if found is None:
            found = self._classes[key] = super().__getitem__(name)
        return found


_POLICY = SMTP.clone(header_factory=_CachedHeaderRegistry())
# CPython's folder fills a line up to one octet short of max_line_length, so under the default
# 78 a Japanese subject gets RFC 2047 encoded words of 76 characters; RFC 2047 §2 allows 75.
# Folding the subject at 76 keeps every encoded word within the limit (at most 72).
_SUBJECT_POLICY = _POLICY.clone(max_line_length=76)


def build_message(
    *,
    sender: str | Address,
    recipient: str | Address,
    reply_to: str | Address | None,
    subject: str,
    text: str,
    html: str | None,
    calendar: bytes | None,
    calendar_method: str | None,
    message_id: str,
    sent_at: datetime | None = None,
    attachment_name: str = "invite.ics",
    list_unsubscribe: str | None = None,
) -> EmailMessage:
    """Build the message; serialize with bytes(msg) or msg.as_bytes(policy=email.policy.SMTP).

    With a calendar: multipart/mixed[multipart/alternative[text/plain, text/html,
    text/calendar; method=...], application/ics attachment]. Without: multipart/alternative
    [text/plain, text/html], or text/plain alone. Address arguments take "名前 <a@b>" strings
    or Address objects (the latter for display names with commas).
    """
    method = _checked_method(calendar, calendar_method)
    msg = EmailMessage(policy=_POLICY)
    _set_headers(msg, sender, recipient, reply_to, subject, message_id, sent_at)
    if list_unsubscribe is not None:
        _set_list_unsubscribe(msg, list_unsubscribe)
    _set_body(msg, text, html)
    if calendar is not None and method is not None:
        _add_calendar(msg, calendar, method, attachment_name)
    for part in msg.walk():
        # add_alternative/add_attachment build EmailMessage parts, which each stamp a
        # MIME-Version header of their own; only the top level should carry it.
        if part is not msg:
            del part["MIME-Version"]
    return msg


def _set_body(msg: EmailMessage, text: str, html: str | None) -> None:
    msg.set_content(text, subtype="plain", cte=_text_cte(text))
    if html is not None:
        msg.add_alternative(html, subtype="html", cte=_text_cte(html))


def _add_calendar(msg: EmailMessage, calendar: bytes, method: str, attachment_name: str) -> None:
    # Outlook acts only on a text/calendar part inside the first child of multipart/mixed;
    # the attachment is for clients that import files and for forwarding.
    params = {"method": method, "charset": "UTF-8"}
    msg.add_alternative(calendar, maintype="text", subtype="calendar", params=params)
    msg.add_attachment(
        calendar,
        maintype="application",
        subtype="ics",
        filename=attachment_name,
        params={"name": attachment_name},
    )


def _checked_method(calendar: bytes | None, method: str | None) -> str | None:
    if calendar is None:
        if method is not None:
            raise ValueError("calendar_method given without a calendar")
        return None
    found = _CALENDAR_METHOD.search(calendar)
    in_file = found.group(1).decode("ascii") if found else None
    method = method or in_file
    if method not in CALENDAR_METHODS:
        raise ValueError(f"calendar_method must be one of {sorted(CALENDAR_METHODS)}")
    # Clients act on the MIME parameter, iTIP on the file: they must agree.
    if in_file != method:
        raise ValueError(f"calendar_method {method} differs from METHOD:{in_file} in the file")
    return method


def _set_headers(
    msg: EmailMessage,
    sender: str | Address,
    recipient: str | Address,
    reply_to: str | Address | None,
    subject: str,
    message_id: str,
    sent_at: datetime | None,
) -> None:
    if not _MESSAGE_ID.fullmatch(message_id):
        raise ValueError("message_id must look like <unique@domain>")
    sent_at = sent_at or datetime.now(UTC)
    if sent_at.tzinfo is None:
        raise ValueError("sent_at must be timezone-aware")
    msg["From"] = sender
    msg["To"] = recipient
    # One message per recipient keeps municipalities' addresses from each other.
    if len(msg["To"].addresses) != 1:
        raise ValueError("exactly one recipient per message")
    if reply_to is not None:
        msg["Reply-To"] = reply_to
    msg["Subject"] = _Subject(subject)
    msg["Date"] = sent_at.astimezone(_TOKYO)
    msg["Message-ID"] = message_id


def _set_list_unsubscribe(msg: EmailMessage, uri: str) -> None:
    if not _UNSUBSCRIBE_URI.fullmatch(uri) or any(ch in uri for ch in "<>,") or len(uri) > 900:
        raise ValueError("list_unsubscribe must be one https: or mailto: URI")
    msg["List-Unsubscribe"] = _VerbatimHeader("List-Unsubscribe", f"<{uri}>")
    if uri.startswith("https:"):
        # RFC 8058 one-click: Gmail and Yahoo then POST instead of opening a page.
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


class _Subject(str):
    """The subject, folded by the email package under _SUBJECT_POLICY (see there)."""

    name = "Subject"

    def __new__(cls, value: str) -> _Subject:
        # The policy's own checks: a linefeed would let a subject add headers of its own.
        _SUBJECT_POLICY.header_store_parse("Subject", value)
        return super().__new__(cls, value)

    def fold(self, *, policy: Policy) -> str:
        if self.isascii():
            # No encoded word to keep short: folded as every other header.
            return policy.fold("Subject", str(self))
        folding = _SUBJECT_POLICY.clone(linesep=policy.linesep)
        folded: str = folding.header_factory("Subject", str(self)).fold(policy=folding)
        return folded


class _VerbatimHeader(str):
    """A header written on one line as given.

    The email package folds an unstructured value too long for one line into RFC 2047
    encoded words, and a URL so encoded is no longer a URL to mail clients. A value with a
    `name` and `fold()` is what the policies treat as a ready header object.
    """

    name: str

    def __new__(cls, name: str, value: str) -> _VerbatimHeader:
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy: Policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def _text_cte(body: str) -> str | None:
    # Japanese text: base64 is a third of quoted-printable's size, survives 7-bit gateways
    # and leaves no line starting with "From " or ".". ASCII-only text is left to the email
    # package (7bit or quoted-printable): base64 there is a spam signal (MIME_BASE64_TEXT).
    return None if body.isascii() else "base64"
