"""Report PDFs: tagged for screen readers, refused when Japanese prints as boxes, rendered again;
and markup typed into a report, kept as text in every form the report takes."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import httpx
from pypdf import PdfReader

from events.enums import PdfState
from events.reports.drafts import BlockEdit, generate_report, update_draft
from events.reports.pdf import render_pending
from events.reports.pdf_fonts import notdef_characters
from events.reports.publishing import publish
from events.reports.versions import get_version
from events.tables import ReportVersion
from tests.events.test_cli import run
from tests.factories import held_seed_session
from tests.helpers import signed_in_organizer

ATOM = "{http://www.w3.org/2005/Atom}"
# fontconfig limited to DejaVu: Latin glyphs only, as on a server without a Japanese font.
FONTS_WITHOUT_JAPANESE = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>
"""


async def _published(client: httpx.AsyncClient) -> tuple[int, int]:
    organizer = await signed_in_organizer(client)
    session, _ = await held_seed_session(organizer)
    draft = await generate_report(organizer, session.id)
    await publish(organizer, draft.id)
    return session.id, draft.id


async def test_pdf_is_tagged_pdf_ua_with_its_title_and_japanese_language(
    client: httpx.AsyncClient,
) -> None:
    _, report_id = await _published(client)
    assert await render_pending() == 1
    version = await get_version(report_id, 1)
    assert version.pdf_state == PdfState.READY
    pdf = (await client.get(f"/reports/{report_id}/v1.pdf")).content

    reader = PdfReader(io.BytesIO(pdf))
    catalog: Any = reader.trailer["/Root"]
    assert catalog["/Lang"] == "ja"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None and reader.metadata.title == version.title
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part(="|>)1', xmp)
    assert notdef_characters(pdf) == ""


async def test_without_a_japanese_font_the_pdf_is_refused_and_the_organizer_told_why(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    session_id, report_id = await _published(client)
    config = tmp_path / "fonts.conf"
    config.write_text(FONTS_WITHOUT_JAPANESE.format(cache=tmp_path / "cache"))

    boxed = run("render-pdfs", "--report", str(report_id), env={"FONTCONFIG_FILE": str(config)})

    assert boxed.returncode == 0, boxed.stderr
    assert boxed.stdout == f"report {report_id} v1: missing_font\n"
    log = boxed.stderr.splitlines()
    # One line says why at start, one names the refused version; no font-subsetting chatter.
    assert len(log) == 2, log
    assert "fontconfig finds no Japanese font" in log[0] and "fonts-noto-cjk" in log[0]
    assert f"report {report_id} v1: PDF not kept" in log[1]
    [row] = await ReportVersion.select(ReportVersion.pdf_state, ReportVersion.pdf).where(
        ReportVersion.report == report_id
    )
    assert row == {"pdf_state": PdfState.MISSING_FONT, "pdf": None}
    page = (await client.get(f"/organizer/sessions/{session_id}/report")).text
    assert "サーバーに日本語のフォントがなく" in page
    assert (await client.get(f"/reports/{report_id}/v1.pdf")).status_code == 503

    # Once a font is there, the default run picks up every version without a readable PDF.
    again = run("render-pdfs")
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"report {report_id} v1: ready\n"
    assert again.stderr == ""
    pdf = (await client.get(f"/reports/{report_id}/v1.pdf")).content
    assert notdef_characters(pdf) == ""
    assert "参加自治体" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_render_pdfs_refuses_both_options_at_once() -> None:
    result = run("render-pdfs", "--report", "1", "--all")
    assert result.returncode == 2
    assert "give --report N or --all, not both" in result.stderr


async def test_markup_typed_into_a_report_stays_text_in_page_pdf_markdown_and_feed(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session, _ = await held_seed_session(organizer)
    draft = await generate_report(organizer, session.id)
    markup = '<b onclick="x()">太字</b> & <script>alert(1)</script>'
    await update_draft(
        organizer,
        draft.id,
        {
            "lead": BlockEdit(body=f"リード {markup}"),
            "background": BlockEdit(body=f"背景 {markup}"),
            "closing": BlockEdit(heading=f"さいごに {markup}", body=f"結び {markup}"),
        },
    )
    await publish(organizer, draft.id)
    await render_pending()

    page = (await client.get(f"/reports/{draft.id}/v1")).text
    assert "<script>alert" not in page and "<b onclick" not in page
    assert "背景 &lt;b onclick=&#34;x()&#34;&gt;太字&lt;/b&gt; &amp; &lt;script&gt;" in page
    markdown = (await client.get(f"/reports/{draft.id}/v1.md")).text
    assert '背景 \\<b onclick="x()"\\>太字\\</b\\> & \\<script\\>alert(1)\\</script\\>' in markdown
    assert "## さいごに \\<b onclick" in markdown
    feed = (await client.get("/reports/feed.atom")).content
    # The feed is XML: parsed back, the summary is the text as typed, not elements.
    summary = ET.fromstring(feed).find(f"{ATOM}entry/{ATOM}summary")  # noqa: S314 (our own feed)
    assert summary is not None and summary.text == f"リード {markup}"
    assert list(summary) == []
    pdf = (await client.get(f"/reports/{draft.id}/v1.pdf")).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "<script>alert(1)</script>" in text.replace("\n", "")
