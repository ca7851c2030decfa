"""Agenda entries named as API clients name them, by id or by text, turned into ids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from events.lib.errors import Problems
from events.lib.i18n import N_
from events.sessions.exchange_sessions import ExchangeSessionView


def sharing_answers(
    session: ExchangeSessionView, answers: Mapping[str, str], problems: Problems
) -> dict[int, str]:
    """Answers keyed by sharing item id; a key may be the item's id or its text."""
    by_key: dict[str, int] = {}
    for item_id, text in reversed(session.sharing_items):  # the first item wins a shared text
        by_key[text] = item_id
    by_key |= {str(item_id): item_id for item_id, _ in session.sharing_items}
    resolved: dict[int, str] = {}
    for key, answer in answers.items():
        found = by_key.get(key.strip())
        if found is None:
            problems.add(
                f"sharing_answers[{key}]",
                N_("共有項目「%(key)s」はこの情報交換会にありません。"),
                key=key,
            )
        elif found in resolved:
            problems.add(
                f"sharing_answers[{key}]",
                N_("共有項目「%(key)s」への回答が2つあります。"),
                key=key,
            )
        else:
            resolved[found] = answer
    return resolved


def topic_ids(
    session: ExchangeSessionView, refs: Sequence[int | str], field: str, problems: Problems
) -> tuple[int, ...]:
    """Discussion topic ids in the order given; a topic is named by its id or its title."""
    by_key: dict[int | str, int] = {}
    for segment in reversed(session.discussions):
        if segment.id is not None:
            by_key[segment.title] = segment.id
    for segment in session.discussions:
        if segment.id is not None:
            by_key[segment.id] = by_key[str(segment.id)] = segment.id
    resolved: list[int] = []
    for ref in refs:
        topic = by_key.get(ref.strip() if isinstance(ref, str) else ref)
        if topic is None:
            problems.add(
                field, N_("意見交換テーマ「%(ref)s」はこの情報交換会にありません。"), ref=ref
            )
        else:
            resolved.append(topic)
    return tuple(resolved)
