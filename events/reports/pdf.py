"""Report PDFs with embedded Japanese fonts, rendered by the worker (WeasyPrint blocks and is slow).

A published version starts with pdf_state "pending"; the worker renders it from the same
template as the printable page and stores the bytes with the version. The PDF is tagged
(PDF/UA-1: structure, title, language ja) for screen readers, and is kept only when every
character has a glyph (events.reports.pdf_fonts).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from events.enums import PdfState
from events.lib.database import write_transaction
from events.lib.i18n import DEFAULT_LOCALE, use_locale
from events.reports.blocks import rendered
from events.reports.pdf_fonts import notdef_characters
from events.reports.versions import VersionView, get_version
from events.tables import ReportVersion
from events.templating import render

log = logging.getLogger(__name__)

PDF_BATCH = 5
PDF_STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "report-pdf.css"
# One rendering at a time: WeasyPrint is CPU-bound and not meant to run concurrently.
_rendering = asyncio.Lock()


def pdf_html(version: VersionView) -> str:
    with use_locale(DEFAULT_LOCALE):
        return render("reports/pdf.html.jinja2", version=version, blocks=rendered(version.blocks))


def html_to_pdf(html: str) -> bytes:
    # Imported here: loading Pango is slow, and only the worker renders PDFs.
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]

    pdf: bytes = HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=str(PDF_STYLESHEET))], pdf_variant="pdf/ua-1"
    )
    return pdf


async def render_version(report_id: int, number: int) -> PdfState:
    """Render one version's PDF again and store it with the state it ended in."""
    version = await get_version(report_id, number)
    values: dict[Any, Any] = {ReportVersion.pdf_state: PdfState.FAILED}
    try:
        async with _rendering:
            pdf = await asyncio.to_thread(html_to_pdf, pdf_html(version))
    except Exception:  # one broken report must not stop the others; it is logged
        log.exception("report %s v%s: PDF rendering failed", report_id, number)
    else:
        missing = notdef_characters(pdf)
        if missing:
            log.error(
                "report %s v%s: PDF not kept, %d characters have no glyph (for example %s): "
                "no Japanese font",
                report_id,
                number,
                len(missing),
                missing[:10],
            )
            values = {ReportVersion.pdf_state: PdfState.MISSING_FONT, ReportVersion.pdf: None}
        else:
            values = {ReportVersion.pdf_state: PdfState.READY, ReportVersion.pdf: pdf}
    async with write_transaction(public=False):
        await ReportVersion.update(values).where(
            (ReportVersion.report == report_id) & (ReportVersion.number == number)
        )
    return PdfState(values[ReportVersion.pdf_state])


async def versions_to_render(
    *, report_id: int | None = None, every: bool = False
) -> list[tuple[int, int]]:
    """(report, number) of the versions without a readable PDF, of one report, or all."""
    query = ReportVersion.select(ReportVersion.report, ReportVersion.number).order_by(
        ReportVersion.id
    )
    if report_id is not None:
        query = query.where(ReportVersion.report == report_id)
    elif not every:
        query = query.where(ReportVersion.pdf_state != PdfState.READY)
    return [(row["report"], row["number"]) for row in await query]


async def render_pending(limit: int = PDF_BATCH) -> int:
    """Render the PDFs still pending; returns how many were attempted."""
    rows = await (
        ReportVersion.select(ReportVersion.report, ReportVersion.number)
        .where(ReportVersion.pdf_state == PdfState.PENDING)
        .order_by(ReportVersion.id)
        .limit(limit)
    )
    for row in rows:
        await render_version(row["report"], row["number"])
    return len(rows)
