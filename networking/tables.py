"""Tables of the lower layer: the municipality directory."""

from __future__ import annotations

from piccolo.columns import Text, Varchar
from piccolo.table import Table


class Municipality(Table, tablename="municipality"):
    """A local government (都道府県 or 市区町村), keyed by its 6-digit code with check digit."""

    code = Varchar(length=6, primary_key=True)
    prefecture_code = Varchar(length=2, index=True)
    prefecture = Varchar(length=8)
    name = Varchar(length=32)
    kana = Varchar(length=64)
    kind = Varchar(length=8)
    region = Varchar(length=16, index=True)
    # Name, kana and code folded for substring search (see networking.search.fold).
    search_key = Text()
