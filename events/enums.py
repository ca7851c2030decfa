"""Statuses and kinds shared by tables, domain modules, templates and the API."""

from __future__ import annotations

import enum

from events.lib.i18n import N_


class SessionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    HELD = "held"
    REPORTED = "reported"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _SESSION_STATUS_LABELS[self]


_SESSION_STATUS_LABELS = {
    SessionStatus.DRAFT: N_("下書き"),
    SessionStatus.PUBLISHED: N_("受付中"),
    SessionStatus.CLOSED: N_("受付終了"),
    SessionStatus.HELD: N_("開催済み"),
    SessionStatus.REPORTED: N_("レポート公開済み"),
    SessionStatus.CANCELLED: N_("中止"),
}


class SegmentKind(enum.StrEnum):
    SHARING = "sharing"
    DISCUSSION = "discussion"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _SEGMENT_KIND_LABELS[self]


_SEGMENT_KIND_LABELS = {
    SegmentKind.SHARING: N_("情報共有"),
    SegmentKind.DISCUSSION: N_("意見交換"),
    SegmentKind.OTHER: N_("その他"),
}


class InvitationStatus(enum.StrEnum):
    INVITED = "invited"
    REQUESTED = "requested"
    DECLINED = "declined"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return _INVITATION_STATUS_LABELS[self]


_INVITATION_STATUS_LABELS = {
    InvitationStatus.INVITED: N_("招待中"),
    InvitationStatus.REQUESTED: N_("参加希望"),
    InvitationStatus.DECLINED: N_("辞退"),
    InvitationStatus.REVOKED: N_("無効"),
}


class PlanStatus(enum.StrEnum):
    """Where a municipality stands with its DX talent-development plan."""

    ADOPTED = "adopted"
    DRAFTING = "drafting"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return _PLAN_STATUS_LABELS[self]


_PLAN_STATUS_LABELS = {
    PlanStatus.ADOPTED: N_("計画策定済"),
    PlanStatus.DRAFTING: N_("策定中"),
    PlanStatus.NOT_STARTED: N_("未着手"),
}


class Position(enum.StrEnum):
    """Position tier of an attendee."""

    MANAGER = "manager"
    MID = "mid"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return _POSITION_LABELS[self]


_POSITION_LABELS = {
    Position.MANAGER: N_("管理職"),
    Position.MID: N_("中堅職員"),
    Position.STAFF: N_("一般職員"),
}


class RegistrationStatus(enum.StrEnum):
    """Of a registration and of each attendee."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _REGISTRATION_STATUS_LABELS[self]


_REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: N_("参加確定"),
    RegistrationStatus.WAITLISTED: N_("キャンセル待ち"),
    RegistrationStatus.CANCELLED: N_("取消"),
}


class AssignmentState(enum.StrEnum):
    """Of a session's group assignment: draft → locked → published."""

    DRAFT = "draft"
    LOCKED = "locked"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return _ASSIGNMENT_STATE_LABELS[self]


class GroupMode(enum.StrEnum):
    """How a session's discussions are held: everyone in every round, or one topic each."""

    ROUNDS = "rounds"  # each discussion segment is a round everyone joins, in rotating groups
    TRACKS = "tracks"  # each attendee joins one discussion, by their wishes

    @property
    def label(self) -> str:
        return _GROUP_MODE_LABELS[self]


_GROUP_MODE_LABELS = {
    GroupMode.ROUNDS: N_("全員がすべての意見交換に参加（グループを入れ替え）"),
    GroupMode.TRACKS: N_("意見交換のテーマを一人ひとつ選んで参加"),
}


_ASSIGNMENT_STATE_LABELS = {
    AssignmentState.DRAFT: N_("下書き"),
    AssignmentState.LOCKED: N_("確定（未公開）"),
    AssignmentState.PUBLISHED: N_("公開済み"),
}


class PollStatus(enum.StrEnum):
    """Of a date poll (日程調整): answers are taken while open; decided fixes the session's date."""

    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"

    @property
    def label(self) -> str:
        return _POLL_STATUS_LABELS[self]


_POLL_STATUS_LABELS = {
    PollStatus.OPEN: N_("回答受付中"),
    PollStatus.CLOSED: N_("締切"),
    PollStatus.DECIDED: N_("日程決定"),
}


class PollMark(enum.StrEnum):
    """A municipality's answer to one candidate slot, stored by name, shown as ○ △ ×."""

    YES = "yes"
    MAYBE = "maybe"
    NO = "no"

    @property
    def symbol(self) -> str:
        return _POLL_MARK_SYMBOLS[self]

    @property
    def label(self) -> str:
        """What screen readers say instead of the symbol."""
        return _POLL_MARK_LABELS[self]


_POLL_MARK_SYMBOLS = {PollMark.YES: "○", PollMark.MAYBE: "△", PollMark.NO: "×"}
_POLL_MARK_LABELS = {
    PollMark.YES: N_("参加可能"),
    PollMark.MAYBE: N_("未定"),
    PollMark.NO: N_("参加不可"),
}


class QuestionStatus(enum.StrEnum):
    """Of a board question: open → answered (an answer marked helpful) → resolved (by the asker)."""

    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        return _QUESTION_STATUS_LABELS[self]


_QUESTION_STATUS_LABELS = {
    QuestionStatus.OPEN: N_("回答募集中"),
    QuestionStatus.ANSWERED: N_("参考になる回答あり"),
    QuestionStatus.RESOLVED: N_("解決済み"),
}


class BoardMailMode(enum.StrEnum):
    """How a person hears of new answers on the board."""

    DIGEST = "digest"
    IMMEDIATE = "immediate"
    OFF = "off"

    @property
    def label(self) -> str:
        return _BOARD_MAIL_MODE_LABELS[self]


_BOARD_MAIL_MODE_LABELS = {
    BoardMailMode.DIGEST: N_("1日1回まとめて受け取る"),
    BoardMailMode.IMMEDIATE: N_("回答があるたびに受け取る"),
    BoardMailMode.OFF: N_("受け取らない"),
}


class ModerationAction(enum.StrEnum):
    HIDE = "hide"
    RESTORE = "restore"
    LOCK = "lock"
    UNLOCK = "unlock"
    PROMOTE = "promote"

    @property
    def label(self) -> str:
        return _MODERATION_ACTION_LABELS[self]


_MODERATION_ACTION_LABELS = {
    ModerationAction.HIDE: N_("非表示"),
    ModerationAction.RESTORE: N_("再表示"),
    ModerationAction.LOCK: N_("回答を締め切り"),
    ModerationAction.UNLOCK: N_("締め切りを解除"),
    ModerationAction.PROMOTE: N_("意見交換テーマに追加"),
}


class QuestionKind(enum.StrEnum):
    """Of a survey question: a labelled scale, the same scale asked before and after, free text."""

    SCALE = "scale"
    BEFORE_AFTER = "before_after"
    TEXT = "text"

    @property
    def label(self) -> str:
        return _QUESTION_KIND_LABELS[self]


_QUESTION_KIND_LABELS = {
    QuestionKind.SCALE: N_("段階評価"),
    QuestionKind.BEFORE_AFTER: N_("参加前・参加後の段階評価"),
    QuestionKind.TEXT: N_("自由記述"),
}


class SurveyStatus(enum.StrEnum):
    """Of a session's survey: answers are taken while open."""

    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _SURVEY_STATUS_LABELS[self]


_SURVEY_STATUS_LABELS = {
    SurveyStatus.OPEN: N_("回答受付中"),
    SurveyStatus.CLOSED: N_("締切"),
}


class OutboxStatus(enum.StrEnum):
    """Of an outgoing message: pending until a worker claims it (sending), then sent or failed;
    superseded by a newer message of the same kind, or cancelled before it went out."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


class ReportState(enum.StrEnum):
    """Of a report: drafted, read by the participants (fact check), published."""

    DRAFT = "draft"
    FACT_CHECK = "fact_check"
    PUBLISHED = "published"


class PdfState(enum.StrEnum):
    """Of a published version's PDF, rendered by the worker."""

    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"
    # Rendered, but some characters came out as boxes: no Japanese font on the server.
    MISSING_FONT = "missing_font"


class BlockKind(enum.StrEnum):
    """The sections a report is made of, in the order a generated draft has them."""

    TITLE = "title"
    LEAD = "lead"
    BACKGROUND = "background"
    PARTICIPANTS = "participants"
    SHARING = "sharing"
    DISCUSSION = "discussion"
    SURVEY = "survey"
    VOICES = "voices"
    CLOSING = "closing"
    NEXT_SESSIONS = "next_sessions"
