"""Status changes a session allows: draft → published → closed → held → reported, or cancelled."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from events.enums import SessionStatus as S
from events.lib.errors import ConflictError
from events.lib.i18n import N_


class Transition(enum.StrEnum):
    PUBLISH = "publish"
    CLOSE_REGISTRATION = "close_registration"
    MARK_HELD = "mark_held"
    MARK_REPORTED = "mark_reported"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[S]
    target: S
    refusal: str


RULES = {
    Transition.PUBLISH: Rule(
        frozenset({S.DRAFT}), S.PUBLISHED, N_("公開できるのは下書きの情報交換会だけです。")
    ),
    Transition.CLOSE_REGISTRATION: Rule(
        frozenset({S.PUBLISHED}), S.CLOSED, N_("受付を締め切れるのは受付中の情報交換会だけです。")
    ),
    Transition.MARK_HELD: Rule(
        frozenset({S.PUBLISHED, S.CLOSED}),
        S.HELD,
        N_("開催済みにできるのは公開中または受付終了の情報交換会だけです。"),
    ),
    Transition.MARK_REPORTED: Rule(
        frozenset({S.HELD, S.REPORTED}),
        S.REPORTED,
        N_("レポートを公開できるのは開催済みの情報交換会だけです。"),
    ),
    Transition.CANCEL: Rule(
        frozenset({S.DRAFT, S.PUBLISHED, S.CLOSED}),
        S.CANCELLED,
        N_("開催済み・中止済みの情報交換会は中止できません。"),
    ),
}

# States in which the session's own fields (time, link, agenda...) may still change.
EDITABLE = frozenset({S.DRAFT, S.PUBLISHED, S.CLOSED})


def next_status(current: str, transition: Transition) -> S:
    """The status after `transition`, or ConflictError when the current status forbids it."""
    rule = RULES[transition]
    if S(current) not in rule.sources:
        raise ConflictError(rule.refusal, field="status", params={"status": current})
    return rule.target


def allowed(current: str) -> list[Transition]:
    """The transitions the current status permits, in the order of the life cycle."""
    return [transition for transition, rule in RULES.items() if S(current) in rule.sources]


def require_editable(current: str) -> None:
    if S(current) not in EDITABLE:
        raise ConflictError(N_("開催済み・中止済みの情報交換会は編集できません。"), field="status")
