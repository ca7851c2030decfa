"""Public network pages and API: a municipality's connections, a region's picture of who met."""

from __future__ import annotations

from litestar import get
from litestar.params import FromPath
from litestar.response import Template

from events.municipality_network import municipality_network
from events.network_schemas import MunicipalityNetworkOut, network_out
from events.page_cache import PUBLIC_PAGE_OPT
from events.region_network import region_network


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


@get(
    "/api/municipalities/{code:str}/network",
    operation_id="getMunicipalityNetwork",
    summary="Sessions attended, peers met, practices shared and suggested peers (public)",
    tags=["network"],
)
async def municipality_api(code: FromPath[str]) -> MunicipalityNetworkOut:
    return network_out(await municipality_network(code))


ROUTES = [municipality_page, region_page, municipality_api]
