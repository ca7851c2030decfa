"""Tables of the lower layer: the municipality directory and the encounters between them."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Municipality(Table, tablename="municipality"):
    """A local government (都道府県 or 市区町村), keyed by its 6-digit code with check digit."""

    code = Varchar(length=6, primary_key=True)
    prefecture_code = Varchar(length=2, index=True)
    prefecture = Varchar(length=8)
    name = Varchar(length=32)
    # The name every page, mail and report shows: unique across Japan (see display_name).
    display_name = Varchar(length=48, default="")
    kana = Varchar(length=64)
    kind = Varchar(length=8)
    region = Varchar(length=16, index=True)
    # Name, kana and code folded for substring search (see networking.search.fold).
    search_key = Text()


class Encounter(Table, tablename="encounter"):
    """Two municipalities that shared a discussion group in a held session: one row per session."""

    id = Serial(primary_key=True)
    # The session of the upper layer as a plain number: this layer knows no sessions.
    session_id = Integer()
    met_at = Timestamptz()
    # The pair in code order, so that each pair has one spelling.
    municipality_a = ForeignKey(
        references=Municipality, null=False, on_delete=OnDelete.restrict, index=True
    )
    municipality_b = ForeignKey(
        references=Municipality, null=False, on_delete=OnDelete.restrict, index=True
    )
    # Where they met, e.g. "人事部門との連携 – グループA", as the attendees were told.
    group_label = Varchar(length=300, default="")
