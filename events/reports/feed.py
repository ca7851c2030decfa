"""The Atom feed of the report archive (RFC 4287), built with ElementTree: always well-formed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from events.lib.links import absolute
from events.reports.archive import ArchiveItem

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def atom_feed(items: Sequence[ArchiveItem], *, title: str, now: dt.datetime) -> bytes:
    """Entries are reports; a corrected report keeps its id and gets a newer `updated`."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "ja"})
    _text(feed, "id", absolute("/reports"))
    _text(feed, "title", title)
    updated = max((item.published_at for item in items), default=now)
    _text(feed, "updated", _stamp(updated))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": absolute("/reports/feed.atom")})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": absolute("/reports")})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", title)
    for item in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", absolute(f"/reports/{item.report_id}"))
        _text(entry, "title", item.title)
        _text(entry, "updated", _stamp(item.published_at))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": absolute(item.path)})
        _text(entry, "summary", item.lead)
        for tag in item.tags:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": tag})
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
