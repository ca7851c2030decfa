"""Report PDFs with embedded Japanese fonts, rendered by the worker (WeasyPrint blocks and is slow).

A published version starts with pdf_state "pending"; the worker renders it from the same
template as the printable page and stores the bytes with the version.
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

    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PDF_STYLESHEET))])
    return pdf


async def render_pending(limit: int = PDF_BATCH) -> int:
    """Render the PDFs still pending; returns how many were attempted."""
    rows = await (
        ReportVersion.select(ReportVersion.id, ReportVersion.report, ReportVersion.number)
        .where(ReportVersion.pdf_state == PdfState.PENDING)
        .order_by(ReportVersion.id)
        .limit(limit)
    )
    for row in rows:
        version = await get_version(row["report"], row["number"])
        try:
            async with _rendering:
                pdf = await asyncio.to_thread(html_to_pdf, pdf_html(version))
        except Exception:  # one broken report must not stop the others; it is logged
            log.exception("report %s v%s: PDF rendering failed", row["report"], row["number"])
            values: dict[Any, Any] = {ReportVersion.pdf_state: PdfState.FAILED}
        else:
            values = {ReportVersion.pdf_state: PdfState.READY, ReportVersion.pdf: pdf}
        async with write_transaction(public=False):
            await ReportVersion.update(values).where(ReportVersion.id == row["id"])
    return len(rows)
