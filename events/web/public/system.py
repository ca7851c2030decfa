"""Health check and the language switcher."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE

from events.lib.database import check_connection
from events.lib.i18n import LOCALES
from events.web.requests import LOCALE_COOKIE, safe_next_path


@get("/healthz", media_type=MediaType.JSON, include_in_schema=False, cache=False)
async def healthz() -> Response[dict[str, str]]:
    try:
        await check_connection()
    except Exception as error:  # any driver error means "not healthy"; the type names it
        return Response(
            {"status": "unavailable", "database": type(error).__name__},
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
        )
    return Response({"status": "ok", "database": "ok"})


@get("/language/{locale:str}", include_in_schema=False, name="language")
async def switch_language(request: Request[Any, Any, Any], locale: FromPath[str]) -> Redirect:
    """Remember the chosen language in a cookie and go back to the page the visitor was on."""
    response = Redirect(safe_next_path(request.query_params.get("next")))
    if locale in LOCALES:
        response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax")
    return response


ROUTES = [healthz, switch_language]
