"""JSON API of the networking history (public: municipalities and sessions, never people)."""

from __future__ import annotations

from litestar import get
from litestar.params import FromPath

from events.network.municipality import municipality_network
from events.web.api.schemas.network import MunicipalityNetworkOut, network_out


@get(
    "/api/municipalities/{code:str}/network",
    operation_id="getMunicipalityNetwork",
    summary="Sessions attended, peers met, practices shared and suggested peers (public)",
    tags=["network"],
)
async def municipality_api(code: FromPath[str]) -> MunicipalityNetworkOut:
    return network_out(await municipality_network(code))


ROUTES = [municipality_api]
