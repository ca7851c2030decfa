"""Naming a municipality in the sharing synthesis only with its coordinator's consent, and what
a consent changed after publishing does to the published versions."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from events.enums import BlockKind
from events.lib.errors import ConflictError
from events.registrations.coordinator_consent import change_report_consent
from events.reports.blocks import Block
from events.reports.drafts import BlockEdit, generate_report, update_draft
from events.reports.publishing import publish
from events.reports.versions import get_version
from events.tables import AuditEntry
from tests.factories import held_seed_session, make_organizer

NAMED = "- 岡山県では、330001の研修はオンラインと集合のハイブリッドです。"
ANONYMOUS = "- 330001の研修はオンラインと集合のハイブリッドです。"


def sharing_of(blocks: Sequence[Block]) -> str:
    return next(block.body for block in blocks if block.kind == BlockKind.SHARING)


async def test_a_practice_is_named_only_after_its_coordinator_consented() -> None:
    organizer = await make_organizer()
    session, accesses = await held_seed_session(organizer)
    before = await generate_report(organizer, session.id)
    assert ANONYMOUS in sharing_of(before.blocks)
    assert "岡山県では" not in sharing_of(before.blocks)

    assert await change_report_consent(accesses["330001"], True)
    # Another municipality's consent names nobody: it shared no practice.
    assert await change_report_consent(accesses["331007"], True)
    after = await generate_report(organizer, session.id)
    assert NAMED in sharing_of(after.blocks)
    assert "岡山市では" not in sharing_of(after.blocks)


async def test_saying_the_same_consent_again_changes_and_records_nothing() -> None:
    organizer = await make_organizer()
    _, accesses = await held_seed_session(organizer)
    assert not await change_report_consent(accesses["330001"], False)
    assert await change_report_consent(accesses["330001"], True)
    assert not await change_report_consent(accesses["330001"], True)
    entries = await AuditEntry.select(AuditEntry.actor, AuditEntry.details).where(
        AuditEntry.action == "report_consent_changed"
    )
    assert entries == [
        {
            "actor": "coordinator:330001",
            "details": '{"municipality": "330001", "report_consent": true}',
        }
    ]


async def test_withdrawn_consent_leaves_the_published_version_as_it_was_and_it_says_so() -> None:
    organizer = await make_organizer()
    session, accesses = await held_seed_session(organizer)
    await change_report_consent(accesses["330001"], True)
    draft = await generate_report(organizer, session.id)
    await publish(organizer, draft.id)
    first = await get_version(draft.id, 1)
    assert NAMED in sharing_of(first.blocks)
    assert not first.consent_changed_since

    await change_report_consent(accesses["330001"], False)
    first_after = await get_version(draft.id, 1)
    assert first_after.blocks == first.blocks
    assert first_after.consent_changed_since
    assert not first_after.consent_reflected_in_latest

    # The draft made before the withdrawal still names 岡山県: publishing it, even with another
    # correction, is refused.
    await update_draft(organizer, draft.id, {"closing": BlockEdit(body="訂正しました。")})
    with pytest.raises(ConflictError) as refused:
        await publish(organizer, draft.id)
    assert str(refused.value).startswith("岡山県は、自治体名を記した掲載に同意していません。")
    assert (await get_version(draft.id, 1)).latest == 1

    regenerated = await generate_report(organizer, session.id)
    assert ANONYMOUS in sharing_of(regenerated.blocks)
    assert "岡山県では" not in sharing_of(regenerated.blocks)
    second = await publish(organizer, draft.id)
    assert second.number == 2
    assert not (await get_version(draft.id, 2)).consent_changed_since
    old = await get_version(draft.id, 1)
    assert old.blocks == first.blocks
    assert (old.consent_changed_since, old.consent_reflected_in_latest) == (True, True)
