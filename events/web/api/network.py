"""JSON API of the networking history (public: municipalities and sessions, never people)."""

from __future__ import annotations

from litestar import get
from litestar.params import FromPath

from events.network.municipality import municipality_network
from events.web.api.schemas.network import MunicipalityNetworkOut, network_out
from events.web.page_cache import PUBLIC_PAGE_OPT


@get(
    "/api/municipalities/{code:str}/network",
    operation_id="getMunicipalityNetwork",
    summary="Sessions attended, peers met, practices shared and suggested peers (public)",
    tags=["network"],
    # The same public data as the municipality's network page: kept like it.
    opt=PUBLIC_PAGE_OPT,
)
async def municipality_api(code: FromPath[str]) -> MunicipalityNetworkOut:
    return network_out(await municipality_network(code))


ROUTES = [municipality_api]
