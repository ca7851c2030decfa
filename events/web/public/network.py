"""Public network pages: a municipality's connections, a region's picture of who met."""

from __future__ import annotations

from litestar import get
from litestar.params import FromPath
from litestar.response import Template

from events.network.municipality import municipality_network
from events.network.region import region_network
from events.web.page_cache import PUBLIC_PAGE_OPT


@get(
    "/municipalities/{code:str}/network",
    name="municipality_network",
    include_in_schema=False,
    opt=PUBLIC_PAGE_OPT,
)
async def municipality_page(code: FromPath[str]) -> Template:
    network = await municipality_network(code)
    return Template("public/municipalities/network.html.jinja2", context={"network": network})


@get(
    "/regions/{slug:str}/network",
    name="region_network",
    include_in_schema=False,
    opt=PUBLIC_PAGE_OPT,
)
async def region_page(slug: FromPath[str]) -> Template:
    network = await region_network(slug)
    return Template("public/regions/network.html.jinja2", context={"network": network})


ROUTES = [municipality_page, region_page]
