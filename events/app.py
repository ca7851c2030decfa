"""The application factory: routes, templates, error mapping and the resources the lifespan owns."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp
from piccolo.engine.postgres import PostgresEngine

from events.lib.change_notices import listening
from events.lib.database import (
    enable_sqlite_wal,
    engine,
    public_commit_listener,
    public_data_changed,
    start_pool,
)
from events.lib.settings import Environment, Settings, load_settings
from events.templating import environment
from events.web.api import routes as api
from events.web.api.documentation import COMPONENTS
from events.web.auth import AUTH_EXCEPTION_HANDLERS, api_credentials_first
from events.web.errors import EXCEPTION_HANDLERS
from events.web.head_requests import AnswerHeadAsGet
from events.web.input_safety import NulFreeRequest
from events.web.organizer import dev_mail
from events.web.organizer import routes as organizer
from events.web.page_cache import PAGE_CACHE_STATE, PageCache, PublicPageCacheMiddleware
from events.web.personal import routes as personal
from events.web.public import routes as public
from events.web.rate_limits import RATE_LIMIT_STORE
from events.web.request_line import RequestLineLimit
from events.web.requests import before_request
from events.web.security_headers import SecurityHeaders
from events.web.warm_up import warm_up
from events.worker import OutboxWorker

STATIC_DIR = Path(__file__).parent / "static"
CSRF_COOKIE = "tsunagu_csrf"
# Forms and JSON bodies are small; anything larger is refused (413) before it is read.
MAX_BODY_BYTES = 1_000_000


def _database_lifespan(page_cache: PageCache, settings: Settings) -> object:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        db = engine()
        await enable_sqlite_wal()
        # A pool someone else opened (a CLI command, the test session) stays theirs to close.
        pool_owner = db if isinstance(db, PostgresEngine) and db.pool is None else None
        if pool_owner is not None:
            await start_pool(pool_owner, min_size=2, max_size=20)
        try:
            async with AsyncExitStack() as stack:
                stack.enter_context(public_commit_listener(page_cache.invalidate))
                if isinstance(db, PostgresEngine):
                    # Other instances on this database: their changes reach these pages at once.
                    await stack.enter_async_context(
                        listening(settings.database.url, public_data_changed)
                    )
                yield
        finally:
            if pool_owner is not None:
                await pool_owner.close_connection_pool()

    return lifespan


def _warm_up_lifespan() -> object:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        warm_up()
        yield

    return lifespan


def _worker_lifespan() -> object:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(OutboxWorker().run(stop), name="outbox-worker")
        try:
            yield
        finally:
            stop.set()
            await task

    return lifespan


def stores_for(settings: Settings) -> dict[str, Store]:
    """Sign-in attempt counters: in Redis when configured, so that every process shares them."""
    if settings.redis_url:
        store: Store = RedisStore.with_client(url=settings.redis_url, namespace="tsunagu")
    else:
        store = MemoryStore()
    return {RATE_LIMIT_STORE: store}


class Tsunagu(Litestar):
    """Litestar with layers around everything, the router included: every answer carries the
    security headers, an address too long is refused before any other work, and HEAD is
    answered wherever GET is (Litestar's router sends HEAD only to handlers declared for it)."""

    def _create_asgi_handler(self) -> ASGIApp:
        https = load_settings().uses_https
        inner = AnswerHeadAsGet(super()._create_asgi_handler())
        return SecurityHeaders(RequestLineLimit(inner), https=https)


def create_app(*, run_worker: bool = False) -> Litestar:
    """The web application; with run_worker the outbox is sent from this process too."""
    settings = load_settings()
    page_cache = PageCache()
    lifespans = [_warm_up_lifespan(), _database_lifespan(page_cache, settings)]
    if run_worker:
        lifespans.append(_worker_lifespan())
    return Tsunagu(
        route_handlers=[
            *public.ROUTES,
            *organizer.ROUTES,
            *personal.ROUTES,
            *api.ROUTES,
            # The development mailbox does not exist in production: a 404 like any unknown path.
            *(dev_mail.ROUTES if settings.environment is not Environment.PRODUCTION else []),
            create_static_files_router(path="/static", directories=[STATIC_DIR], name="static"),
        ],
        template_config=TemplateConfig(
            instance=JinjaTemplateEngine.from_environment(environment())
        ),
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name=CSRF_COOKIE,
            cookie_secure=settings.uses_https,
            cookie_samesite="lax",
            # The JSON API authenticates with bearer tokens or link tokens, never cookies.
            # One-click unsubscribe (RFC 8058): the mail client POSTs with the link token alone.
            exclude=["/api/", "/board/unsubscribe/"],
        ),
        # The page cache answers a kept public page before any other middleware runs.
        middleware=[PublicPageCacheMiddleware(page_cache)],
        exception_handlers={**EXCEPTION_HANDLERS, **AUTH_EXCEPTION_HANDLERS},
        guards=[api_credentials_first],
        request_class=NulFreeRequest,
        before_request=before_request,
        lifespan=lifespans,  # type: ignore[arg-type]
        # Handlers keep what public pages share in the page cache, per its data version.
        state=State({PAGE_CACHE_STATE: page_cache}),
        openapi_config=OpenAPIConfig(
            title="Tsunagu API",
            version="1.0.0",
            path="/schema",
            components=COMPONENTS,
            # The JSON document itself: the UI plugins load scripts from CDNs, which LGWAN blocks.
            render_plugins=[JsonRenderPlugin(path=["/", "/openapi.json"])],
        ),
        request_max_body_size=MAX_BODY_BYTES,
        stores=stores_for(settings),
        debug=False,
    )
