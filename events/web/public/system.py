"""Health check and the language switcher."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from events.lib.database import check_connection
from events.lib.i18n import LOCALES
from events.mail import worker_poll
from events.web.requests import LOCALE_COOKIE, safe_next_path


@get("/healthz", media_type=MediaType.JSON, include_in_schema=False, cache=False)
async def healthz() -> Response[dict[str, str | None]]:
    """200 when the database takes writes (checked at most once a second) and a worker polled
    lately; otherwise 503, with the part that fails named (the error's type, never its text:
    it may name hosts or users)."""
    body: dict[str, str | None] = {"database": "ok", "worker": "unknown", "worker_last_poll": None}
    try:
        await check_connection()
    except Exception as error:  # any driver error means "not healthy"; the type names it
        body["database"] = type(error).__name__
    else:
        refusal = await worker_poll.write_refusal()
        if refusal is not None:
            body["database"] = f"read-only ({refusal})"
        polled_at = await worker_poll.last_poll()
        body["worker_last_poll"] = polled_at.isoformat() if polled_at else None
        body["worker"] = "silent" if worker_poll.is_silent(polled_at) else "ok"
    healthy = body["database"] == "ok" and body["worker"] == "ok"
    return Response(
        {"status": "ok" if healthy else "unavailable", **body},
        status_code=HTTP_200_OK if healthy else HTTP_503_SERVICE_UNAVAILABLE,
    )


@get("/language/{locale:str}", include_in_schema=False, name="language")
async def switch_language(request: Request[Any, Any, Any], locale: FromPath[str]) -> Redirect:
    """Remember the chosen language in a cookie and go back to the page the visitor was on."""
    response = Redirect(safe_next_path(request.query_params.get("next")))
    if locale in LOCALES:
        response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax")
    return response


ROUTES = [healthz, switch_language]
