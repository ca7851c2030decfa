"""What the network already knows about a question's themes: practices and municipalities to ask.

Practices are the sharing answers municipalities gave for sessions that were held (the same
municipality-level facts their network pages show), matched by the question's themes and the
discussion topic it refers to. Municipalities to ask are those practices' authors, then the
series' municipalities whose plan is already in place (策定済).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from events.board.queries import QuestionView
from events.board.text import excerpt
from events.enums import PlanStatus
from events.enums import RegistrationStatus as R
from events.network.municipality import HELD
from events.tables import Registration, SharingAnswer
from networking.municipalities import display_names
from networking.search import contains

MAX_PRACTICES = 8
MAX_SUGGESTIONS = 5
# Shorter words match too much Japanese text to mean anything.
MIN_KEYWORD = 2


@dataclass(frozen=True)
class Practice:
    code: str
    municipality: str
    session_title: str
    starts_at: dt.datetime
    item: str
    answer: str


@dataclass(frozen=True)
class MunicipalityToAsk:
    code: str
    name: str
    practices: int
    plan_adopted: bool


def keywords(question: QuestionView) -> tuple[str, ...]:
    words = [*question.themes]
    if question.segment_title:
        words.append(question.segment_title)
    return tuple(dict.fromkeys(w for w in words if len(w) >= MIN_KEYWORD))


async def practices_for(question: QuestionView) -> tuple[Practice, ...]:
    """Sharing answers of other municipalities mentioning the question's themes."""
    found: dict[int, dict[str, Any]] = {}
    registration = SharingAnswer.registration
    for word in keywords(question):
        for column in (SharingAnswer.text, SharingAnswer.item._.text):
            rows = await (
                SharingAnswer.select(
                    SharingAnswer.id,
                    SharingAnswer.text,
                    SharingAnswer.item._.text.as_alias("item"),
                    registration._.municipality.as_alias("code"),
                    registration._.exchange_session._.title.as_alias("session_title"),
                    registration._.exchange_session._.starts_at.as_alias("starts_at"),
                )
                .where(
                    contains(column, word),
                    registration._.status != R.CANCELLED,
                    registration._.exchange_session._.status.is_in(list(HELD)),
                    registration._.municipality != question.asker_municipality,
                )
                .order_by(registration._.exchange_session._.starts_at, ascending=False)
                .limit(MAX_PRACTICES)
            )
            for row in rows:
                if str(row["text"]).strip():
                    found.setdefault(int(row["id"]), row)
    # Each word's search is latest first; so is what they found together.
    latest = sorted(found.values(), key=lambda row: row["starts_at"], reverse=True)
    rows = latest[:MAX_PRACTICES]
    names = await display_names({str(row["code"]) for row in rows})
    return tuple(
        Practice(
            code=str(row["code"]),
            municipality=names.get(str(row["code"]), str(row["code"])),
            session_title=str(row["session_title"]),
            starts_at=row["starts_at"],
            item=str(row["item"]),
            answer=excerpt(str(row["text"]), 200),
        )
        for row in rows
    )


async def municipalities_to_ask(
    question: QuestionView, practices: tuple[Practice, ...]
) -> tuple[MunicipalityToAsk, ...]:
    by_practice = Counter(practice.code for practice in practices)
    adopted = await _adopted_in_series(question.series_id)
    codes = [code for code, _ in by_practice.most_common()]
    codes += sorted(code for code in adopted if code not in by_practice)
    codes = [code for code in codes if code != question.asker_municipality][:MAX_SUGGESTIONS]
    names = await display_names(codes)
    return tuple(
        MunicipalityToAsk(code, names.get(code, code), by_practice[code], code in adopted)
        for code in codes
    )


async def _adopted_in_series(series_id: int) -> set[str]:
    """Municipalities whose latest registration in the series says the plan is in place."""
    rows = await (
        Registration.select(Registration.municipality, Registration.plan_status)
        .where(
            Registration.exchange_session._.series == series_id,
            Registration.status != R.CANCELLED,
        )
        .order_by(Registration.exchange_session._.starts_at)
    )
    latest = {row["municipality"]: row["plan_status"] for row in rows}
    return {code for code, plan in latest.items() if plan == PlanStatus.ADOPTED}
