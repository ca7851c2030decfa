"""JSON shapes of the notes and reports API, written by hand."""

from __future__ import annotations

import datetime as dt

import msgspec
from msgspec import Struct

from events.reports.archive import ArchiveItem, ArchivePage
from events.reports.blocks import Block
from events.reports.drafts import ReportDraft
from events.reports.notes import Note


class NotesBody(Struct, forbid_unknown_fields=True):
    """`topic` is a discussion's agenda id or its title; null (or "") records the key takeaways."""

    text: str
    topic: int | str | None = None
    group: int | None = None


class NoteOut(Struct):
    topic: int | None
    group: int | None
    text: str
    updated_at: dt.datetime


def note_out(note: Note) -> NoteOut:
    return NoteOut(note.segment_id, note.group_number or None, note.text, note.updated_at)


class BlockOut(Struct):
    key: str
    kind: str
    heading: str
    body: str


class ReportDraftOut(Struct):
    id: int
    session: int
    state: str
    latest_version: int
    tags: list[str]
    blocks: list[BlockOut]
    updated_at: dt.datetime


def _block_out(block: Block) -> BlockOut:
    return BlockOut(block.key, block.kind, block.heading, block.body)


def draft_out(draft: ReportDraft) -> ReportDraftOut:
    return ReportDraftOut(
        id=draft.id,
        session=draft.session_id,
        state=draft.state,
        latest_version=draft.latest_version,
        tags=list(draft.tags),
        blocks=[_block_out(block) for block in draft.blocks],
        updated_at=draft.updated_at,
    )


class BlockEditBody(Struct, forbid_unknown_fields=True):
    heading: str | None = None
    body: str | None = None


class DraftUpdateBody(Struct, forbid_unknown_fields=True):
    """Blocks by key (only those given change) and, when given, the full list of tags."""

    blocks: dict[str, BlockEditBody] = msgspec.field(default_factory=dict)
    tags: list[str] | None = None


class FactCheckOut(Struct):
    mailed: list[str]
    without_contact: list[str]


class PublishedOut(Struct):
    report: int
    version: int
    url: str


class ReportItemOut(Struct):
    report: int
    version: int
    title: str
    url: str
    starts_at: dt.datetime
    fiscal_year: int
    region: str
    series: int
    series_title: str
    tags: list[str]
    municipalities: str
    lead: str
    published_at: dt.datetime


class ReportListOut(Struct):
    items: list[ReportItemOut]
    total: int
    page: int
    per_page: int
    pages: int


def _item_out(item: ArchiveItem, base_url: str) -> ReportItemOut:
    return ReportItemOut(
        report=item.report_id,
        version=item.version,
        title=item.title,
        url=base_url + item.path,
        starts_at=item.starts_at,
        fiscal_year=item.fiscal_year,
        region=item.region,
        series=item.series_id,
        series_title=item.series_title,
        tags=list(item.tags),
        municipalities=item.municipality_names,
        lead=item.lead,
        published_at=item.published_at,
    )


def list_out(page: ArchivePage, base_url: str) -> ReportListOut:
    return ReportListOut(
        items=[_item_out(item, base_url) for item in page.items],
        total=page.total,
        page=page.query.page,
        per_page=page.query.per_page,
        pages=page.pages,
    )
