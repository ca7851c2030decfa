"""Piccolo tables of the upper layer; behaviour lives in the domain modules."""

from __future__ import annotations

from piccolo.columns import (
    UUID,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.table import Table


class Organizer(Table, tablename="organizer"):
    """Someone who signs in to run series and sessions; admins see every series."""

    id = Serial(primary_key=True)
    email = Varchar(length=254, unique=True)
    display_name = Varchar(length=100)
    organization = Varchar(length=200, default="")
    password_hash = Varchar(length=200)
    is_admin = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class LoginSession(Table, tablename="login_session"):
    """A signed-in browser; the cookie holds a random token, the table only its hash."""

    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    organizer = ForeignKey(references=Organizer, null=False, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()


class ApiToken(Table, tablename="api_token"):
    """A bearer token for the JSON API, issued by `tsunagu create-api-token`; stored hashed."""

    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    organizer = ForeignKey(references=Organizer, null=False, on_delete=OnDelete.cascade)
    label = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class OutboxMessage(Table, tablename="outbox_message"):
    """An e-mail to send, written in the transaction of the change that caused it."""

    id = Serial(primary_key=True)
    uid = UUID(default=UUID4(), unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    kind = Varchar(length=40)
    recipient = Varchar(length=254)
    reply_to = Varchar(length=254, null=True, default=None)
    subject = Varchar(length=300)
    text_body = Text()
    html_body = Text(null=True, default=None)
    calendar = Text(null=True, default=None)
    calendar_method = Varchar(length=16, null=True, default=None)
    # A newer message with the same key supersedes one still waiting (newest state wins).
    supersede_key = Varchar(length=120, null=True, default=None, index=True)
    # Groups the messages of one exchange session for the organizer's outbox view.
    topic_key = Varchar(length=60, null=True, default=None, index=True)
    status = Varchar(length=16, default="pending", index=True)
    due_at = Timestamptz(default=TimestamptzNow(), index=True)
    attempts = Integer(default=0)
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(null=True, default=None)
