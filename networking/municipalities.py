"""The municipality directory: codes with check digits, the shipped data file, and lookups."""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from piccolo.custom_types import Combinable

from networking.errors import N_, NotFoundError
from networking.regions import Area, region_of
from networking.search import MAX_QUERY_LENGTH, contains, fold
from networking.tables import Municipality

DATA_FILE = Path(__file__).parent / "data" / "municipalities.csv"
KINDS = ("都道府県", "政令市", "市", "特別区", "町", "村")
_CHECK_WEIGHTS = (6, 5, 4, 3, 2)


def check_digit(first_five: str) -> int:
    """JIS X 0402 check digit: weights 6..2, modulus 11, last digit of 11 minus the remainder."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_five, _CHECK_WEIGHTS, strict=True)
    )
    return (11 - total % 11) % 10


def is_valid_code(code: str) -> bool:
    """True for six ASCII digits whose last one is the check digit of the first five."""
    return (
        len(code) == 6
        and code.isascii()
        and code.isdigit()
        and check_digit(code[:5]) == int(code[5])
    )


# The kinds the directory uses, marked for the catalog: pages show them through gettext.
KINDS = (N_("都道府県"), N_("政令市"), N_("市"), N_("特別区"), N_("町"), N_("村"))


def display_name(name: str, prefecture: str, kind: str) -> str:
    """Name that tells 府中市 (東京都) from 府中市 (広島県): prefectures stand alone."""
    return name if kind == "都道府県" else f"{prefecture}{name}"


@dataclass(frozen=True)
class MunicipalityRecord:
    code: str
    prefecture: str
    name: str
    kana: str
    kind: str

    @property
    def display_name(self) -> str:
        return display_name(self.name, self.prefecture, self.kind)

    def as_row(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "prefecture_code": self.code[:2],
            "prefecture": self.prefecture,
            "name": self.name,
            "display_name": self.display_name,
            "kana": self.kana,
            "kind": self.kind,
            "region": region_of(self.code).slug,
            "search_key": fold(f"{self.name} {self.kana} {self.code}"),
        }


def read_data_file(path: Path = DATA_FILE) -> Iterator[MunicipalityRecord]:
    with path.open(encoding="utf-8", newline="") as source:
        for row in csv.DictReader(source):
            yield MunicipalityRecord(**row)


def _require_valid(code: str) -> None:
    if not is_valid_code(code):
        raise NotFoundError(
            N_("団体コード %(code)s の自治体はありません。"), field="code", params={"code": code}
        )


async def get_municipality(code: str) -> dict[str, Any]:
    """The directory row for `code`; NotFoundError for a malformed or unknown code."""
    _require_valid(code)
    row = await Municipality.select().where(Municipality.code == code).first()
    if row is None:
        raise NotFoundError(
            N_("団体コード %(code)s の自治体はありません。"), field="code", params={"code": code}
        )
    return row


async def municipalities_by_code(codes: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Rows for each of `codes`; NotFoundError naming the first code that is unknown."""
    for code in codes:
        _require_valid(code)
    rows = await Municipality.select().where(Municipality.code.is_in(list(codes))) if codes else []
    found = {row["code"]: row for row in rows}
    for code in codes:
        if code not in found:
            raise NotFoundError(
                N_("団体コード %(code)s の自治体はありません。"),
                field="codes",
                params={"code": code},
            )
    return found


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    area: Area | None = None
    prefecture_code: str | None = None
    limit: int = 100
    offset: int = 0


async def search_municipalities(query: DirectoryQuery) -> tuple[list[dict[str, Any]], int]:
    """Rows matching name, kana or code, in code order, and the total count before paging."""
    conditions: list[Combinable] = []
    needle = fold(query.text[:MAX_QUERY_LENGTH])
    if needle:
        conditions.append(contains(Municipality.search_key, needle))
    if query.area is not None:
        conditions.append(Municipality.prefecture_code.is_in(sorted(query.area.prefecture_codes)))
    if query.prefecture_code:
        conditions.append(Municipality.prefecture_code == query.prefecture_code)
    select = Municipality.select().where(*conditions).order_by(Municipality.code)
    count = await Municipality.count().where(*conditions)
    rows = await select.limit(query.limit).offset(query.offset)
    return rows, count


async def codes_in_area(area: Area) -> list[str]:
    rows = await (
        Municipality.select(Municipality.code)
        .where(Municipality.prefecture_code.is_in(sorted(area.prefecture_codes)))
        .order_by(Municipality.code)
    )
    return [row["code"] for row in rows]


@cache
def prefectures() -> tuple[tuple[str, str], ...]:
    """(prefecture code, name) for the 47 prefectures, in code order."""
    return tuple(
        (record.code[:2], record.name) for record in read_data_file() if record.kind == "都道府県"
    )


async def display_names(codes: Collection[str]) -> dict[str, str]:
    """Code -> a name that is unique across Japan, for the given codes that exist."""
    if not codes:
        return {}
    rows = await Municipality.select(
        Municipality.code, Municipality.name, Municipality.prefecture, Municipality.kind
    ).where(Municipality.code.is_in(sorted(codes)))
    return {row["code"]: display_name(row["name"], row["prefecture"], row["kind"]) for row in rows}
