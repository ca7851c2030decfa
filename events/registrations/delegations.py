"""What a coordinator submits for their municipality, and when it is acceptable."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from events.accounts.organizers import is_valid_email, normalize_email
from events.enums import PlanStatus, Position
from events.lib.errors import Problems
from events.lib.i18n import N_
from events.sessions.exchange_sessions import ExchangeSessionView

MAX_NAME = 100
MAX_READING = 100
# Hiragana, katakana (with their iteration marks), the long vowel mark ー and spaces.
_READING = re.compile(r"[ぁ-ゖゝゞァ-ヺヽヾー ]+")
MAX_DEPARTMENT = 200
MAX_ANSWER = 2000


@dataclass(frozen=True)
class AttendeeInput:
    name: str
    department: str
    position: str
    email: str
    is_digital_department: bool = False
    share_contact: bool = False
    # Discussion segment ids, most wanted first.
    topic_preferences: tuple[int, ...] = ()
    # Set when editing someone already registered (keeps their place and link).
    id: int | None = None
    # よみがな, optional: family and given name apart by a space (「やまだ たろう」).
    reading: str = ""

    def normalized(self) -> AttendeeInput:
        return AttendeeInput(
            name=_clean(self.name),
            reading=normalized_reading(self.reading),
            department=_clean(self.department),
            position=self.position,
            email=normalize_email(self.email),
            is_digital_department=self.is_digital_department,
            share_contact=self.share_contact,
            topic_preferences=tuple(dict.fromkeys(self.topic_preferences)),
            id=self.id,
        )


@dataclass(frozen=True)
class DelegationInput:
    plan_status: str
    attendees: tuple[AttendeeInput, ...]
    # Sharing item id -> what the municipality will share.
    sharing_answers: Mapping[int, str]
    # May the report name the municipality beside what it shared? None keeps what was stored
    # (a new registration then does not consent).
    report_consent: bool | None = None

    def normalized(self) -> DelegationInput:
        return DelegationInput(
            plan_status=self.plan_status,
            report_consent=self.report_consent,
            attendees=tuple(attendee.normalized() for attendee in self.attendees),
            sharing_answers={
                item: answer.strip()
                for item, answer in self.sharing_answers.items()
                if answer.strip()
            },
        )


def _clean(text: str) -> str:
    # Names keep kanji, kana, half-width kana and symbols as typed; only outer spaces and
    # control characters (which would break mail headers and CSV rows) are removed.
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


def normalized_reading(text: str) -> str:
    """Half-width katakana and the ideographic space made full-width and ASCII (NFKC), runs of
    spaces made one; hiragana and katakana stay as typed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def check(delegation: DelegationInput, session: ExchangeSessionView) -> None:
    """Raise ValidationError listing every problem; the session gives limits and the agenda."""
    problems = Problems()
    if delegation.plan_status not in set(PlanStatus):
        problems.add("plan_status", N_("計画の策定状況を選んでください。"))
    if not delegation.attendees:
        problems.add("attendees", N_("参加者を1人以上入力してください。"))
    elif len(delegation.attendees) > session.per_municipality_limit:
        problems.add(
            "attendees",
            N_("1自治体あたりの参加者は%(limit)d人までです。"),
            limit=session.per_municipality_limit,
        )
    for index, attendee in enumerate(delegation.attendees):
        _check_attendee(attendee, f"attendees[{index}]", index + 1, session, problems)
    _check_duplicates(delegation, problems)
    _check_answers(delegation, session, problems)
    problems.raise_if_any()


def _check_attendee(
    attendee: AttendeeInput,
    field: str,
    number: int,
    session: ExchangeSessionView,
    problems: Problems,
) -> None:
    if not attendee.name:
        problems.add(
            f"{field}.name", N_("参加者 %(number)d の氏名を入力してください。"), number=number
        )
    elif len(attendee.name) > MAX_NAME:
        problems.add(
            f"{field}.name",
            N_("参加者 %(number)d の氏名は%(max)d文字以内にしてください。"),
            number=number,
            max=MAX_NAME,
        )
    if len(attendee.reading) > MAX_READING:
        problems.add(
            f"{field}.reading",
            N_("参加者 %(number)d のよみがなは%(max)d文字以内にしてください。"),
            number=number,
            max=MAX_READING,
        )
    elif attendee.reading and not _READING.fullmatch(attendee.reading):
        problems.add(
            f"{field}.reading",
            N_(
                "参加者 %(number)d のよみがなは、ひらがなかカタカナで入力してください"
                "（空白と「ー」も使えます）。"
            ),
            number=number,
        )
    if not attendee.department:
        problems.add(
            f"{field}.department", N_("参加者 %(number)d の所属を入力してください。"), number=number
        )
    elif len(attendee.department) > MAX_DEPARTMENT:
        problems.add(
            f"{field}.department",
            N_("参加者 %(number)d の所属は%(max)d文字以内にしてください。"),
            number=number,
            max=MAX_DEPARTMENT,
        )
    if attendee.position not in set(Position):
        problems.add(
            f"{field}.position", N_("参加者 %(number)d の職位を選んでください。"), number=number
        )
    if not attendee.email.strip():
        problems.add(
            f"{field}.email",
            N_("参加者 %(number)d のメールアドレスを入力してください。"),
            number=number,
        )
    elif not is_valid_email(attendee.email):
        problems.add(
            f"{field}.email",
            N_("参加者 %(number)d のメールアドレスの形式が正しくありません。"),
            number=number,
        )
    topics = {segment.id for segment in session.discussions}
    if any(topic not in topics for topic in attendee.topic_preferences):
        problems.add(
            f"{field}.topic_preferences",
            N_("参加者 %(number)d の希望テーマに、この情報交換会にないテーマがあります。"),
            number=number,
        )


def _check_duplicates(delegation: DelegationInput, problems: Problems) -> None:
    seen: set[str] = set()
    for index, attendee in enumerate(delegation.attendees):
        if attendee.email and attendee.email in seen:
            problems.add(
                f"attendees[{index}].email",
                N_("同じメールアドレス（%(email)s）が2回入力されています。"),
                email=attendee.email,
            )
        seen.add(attendee.email)


def _check_answers(
    delegation: DelegationInput, session: ExchangeSessionView, problems: Problems
) -> None:
    items = {item_id for item_id, _ in session.sharing_items}
    for item_id, answer in delegation.sharing_answers.items():
        if item_id not in items:
            problems.add("sharing_answers", N_("この情報交換会にない共有項目への回答があります。"))
        elif len(answer) > MAX_ANSWER:
            problems.add(
                f"sharing_answers[{item_id}]",
                N_("共有内容は各%(max)d文字以内にしてください。"),
                max=MAX_ANSWER,
            )
