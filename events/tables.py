"""Piccolo tables of the upper layer; behaviour lives in the domain modules."""

from __future__ import annotations

from piccolo.columns import (
    UUID,
    Boolean,
    Bytea,
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

from networking.tables import Municipality


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
    # An https: URL for the List-Unsubscribe header (RFC 8058 one-click), for mail one can stop.
    list_unsubscribe = Varchar(length=900, null=True, default=None)


class WorkerPoll(Table, tablename="worker_poll"):
    """When a worker last went through its loop without an error (one row; /healthz reads it)."""

    id = Serial(primary_key=True)
    polled_at = Timestamptz()


class Series(Table, tablename="series"):
    """A recurring programme, e.g. 中四国エリア 庁内デジタル人材育成 情報交換会."""

    id = Serial(primary_key=True)
    title = Varchar(length=200)
    description = Text(default="")
    region = Varchar(length=20)
    owner = ForeignKey(references=Organizer, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz(default=TimestamptzNow())


class ExchangeSession(Table, tablename="exchange_session"):
    """One meeting of a series: times in UTC, shown in Asia/Tokyo; join data for participants."""

    id = Serial(primary_key=True)
    series = ForeignKey(references=Series, null=False, on_delete=OnDelete.restrict)
    title = Varchar(length=200)
    region = Varchar(length=20, index=True)
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    meeting_url = Varchar(length=500, default="")
    meeting_passcode = Varchar(length=64, default="")
    background = Text(default="")
    capacity = Integer()
    per_municipality_limit = Integer()
    registration_deadline = Timestamptz()
    status = Varchar(length=16, default="draft", index=True)
    # Bumped on every material change so calendar clients replace the event (iCalendar SEQUENCE).
    sequence = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class AgendaSegment(Table, tablename="agenda_segment"):
    """An ordered part of a session: the sharing round, a discussion topic, or other."""

    id = Serial(primary_key=True)
    exchange_session = ForeignKey(
        references=ExchangeSession, null=False, on_delete=OnDelete.cascade
    )
    position = Integer()
    kind = Varchar(length=16)
    title = Varchar(length=200)
    minutes = Integer(default=0)


class AgendaItem(Table, tablename="agenda_item"):
    """A sharing item of the sharing round, or a discussion point (論点) of a topic."""

    id = Serial(primary_key=True)
    segment = ForeignKey(references=AgendaSegment, null=False, on_delete=OnDelete.cascade)
    position = Integer()
    text = Varchar(length=500)


class Invitation(Table, tablename="invitation"):
    """A municipality invited to a session, with its coordinator's secret link (hashed)."""

    id = Serial(primary_key=True)
    exchange_session = ForeignKey(
        references=ExchangeSession, null=False, on_delete=OnDelete.cascade
    )
    municipality = ForeignKey(references=Municipality, null=False, on_delete=OnDelete.restrict)
    # None while a join request waits for the organizer; set when a link is issued.
    token_hash = Varchar(length=64, unique=True, null=True, default=None)
    link_nonce = Varchar(length=32, null=True, default=None)
    contact_email = Varchar(length=254, default="")
    mailed_at = Timestamptz(null=True, default=None)
    # invited; requested (asked to join from the public page); declined; revoked
    status = Varchar(length=16, default="invited")
    # What a municipality that asked to join wrote to the organizer, and when it asked.
    request_message = Text(default="")
    requested_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    # The organizer's order of the session's municipalities (report, public page): the order
    # they were picked, then as the organizer moved them. Counts from 0 within a session.
    position = Integer(default=0)


class AuditEntry(Table, tablename="audit_entry"):
    """Who changed what and when; never updated or deleted."""

    id = Serial(primary_key=True)
    exchange_session = ForeignKey(references=ExchangeSession, null=True, on_delete=OnDelete.cascade)
    actor = Varchar(length=120)
    action = Varchar(length=40)
    details = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class Registration(Table, tablename="registration"):
    """One municipality's delegation to one session, registered from its coordinator link."""

    id = Serial(primary_key=True)
    exchange_session = ForeignKey(
        references=ExchangeSession, null=False, on_delete=OnDelete.cascade
    )
    municipality = ForeignKey(references=Municipality, null=False, on_delete=OnDelete.restrict)
    # confirmed (someone holds a place), waitlisted (everyone waits), cancelled
    status = Varchar(length=16, default="confirmed")
    plan_status = Varchar(length=16)
    # The coordinator agreed that the report may name the municipality beside what it shared.
    report_consent = Boolean(default=False)
    # When that agreement last changed: a report version published before says so.
    report_consent_changed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    # The Idempotency-Key the registration was made with (SHA-256, hex) and the SHA-256 of
    # what was submitted with it: a retry with the key is answered from the row, not twice.
    idempotency_key_hash = Varchar(length=64, null=True, default=None)
    request_fingerprint = Varchar(length=64, null=True, default=None)


class Attendee(Table, tablename="attendee"):
    """A person of a delegation, with their own secret link (hashed)."""

    id = Serial(primary_key=True)
    registration = ForeignKey(references=Registration, null=False, on_delete=OnDelete.cascade)
    # Repeated from the registration so capacity and e-mail uniqueness are one-table checks.
    exchange_session = ForeignKey(
        references=ExchangeSession, null=False, on_delete=OnDelete.cascade
    )
    name = Varchar(length=100)
    # よみがな as typed (kana and spaces), "" when not given; address books sort by it.
    reading = Varchar(length=100, default="")
    department = Varchar(length=200)
    position = Varchar(length=16)
    is_digital_department = Boolean(default=False)
    email = Varchar(length=254)
    share_contact = Boolean(default=False)
    # Language of the attendee's mails: the one the delegation was registered in.
    locale = Varchar(length=5, default="ja")
    # confirmed, waitlisted or cancelled; waitlisted_at orders the waiting list.
    status = Varchar(length=16)
    waitlisted_at = Timestamptz(null=True, default=None)
    token_hash = Varchar(length=64, unique=True, null=True, default=None)
    link_nonce = Varchar(length=32, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class TopicPreference(Table, tablename="topic_preference"):
    """How much an attendee wants a discussion topic: rank 1 is the first choice."""

    id = Serial(primary_key=True)
    attendee = ForeignKey(references=Attendee, null=False, on_delete=OnDelete.cascade)
    segment = ForeignKey(references=AgendaSegment, null=False, on_delete=OnDelete.cascade)
    rank = Integer()


class SharingAnswer(Table, tablename="sharing_answer"):
    """What a municipality will share on one sharing item of the information-sharing round."""

    id = Serial(primary_key=True)
    registration = ForeignKey(references=Registration, null=False, on_delete=OnDelete.cascade)
    item = ForeignKey(references=AgendaItem, null=False, on_delete=OnDelete.cascade)
    text = Text()


class GroupAssignment(Table, tablename="group_assignment"):
    """A session's assignment to discussion groups: mode, parameters, reasons and state."""

    id = Serial(primary_key=True)
    exchange_session = ForeignKey(
        references=ExchangeSession, null=False, on_delete=OnDelete.cascade, unique=True
    )
    min_group_size = Integer()
    max_group_size = Integer()
    seed = Integer()
    # draft (the organizer reviews it), locked (no longer re-run), published (attendees told)
    state = Varchar(length=16, default="draft")
    # Score, notes and each group's reasons as of the last change, JSON (events.groups.record).
    reasons = Text(default="{}")
    mode = Varchar(length=16, default="tracks")  # events.enums.GroupMode
    # Rounds held all together (no breakout), by the organizer's choice: segment ids, JSON list.
    plenary_segments = Text(default="[]")
    published_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class GroupMembership(Table, tablename="group_membership"):
    """Before discussion rounds, an attendee's one topic and group; group_seat replaced it and
    holds a copy of its rows. Kept, unused, because migrations here only ever add."""

    id = Serial(primary_key=True)
    assignment = ForeignKey(references=GroupAssignment, null=False, on_delete=OnDelete.cascade)
    attendee = ForeignKey(references=Attendee, null=False, on_delete=OnDelete.cascade, unique=True)
    segment = ForeignKey(references=AgendaSegment, null=False, on_delete=OnDelete.cascade)
    group_number = Integer()
    published_segment = ForeignKey(
        references=AgendaSegment, null=True, default=None, on_delete=OnDelete.set_null
    )
    published_group_number = Integer(null=True, default=None)


class GroupSeat(Table, tablename="group_seat"):
    """An attendee's group in one discussion segment (a round, or their topic).

    group_number is the current group (None: no longer in this segment), published_group_number
    what the attendee was last told (None: nothing yet). One row per attendee and segment (a
    unique index of the migration).
    """

    id = Serial(primary_key=True)
    assignment = ForeignKey(references=GroupAssignment, null=False, on_delete=OnDelete.cascade)
    attendee = ForeignKey(references=Attendee, null=False, on_delete=OnDelete.cascade)
    segment = ForeignKey(references=AgendaSegment, null=False, on_delete=OnDelete.cascade)
    group_number = Integer(null=True, default=None)
    published_group_number = Integer(null=True, default=None)


class DatePoll(Table, tablename="date_poll"):
    """A date poll (日程調整): candidate slots offered to municipalities before a date is fixed."""

    id = Serial(primary_key=True)
    series = ForeignKey(references=Series, null=False, on_delete=OnDelete.restrict)
    # The session whose date it decides: set when created for an existing session, else on decision.
    exchange_session = ForeignKey(
        references=ExchangeSession, null=True, default=None, on_delete=OnDelete.set_null
    )
    title = Varchar(length=200)
    # open (answers taken), closed, decided
    status = Varchar(length=16, default="open")
    created_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None)


class DatePollSlot(Table, tablename="date_poll_slot"):
    """A candidate start and end of a poll (stored UTC, proposed in Japan time)."""

    id = Serial(primary_key=True)
    poll = ForeignKey(references=DatePoll, null=False, on_delete=OnDelete.cascade)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    chosen = Boolean(default=False)


class DatePollRecipient(Table, tablename="date_poll_recipient"):
    """A municipality asked to answer a poll: its own secret link (hashed), contact and comment."""

    id = Serial(primary_key=True)
    poll = ForeignKey(references=DatePoll, null=False, on_delete=OnDelete.cascade)
    municipality = ForeignKey(references=Municipality, null=False, on_delete=OnDelete.restrict)
    contact_email = Varchar(length=254, default="")
    token_hash = Varchar(length=64, unique=True)
    link_nonce = Varchar(length=32)
    comment = Text(default="")
    # None until the municipality answers; its answers are then one row per slot.
    answered_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class DatePollAnswer(Table, tablename="date_poll_answer"):
    """One municipality's mark on one slot: yes (○), maybe (△) or no (×)."""

    id = Serial(primary_key=True)
    recipient = ForeignKey(references=DatePollRecipient, null=False, on_delete=OnDelete.cascade)
    slot = ForeignKey(references=DatePollSlot, null=False, on_delete=OnDelete.cascade)
    mark = Varchar(length=8)


class BoardQuestion(Table, tablename="board_question"):
    """A question to a series' network (相談ボード), asked from an attendee's personal link."""

    id = Serial(primary_key=True)
    series = ForeignKey(references=Series, null=False, on_delete=OnDelete.cascade)
    asker = ForeignKey(references=Attendee, null=False, on_delete=OnDelete.cascade)
    title = Varchar(length=200)
    body = Text()
    # Title and body folded by networking.search.fold, for substring search.
    search_text = Text(default="")
    segment = ForeignKey(
        references=AgendaSegment, null=True, default=None, on_delete=OnDelete.set_null
    )
    item = ForeignKey(references=AgendaItem, null=True, default=None, on_delete=OnDelete.set_null)
    # open, answered (an answer was marked helpful), resolved (the asker says so)
    status = Varchar(length=16, default="open", index=True)
    locked = Boolean(default=False)
    hidden = Boolean(default=False)
    # The discussion topic the organizer made of it, once promoted.
    promoted_segment = ForeignKey(
        references=AgendaSegment, null=True, default=None, on_delete=OnDelete.set_null
    )
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class BoardQuestionTheme(Table, tablename="board_question_theme"):
    """A theme tag of a question (e.g. 人事, KPI), normalised by events.board.text."""

    id = Serial(primary_key=True)
    question = ForeignKey(references=BoardQuestion, null=False, on_delete=OnDelete.cascade)
    theme = Varchar(length=40, index=True)


class BoardAnswer(Table, tablename="board_answer"):
    """An answer to a board question from an attendee of the series."""

    id = Serial(primary_key=True)
    question = ForeignKey(references=BoardQuestion, null=False, on_delete=OnDelete.cascade)
    author = ForeignKey(references=Attendee, null=False, on_delete=OnDelete.cascade)
    body = Text()
    search_text = Text(default="")
    hidden = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class BoardHelpfulMark(Table, tablename="board_helpful_mark"):
    """The asker found an answer helpful."""

    id = Serial(primary_key=True)
    answer = ForeignKey(references=BoardAnswer, null=False, on_delete=OnDelete.cascade)
    attendee = ForeignKey(references=Attendee, null=False, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())


class BoardRevision(Table, tablename="board_revision"):
    """A board post as it was before an edit (question or answer); never updated or deleted."""

    id = Serial(primary_key=True)
    question = ForeignKey(
        references=BoardQuestion, null=True, default=None, on_delete=OnDelete.cascade
    )
    answer = ForeignKey(references=BoardAnswer, null=True, default=None, on_delete=OnDelete.cascade)
    title = Varchar(length=200, default="")
    body = Text()
    edited_by = ForeignKey(references=Attendee, null=False, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())


class BoardModeration(Table, tablename="board_moderation"):
    """An organizer's moderation of a board post (hide, restore, lock, unlock, promote)."""

    id = Serial(primary_key=True)
    series = ForeignKey(references=Series, null=False, on_delete=OnDelete.cascade)
    question = ForeignKey(
        references=BoardQuestion, null=True, default=None, on_delete=OnDelete.cascade
    )
    answer = ForeignKey(references=BoardAnswer, null=True, default=None, on_delete=OnDelete.cascade)
    actor = Varchar(length=120)
    action = Varchar(length=16)
    reason = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class BoardSubscription(Table, tablename="board_subscription"):
    """How a person (by e-mail) hears of new answers: daily digest, immediately, or not at all."""

    id = Serial(primary_key=True)
    email = Varchar(length=254, unique=True)
    mode = Varchar(length=16, default="digest")
    # The unsubscribe link's secret (events.lib.tokens.link_token); only its hash is looked up.
    link_nonce = Varchar(length=32)
    token_hash = Varchar(length=64, unique=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class BoardDigest(Table, tablename="board_digest"):
    """The digest mailed to one person for one day (Asia/Tokyo): at most one per person and day."""

    id = Serial(primary_key=True)
    email = Varchar(length=254)
    day = Varchar(length=10)
    answers = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())


class SurveyQuestionSet(Table, tablename="survey_question_set"):
    """One version of a series' survey questions; frozen once a session's survey uses it."""

    id = Serial(primary_key=True)
    series = ForeignKey(references=Series, null=False, on_delete=OnDelete.cascade)
    version = Integer()
    created_at = Timestamptz(default=TimestamptzNow())


class SurveyQuestion(Table, tablename="survey_question"):
    """A question of a question set: a labelled scale, a before/after scale, or free text."""

    id = Serial(primary_key=True)
    question_set = ForeignKey(references=SurveyQuestionSet, null=False, on_delete=OnDelete.cascade)
    position = Integer()
    kind = Varchar(length=16)
    label = Varchar(length=300)
    # The scale's levels as a JSON list of labels, first listed = highest score; [] for text.
    levels = Text(default="[]")


class Survey(Table, tablename="survey"):
    """A held session's survey: the question set it was opened with, open or closed."""

    id = Serial(primary_key=True)
    exchange_session = ForeignKey(
        references=ExchangeSession, null=False, on_delete=OnDelete.cascade, unique=True
    )
    question_set = ForeignKey(references=SurveyQuestionSet, null=False, on_delete=OnDelete.restrict)
    # open (answers taken) or closed
    status = Varchar(length=16, default="open")
    opened_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None)


class SurveyResponse(Table, tablename="survey_response"):
    """One attendee's answers to one survey: at most one (a unique index says so)."""

    id = Serial(primary_key=True)
    survey = ForeignKey(references=Survey, null=False, on_delete=OnDelete.cascade)
    attendee = ForeignKey(references=Attendee, null=False, on_delete=OnDelete.cascade)
    # The respondent agreed that their free-text answers may be quoted in the report, unnamed.
    quote_consent = Boolean(default=False)
    submitted_at = Timestamptz(default=TimestamptzNow())


class SurveyAnswer(Table, tablename="survey_answer"):
    """One answer of a response: a scale score, a before and after score, or a text."""

    id = Serial(primary_key=True)
    response = ForeignKey(references=SurveyResponse, null=False, on_delete=OnDelete.cascade)
    question = ForeignKey(references=SurveyQuestion, null=False, on_delete=OnDelete.restrict)
    score = Integer(null=True, default=None)
    after_score = Integer(null=True, default=None)
    text = Text(default="")


class SessionNote(Table, tablename="session_note"):
    """The organizer's notes on a discussion topic (or one of its groups), or the key takeaways."""

    id = Serial(primary_key=True)
    exchange_session = ForeignKey(
        references=ExchangeSession, null=False, on_delete=OnDelete.cascade
    )
    # None for the key takeaways of the whole session.
    segment = ForeignKey(
        references=AgendaSegment, null=True, default=None, on_delete=OnDelete.cascade
    )
    # 0 for the topic as a whole, else the group whose discussion the note records.
    group_number = Integer(default=0)
    # Unique within the session (raw index): "takeaways", "topic:<id>" or "topic:<id>:group:<n>".
    slot = Varchar(length=60)
    text = Text()
    updated_by = Varchar(length=120)
    updated_at = Timestamptz(default=TimestamptzNow())


class Report(Table, tablename="report"):
    """The report of one session: the draft being edited and how far it has come."""

    id = Serial(primary_key=True)
    exchange_session = ForeignKey(
        references=ExchangeSession, null=False, on_delete=OnDelete.restrict, unique=True
    )
    # The draft's blocks as JSON (events.reports.blocks); published versions keep their own copy.
    blocks = Text(default="[]")
    # Theme tags, "|"-separated with leading and trailing "|" so that one tag is found by instr.
    tags = Varchar(length=500, default="")
    # draft, fact_check (sent to the municipalities), published (a version exists)
    state = Varchar(length=16, default="draft")
    latest_version = Integer(default=0)
    fact_check_requested_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ReportVersion(Table, tablename="report_version"):
    """A published version: never updated, except for its PDF rendered later by the worker."""

    id = Serial(primary_key=True)
    report = ForeignKey(references=Report, null=False, on_delete=OnDelete.restrict)
    number = Integer()
    title = Varchar(length=300)
    blocks = Text()
    tags = Varchar(length=500, default="")
    published_at = Timestamptz(default=TimestamptzNow())
    # pending until the worker renders the PDF, then ready (or failed).
    pdf_state = Varchar(length=16, default="pending", index=True)
    pdf = Bytea(null=True, default=None)


class ReportComment(Table, tablename="report_comment"):
    """A participating municipality's fact-check comment on the draft; it cannot edit."""

    id = Serial(primary_key=True)
    report = ForeignKey(references=Report, null=False, on_delete=OnDelete.cascade)
    municipality = ForeignKey(references=Municipality, null=False, on_delete=OnDelete.restrict)
    block_key = Varchar(length=40, default="")
    text = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class ReportArchiveEntry(Table, tablename="report_archive_entry"):
    """The latest published version of each report, flattened for browsing and search."""

    id = Serial(primary_key=True)
    report = ForeignKey(references=Report, null=False, on_delete=OnDelete.cascade, unique=True)
    version = Integer()
    title = Varchar(length=300)
    lead = Text(default="")
    starts_at = Timestamptz(index=True)
    fiscal_year = Integer(index=True)
    region = Varchar(length=20, index=True)
    series = ForeignKey(references=Series, null=False, on_delete=OnDelete.restrict)
    series_title = Varchar(length=200)
    # "|"-wrapped lists, so that one value is matched exactly with instr/strpos.
    tags = Varchar(length=500, default="")
    municipality_codes = Text(default="")
    municipality_names = Text(default="")
    # Case-folded text of every block: substring search, wildcards taken literally.
    search_text = Text(default="")
    published_at = Timestamptz(index=True)


class ReportSearchTerm(Table, tablename="report_search_term"):
    """A character pair of an archived report's folded text: the index behind `?q=` search."""

    id = Serial(primary_key=True)
    entry = ForeignKey(references=ReportArchiveEntry, null=False, on_delete=OnDelete.cascade)
    term = Varchar(length=2)


class MailboxMessage(Table, tablename="mailbox_message"):
    """A message delivered to the development mailbox (/dev/mail) instead of a mail server."""

    id = Serial(primary_key=True)
    delivered_at = Timestamptz(default=TimestamptzNow(), index=True)
    recipient = Varchar(length=254)
    subject = Varchar(length=300)
    kind = Varchar(length=40)
    # The message exactly as it would have gone over SMTP.
    source = Text()
