"""Report drafts: generated from a held session, then edited block by block by the organizer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.enums import ReportState, SessionStatus
from events.lib.clock import utcnow
from events.lib.database import lock_row, write_transaction
from events.lib.errors import ConflictError, NotFoundError, Problems
from events.lib.i18n import N_
from events.reports.blocks import MAX_BODY, MAX_HEADING, Block, dumps, loads
from events.reports.facts import load_facts
from events.reports.generation import generate, participants_block
from events.reports.survey_block import survey_block
from events.reports.voices_block import voices_block
from events.sessions.exchange_sessions import get_session, locked_session
from events.sessions.series import actor, require_owner
from events.tables import Report

REPORTABLE = frozenset({SessionStatus.HELD, SessionStatus.REPORTED})
MAX_TAGS = 10
MAX_TAG = 30


@dataclass(frozen=True)
class ReportDraft:
    id: int
    session_id: int
    owner_id: int
    state: str
    blocks: tuple[Block, ...]
    tags: tuple[str, ...]
    latest_version: int
    updated_at: dt.datetime

    def block(self, key: str) -> Block | None:
        return next((block for block in self.blocks if block.key == key), None)


def tags_column(tags: Sequence[str]) -> str:
    return "|" + "|".join(tags) + "|" if tags else ""


def tags_of(column: str) -> tuple[str, ...]:
    return tuple(tag for tag in column.split("|") if tag)


def checked_tags(tags: Sequence[str], problems: Problems) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(" ".join(tag.split()) for tag in tags if tag.strip()))
    if len(cleaned) > MAX_TAGS:
        problems.add("tags", N_("タグは%(max)d個までです。"), max=MAX_TAGS)
    if any(len(tag) > MAX_TAG or "|" in tag for tag in cleaned):
        problems.add(
            "tags", N_("タグは1つ%(max)d文字以内で、「|」を含めないでください。"), max=MAX_TAG
        )
    return cleaned


def _draft(row: dict[str, Any], owner_id: int) -> ReportDraft:
    return ReportDraft(
        id=row["id"],
        session_id=row["exchange_session"],
        owner_id=owner_id,
        state=row["state"],
        blocks=loads(row["blocks"]),
        tags=tags_of(row["tags"]),
        latest_version=row["latest_version"],
        updated_at=row["updated_at"],
    )


_COLUMNS = (*Report.all_columns(), Report.exchange_session._.series._.owner.as_alias("owner_id"))


async def get_report(report_id: int) -> ReportDraft:
    row = await Report.select(*_COLUMNS).where(Report.id == report_id).first()
    if row is None:
        raise NotFoundError(N_("レポートが見つかりません。"), field="report")
    return _draft(row, row["owner_id"])


async def report_of_session(session_id: int) -> ReportDraft | None:
    row = await Report.select(*_COLUMNS).where(Report.exchange_session == session_id).first()
    return None if row is None else _draft(row, row["owner_id"])


async def _required(found: Awaitable[ReportDraft | None]) -> ReportDraft:
    draft = await found
    if draft is None:
        raise NotFoundError(N_("レポートが見つかりません。"), field="report")
    return draft


async def report_for_editing(organizer: OrganizerIdentity, report_id: int) -> ReportDraft:
    draft = await get_report(report_id)
    require_owner(organizer, draft.owner_id)
    return draft


async def generate_report(
    organizer: OrganizerIdentity, session_id: int, *, now: dt.datetime | None = None
) -> ReportDraft:
    """(Re)generate the draft from the session's records; refused before the session is held."""
    now = now or utcnow()
    session = await get_session(session_id)
    require_owner(organizer, session.owner_id)
    if session.status not in REPORTABLE:
        raise ConflictError(
            N_("レポートを作成できるのは開催済みの情報交換会だけです。"), field="status"
        )
    blocks = generate(
        await load_facts(session),
        survey=await survey_block(session.id),
        voices=await voices_block(session.id),
    )
    async with write_transaction(public=False):
        await locked_session(session_id)
        existing = await report_of_session(session_id)
        if existing is None:
            await Report.insert(
                Report(
                    exchange_session=session_id,
                    blocks=dumps(blocks),
                    state=ReportState.DRAFT,
                    created_at=now,
                    updated_at=now,
                )
            )
        else:
            await Report.update(
                {
                    Report.blocks: dumps(blocks),
                    Report.updated_at: now,
                    Report.state: ReportState.DRAFT,
                }
            ).where(Report.id == existing.id)
        await trail.record(
            actor(organizer),
            "report_generated",
            session_id=session_id,
            details={"blocks": [block.key for block in blocks]},
        )
    return await _required(report_of_session(session_id))


@dataclass(frozen=True)
class BlockEdit:
    heading: str | None = None
    body: str | None = None
    # An optional block (the survey results) turned on or off; None leaves it as it is.
    shown: bool | None = None


def _apply_edits(draft: ReportDraft, edits: Mapping[str, BlockEdit]) -> tuple[Block, ...]:
    problems = Problems()
    known = {block.key for block in draft.blocks}
    for key in edits:
        if key not in known:
            problems.add(
                f"blocks.{key}",
                N_("レポートに「%(key)s」というブロックはありません。"),
                key=key[:60],
            )
    for key, edit in edits.items():
        if edit.heading is not None and len(edit.heading.strip()) > MAX_HEADING:
            problems.add(
                f"blocks.{key}.heading",
                N_("見出しは%(max)d文字以内にしてください。"),
                max=MAX_HEADING,
            )
        if edit.body is not None and len(edit.body) > MAX_BODY:
            problems.add(
                f"blocks.{key}.body", N_("本文は%(max)d文字以内にしてください。"), max=MAX_BODY
            )
    problems.raise_if_any()
    return tuple(_edited(block, edits.get(block.key)) for block in draft.blocks)


def _edited(block: Block, edit: BlockEdit | None) -> Block:
    if edit is None:
        return block
    return replace(
        block,
        heading=block.heading if edit.heading is None else edit.heading.strip(),
        # Leading spaces matter (list items); blank lines around the text do not.
        body=block.body if edit.body is None else edit.body.strip("\r\n").rstrip(),
        shown=block.shown if edit.shown is None else edit.shown,
    )


async def update_draft(
    organizer: OrganizerIdentity,
    report_id: int,
    edits: Mapping[str, BlockEdit],
    *,
    tags: Sequence[str] | None = None,
    now: dt.datetime | None = None,
) -> ReportDraft:
    """Change the given blocks (and the tags); other blocks stay as they are."""
    now = now or utcnow()
    async with write_transaction(public=False):
        if not await lock_row(Report, report_id):
            raise NotFoundError(N_("レポートが見つかりません。"), field="report")
        draft = await report_for_editing(organizer, report_id)
        blocks = _apply_edits(draft, edits)
        problems = Problems()
        new_tags = draft.tags if tags is None else checked_tags(tags, problems)
        problems.raise_if_any()
        await Report.update(
            {
                Report.blocks: dumps(blocks),
                Report.tags: tags_column(new_tags),
                Report.updated_at: now,
            }
        ).where(Report.id == report_id)
        changed = [
            key for key in edits if draft.block(key) != next(b for b in blocks if b.key == key)
        ]
        await trail.record(
            actor(organizer),
            "report_edited",
            session_id=draft.session_id,
            details={"blocks": changed, "tags": list(new_tags)},
        )
    return await get_report(report_id)


async def reorder_participants(
    organizer: OrganizerIdentity, report_id: int, *, now: dt.datetime | None = None
) -> bool:
    """Write the 参加自治体 block again in the session's current order (set on the invitations
    page), leaving every other block as edited; its heading stays as the organizer wrote it.
    Returns whether the text changed."""
    now = now or utcnow()
    async with write_transaction(public=False):
        if not await lock_row(Report, report_id):
            raise NotFoundError(N_("レポートが見つかりません。"), field="report")
        draft = await report_for_editing(organizer, report_id)
        fresh = participants_block(await load_facts(await get_session(draft.session_id)))
        blocks = tuple(
            replace(block, body=fresh.body) if block.key == fresh.key else block
            for block in draft.blocks
        )
        if blocks == draft.blocks:
            return False
        await Report.update({Report.blocks: dumps(blocks), Report.updated_at: now}).where(
            Report.id == report_id
        )
        await trail.record(
            actor(organizer),
            "report_edited",
            session_id=draft.session_id,
            details={"blocks": [fresh.key], "tags": list(draft.tags)},
        )
    return True
