"""The public municipality directory."""

from __future__ import annotations

from litestar import get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events.lib.numbers import parse_int
from events.reports.archive import reports_of_municipality
from events.web.page_cache import PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT
from networking.municipalities import (
    DirectoryQuery,
    get_municipality,
    prefectures,
    search_municipalities,
)
from networking.regions import AREAS, NATIONWIDE, area_by_slug

PAGE_SIZE = 100
# Far beyond the last page of the whole directory; keeps the offset a small number.
MAX_PAGE = 1_000


@get(
    "/municipalities",
    name="municipalities",
    include_in_schema=False,
    opt=PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT,
)
async def municipality_list(
    q: FromQuery[str] = "",
    region: FromQuery[str] = "",
    prefecture: FromQuery[str] = "",
    page: FromQuery[str] = "",
) -> Template:
    area = area_by_slug(region) if region else None
    # A page number as typed: anything that is not one shows the first page.
    number = min(max(parse_int(page) or 1, 1), MAX_PAGE)
    rows, total = await search_municipalities(
        DirectoryQuery(
            text=q,
            area=area,
            prefecture_code=prefecture if prefecture in dict(prefectures()) else None,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
    )
    return Template(
        "public/municipalities/list.html.jinja2",
        context={
            "rows": rows,
            "total": total,
            "q": q,
            "region": region,
            "prefecture": prefecture,
            "areas": AREAS,
            "prefectures": prefectures(),
            "page": number,
            "pages": max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        },
    )


@get(
    "/municipalities/{code:str}",
    name="municipality",
    include_in_schema=False,
    opt=PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT,
)
async def municipality_detail(code: FromPath[str]) -> Template:
    row = await get_municipality(code)
    return Template(
        "public/municipalities/detail.html.jinja2",
        context={
            "municipality": row,
            # Its region and any union of regions it belongs to (中国 and 中四国).
            "areas": [a for a in AREAS if a.contains(row["code"]) and a != NATIONWIDE],
            "reports": await reports_of_municipality(row["code"]),
        },
    )


ROUTES = [municipality_list, municipality_detail]
