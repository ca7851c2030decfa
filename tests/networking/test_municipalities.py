"""The municipality directory: every local government, valid codes, regions, search."""

from __future__ import annotations

from collections import Counter

import pytest

from networking.errors import NotFoundError
from networking.municipalities import (
    DirectoryQuery,
    check_digit,
    get_municipality,
    is_valid_code,
    municipalities_by_code,
    read_data_file,
    search_municipalities,
)
from networking.regions import CHUSHIKOKU, Region, area_by_slug, region_of
from networking.search import fold
from networking.tables import Municipality


def test_data_file_holds_every_local_government() -> None:
    records = list(read_data_file())
    kinds = Counter(record.kind for record in records)
    assert len(records) == 1788
    assert kinds == {"都道府県": 47, "政令市": 20, "市": 772, "特別区": 23, "町": 743, "村": 183}
    assert len({record.code for record in records}) == 1788


def test_every_code_carries_its_check_digit() -> None:
    assert all(is_valid_code(record.code) for record in read_data_file())


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("330001", True),
        ("331007", True),
        ("131016", True),
        ("330002", False),
        ("33000", False),
        ("33000１", False),
        ("abcdef", False),
        ("", False),
    ],
)
def test_code_validation(code: str, valid: bool) -> None:
    assert is_valid_code(code) is valid


def test_check_digit_of_remainders_zero_and_one() -> None:
    # 33000: 3*6 + 3*5 = 33, remainder 0 -> 11 -> 1; 01100: 1*5 + 1*4 = 9 -> 2
    assert check_digit("33000") == 1
    assert check_digit("01100") == 2


def test_region_of_okayama_prefecture_is_chugoku() -> None:
    assert region_of("330001") == Region.CHUGOKU.value
    assert region_of("330001").name == "中国"


def test_chushikoku_is_chugoku_and_shikoku() -> None:
    assert CHUSHIKOKU.prefecture_codes == frozenset(
        {"31", "32", "33", "34", "35", "36", "37", "38", "39"}
    )
    assert CHUSHIKOKU.contains("392014")  # 高知市
    assert not CHUSHIKOKU.contains("271004")  # 大阪市


def test_every_prefecture_is_in_exactly_one_region() -> None:
    owners = Counter(code for region in Region for code in region.value.prefecture_codes)
    assert sorted(owners) == [f"{number:02d}" for number in range(1, 48)]
    assert set(owners.values()) == {1}


def test_unknown_area_slug_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        area_by_slug("atlantis")


def test_fold_unifies_kana_width_and_case() -> None:
    assert fold("おかやま") == fold("オカヤマ") == fold("ｵｶﾔﾏ")
    assert fold("そうじゃし") == "ソウジヤシ"
    assert fold("ＡＢＣ １２") == "abc12"


async def test_directory_is_loaded_by_migration() -> None:
    assert await Municipality.count() == 1788
    row = await get_municipality("330001")
    assert (row["name"], row["kind"], row["region"], row["prefecture"]) == (
        "岡山県",
        "都道府県",
        "chugoku",
        "岡山県",
    )


@pytest.mark.parametrize("code", ["330002", "999999", "12345", "33000a"])
async def test_unknown_or_malformed_code_is_not_found(code: str) -> None:
    with pytest.raises(NotFoundError) as raised:
        await get_municipality(code)
    assert raised.value.problems[0].params == {"code": code}


async def test_search_by_hiragana_reading() -> None:
    rows, total = await search_municipalities(DirectoryQuery(text="おかやま"))
    assert [row["code"] for row in rows] == ["330001", "331007"]
    assert total == 2


async def test_search_by_name_code_and_region() -> None:
    by_name, _ = await search_municipalities(DirectoryQuery(text="高知"))
    assert [row["code"] for row in by_name] == ["390003", "392014"]
    by_code, _ = await search_municipalities(DirectoryQuery(text="341002"))
    assert [row["name"] for row in by_code] == ["広島市"]
    _, in_shikoku = await search_municipalities(DirectoryQuery(area=Region.SHIKOKU.value, limit=1))
    assert in_shikoku == 99  # 4 prefectures + 24 + 17 + 20 + 34 municipalities


async def test_search_treats_wildcards_as_text() -> None:
    rows, total = await search_municipalities(DirectoryQuery(text="%"))
    assert (rows, total) == ([], 0)
    rows, total = await search_municipalities(DirectoryQuery(text="_"))
    assert (rows, total) == ([], 0)


async def test_lookup_by_codes_names_the_unknown_one() -> None:
    found = await municipalities_by_code(["330001", "331007"])
    assert sorted(found) == ["330001", "331007"]
    with pytest.raises(NotFoundError) as raised:
        await municipalities_by_code(["330001", "330002"])
    assert raised.value.problems[0].params == {"code": "330002"}


async def test_every_municipality_stores_the_directory_display_name() -> None:
    rows = await Municipality.select(Municipality.code, Municipality.display_name)
    stored = {row["code"]: row["display_name"] for row in rows}
    assert stored == {record.code: record.display_name for record in read_data_file()}
    assert stored["330001"] == "岡山県"
    assert stored["331007"] == "岡山県岡山市"
    assert stored["131016"] == "東京都千代田区"
