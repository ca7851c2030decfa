"""The eight regions of Japan and the areas sessions are held for, by prefecture code."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from networking.errors import N_, NotFoundError


@dataclass(frozen=True)
class Area:
    """A region, or a union of regions such as 中四国 (中国 + 四国), or the whole country."""

    slug: str
    name: str
    english_name: str
    prefecture_codes: frozenset[str]

    def contains(self, municipality_code: str) -> bool:
        return municipality_code[:2] in self.prefecture_codes


def _codes(first: int, last: int) -> frozenset[str]:
    return frozenset(f"{number:02d}" for number in range(first, last + 1))


class Region(enum.Enum):
    """The eight regions (地方区分); every prefecture belongs to exactly one."""

    HOKKAIDO = Area("hokkaido", "北海道", "Hokkaido", _codes(1, 1))
    TOHOKU = Area("tohoku", "東北", "Tohoku", _codes(2, 7))
    KANTO = Area("kanto", "関東", "Kanto", _codes(8, 14))
    CHUBU = Area("chubu", "中部", "Chubu", _codes(15, 23))
    KINKI = Area("kinki", "近畿", "Kinki", _codes(24, 30))
    CHUGOKU = Area("chugoku", "中国", "Chugoku", _codes(31, 35))
    SHIKOKU = Area("shikoku", "四国", "Shikoku", _codes(36, 39))
    KYUSHU_OKINAWA = Area("kyushu-okinawa", "九州・沖縄", "Kyushu-Okinawa", _codes(40, 47))


CHUSHIKOKU = Area(
    "chushikoku",
    "中四国",
    "Chugoku-Shikoku",
    Region.CHUGOKU.value.prefecture_codes | Region.SHIKOKU.value.prefecture_codes,
)
NATIONWIDE = Area("nationwide", "全国", "Nationwide", _codes(1, 47))

AREAS: tuple[Area, ...] = (
    *(region.value for region in Region),
    CHUSHIKOKU,
    NATIONWIDE,
)
_AREAS_BY_SLUG = {area.slug: area for area in AREAS}


def region_of(municipality_code: str) -> Area:
    """The region a local government belongs to (by the prefecture part of its code)."""
    prefecture = municipality_code[:2]
    for region in Region:
        if prefecture in region.value.prefecture_codes:
            return region.value
    raise NotFoundError(N_("地域が見つかりません。"), field="code")


def area_by_slug(slug: str) -> Area:
    try:
        return _AREAS_BY_SLUG[slug]
    except KeyError:
        raise NotFoundError(N_("地域が見つかりません。"), field="region") from None
