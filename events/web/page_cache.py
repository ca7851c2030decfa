"""Public pages rendered once per data version and served from memory, revalidated by ETag.

Public pages change a few times a day but are read all day. A route with `opt=PUBLIC_PAGE_OPT`
is kept per (path, query, language) until the next committed change to public data in this
process, or for at most `max_age` seconds, which bounds how stale a page can be when another
process (a second instance, the mail worker) made the change. When many visitors ask for a page
that is not kept, one of them renders it and the others wait for that copy.
Only the body is kept; a kept page is answered here, before any other middleware, and the
layer around the whole application adds the security headers to it as to every answer. Public
pages hold no form that posts, so they are outside CSRF protection and set no cookie: nothing per
visitor remains.
A change that shows only on some sessions' own pages (a registration) keeps the other sessions'
pages: it drops those sessions' pages at once, and the pages that list many with what was
registered (a municipality's network, a report's page) within `PageCache.lists_settle` seconds,
so that a burst of registrations makes them again once in a while, not after each one. The pages
whose route says they show nothing of any delegation (the session lists, the directory, the
report archive, the region calendars) it keeps.
What several renders share (a session with its agenda, a page of search results) is kept
beside the pages under the same version and age (`PageCache.part`), so a page asked for under a
query string never seen is rendered without reading the database again.
Litestar's response cache is not used because it replays Set-Cookie headers to other visitors
and ignores the language.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar, cast

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from events.lib.change_notices import EVERYTHING, PublicChange
from events.lib.i18n import negotiate
from events.web.requests import LOCALE_COOKIE

PUBLIC_PAGE = "public_page"
# Route options of a public page: kept here, and skipped by Litestar's CSRF middleware (its key).
PUBLIC_PAGE_OPT = {PUBLIC_PAGE: True, "exclude_from_csrf": True}
SHOWS_NO_DELEGATIONS = "shows_no_delegations"
# A public page that shows nothing of who registered or how many (nor anything else a change
# to a delegation writes): a registration keeps it.
PUBLIC_PAGE_WITHOUT_DELEGATIONS_OPT = {**PUBLIC_PAGE_OPT, SHOWS_NO_DELEGATIONS: True}
# Response headers worth replaying; the rest (cookies above all) belong to one response.
_KEPT_HEADERS = (b"content-type", b"content-disposition", b"content-language")
# A region feed of a few thousand sessions fits; a larger download is served fresh each time.
MAX_KEPT_BODY = 4 * 1024 * 1024
# The key of the application state under which handlers find the cache (see `PageCache.part`).
PAGE_CACHE_STATE = "page_cache"

T = TypeVar("T")


# What a kept page or part was made from: the data version of everything, and that of the
# one session whose own page it is, or (for any other page) that of the pages listing many.
Stamp = tuple[int, int]
# A session's own pages: its page and its calendar file.
_SESSION_PATH = re.compile(r"/sessions/(\d+)(?:/|$)")


@dataclass(frozen=True)
class Subject:
    """What a page or part shows, as far as changes of delegations go: the one session whose
    own page it is (`session_id`), or many; and whether it shows delegations at all."""

    session_id: int | None = None
    shows_delegations: bool = True


# A page or part listing many sessions or municipalities, with what they registered.
LISTS = Subject()
# A page or part that shows nothing a change to a delegation writes.
NO_DELEGATIONS = Subject(shows_delegations=False)


@dataclass
class CachedPage:
    stamp: Stamp
    expires: float
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


@dataclass
class KeptPart:
    stamp: Stamp
    expires: float
    value: Any


@dataclass
class PageCache:
    max_age: float = 30.0
    max_entries: int = 5000
    # What the kept bodies may take in all; the least recently used go first.
    max_bytes: int = 64 * 1024 * 1024
    version: int = 0
    # Raised by a change that shows only on some sessions' pages (a registration): those
    # sessions' own pages and every page listing many are made again, other sessions' are kept.
    session_versions: dict[int, int] = field(default_factory=dict)
    lists_version: int = 0
    # Pages listing many with what was registered are made again for a change of delegations
    # at most once in this many seconds; the first change after a quiet spell shows at once.
    lists_settle: float = 2.0
    # The lists version such pages are made from, and when it was last brought up to date.
    shown_lists_version: int = 0
    lists_shown_at: float = -math.inf
    clock: Callable[[], float] = time.monotonic
    entries: OrderedDict[tuple[str, str, str], CachedPage] = field(default_factory=OrderedDict)
    kept_bytes: int = 0
    # Pages being rendered, with what the visitors who asked meanwhile wait for.
    rendering: dict[tuple[str, str, str], asyncio.Future[CachedPage | None]] = field(
        default_factory=dict
    )
    # Data that renders of several pages or queries share, under the same rules as pages.
    parts: OrderedDict[Hashable, KeptPart] = field(default_factory=OrderedDict)
    # A part is at most a page of search results (some 30 kB): a thousand bound them to tens of
    # MB, the least recently used going first.
    max_parts: int = 1000
    # Parts being read, by (key, stamp): after a change, the many renders that need the same
    # part wait for one read instead of each asking the database.
    reading: dict[tuple[Hashable, Stamp], asyncio.Future[Any]] = field(default_factory=dict)

    def invalidate(self, change: PublicChange = EVERYTHING) -> None:
        """Called after every commit that may change a public page, with what it changed."""
        if change is None:  # EVERYTHING
            self.version += 1
            self.parts.clear()
            # Every page is made again now: the next change of delegations shows at once too.
            self.shown_lists_version = self.lists_version
            self.lists_shown_at = -math.inf
            return
        self.lists_version += 1
        for session_id in change:
            self.session_versions[session_id] = self.session_versions.get(session_id, 0) + 1

    def stamp(self, subject: Subject) -> Stamp:
        """The data version a page or part showing `subject` is of."""
        if not subject.shows_delegations:
            return self.version, 0
        if subject.session_id is None:
            return self.version, self._shown_lists_version()
        return self.version, self.session_versions.get(subject.session_id, 0)

    def _shown_lists_version(self) -> int:
        if self.shown_lists_version != self.lists_version:
            now = self.clock()
            if now - self.lists_shown_at >= self.lists_settle:
                self.shown_lists_version = self.lists_version
                self.lists_shown_at = now
        return self.shown_lists_version

    async def part(
        self, key: Hashable, read: Callable[[], Awaitable[T]], *, of: Subject = LISTS
    ) -> T:
        """What `read` returns, read once per data version and kept at most `max_age` seconds,
        like a whole page: a page asked for with a query string never seen, or in another
        language, is rendered again without reading the database again. Only data that is the
        same for every visitor belongs here; `of` says what it shows."""
        stamp = self.stamp(of)
        kept = self.parts.get(key)
        if kept is not None and kept.stamp == stamp and kept.expires >= time.monotonic():
            self.parts.move_to_end(key)
            return cast(T, kept.value)
        pending = self.reading.get((key, stamp))
        if pending is None:
            pending = asyncio.ensure_future(read())
            self.reading[(key, stamp)] = pending
            pending.add_done_callback(lambda done: self._read(key, stamp, of, done))
        # Shielded: a visitor who leaves does not cancel the read the others wait for.
        return cast(T, await asyncio.shield(pending))

    def _read(self, key: Hashable, stamp: Stamp, of: Subject, done: asyncio.Future[Any]) -> None:
        del self.reading[(key, stamp)]
        # exception() also marks a failure as seen when every waiter has left.
        if done.cancelled() or done.exception() is not None:
            return
        # Data changed while reading: what was read may predate the change, so it is not kept.
        if stamp == self.stamp(of):
            self.parts[key] = KeptPart(stamp, time.monotonic() + self.max_age, done.result())
            if len(self.parts) > self.max_parts:
                self.parts.popitem(last=False)

    def get(self, key: tuple[str, str, str], of: Subject) -> CachedPage | None:
        page = self.entries.get(key)
        if page is None or page.stamp != self.stamp(of):
            return None
        if page.expires < time.monotonic():
            return None
        self.entries.move_to_end(key)
        return page

    def put(
        self,
        key: tuple[str, str, str],
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        stamp: Stamp,
    ) -> CachedPage:
        """Keep a page rendered from the data of `stamp`."""
        etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'

        page = CachedPage(stamp, time.monotonic() + self.max_age, headers, body, etag)
        replaced = self.entries.pop(key, None)
        if replaced is not None:
            self.kept_bytes -= len(replaced.body)
        self.entries[key] = page
        self.kept_bytes += len(body)
        while len(self.entries) > self.max_entries or self.kept_bytes > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.kept_bytes -= len(evicted.body)
        return page


def _subject(key: tuple[str, str, str], handler: Any) -> Subject:
    if handler.opt.get(SHOWS_NO_DELEGATIONS):
        return NO_DELEGATIONS
    match = _SESSION_PATH.match(key[0])
    return Subject(session_id=int(match.group(1))) if match else LISTS


def _key(scope: Scope) -> tuple[str, str, str]:
    chosen = None
    accept_language = None
    # The raw header pairs, read once: this runs for every public page, kept ones included.
    for name, value in scope["headers"]:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                cookie, _, cookie_value = part.strip().partition("=")
                if cookie == LOCALE_COOKIE:
                    chosen = cookie_value
        elif name == b"accept-language":
            accept_language = value.decode("latin-1")
    locale = _locale(chosen, accept_language)
    return scope["path"], scope.get("query_string", b"").decode("latin-1"), locale


# Browsers send a handful of distinct Accept-Language values; parsing one costs more than
# replaying a whole kept page.
_locale = lru_cache(maxsize=1024)(negotiate)


def _if_none_match(scope: Scope) -> bytes:
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return bytes(value)
    return b""


class PublicPageCacheMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(self, cache: PageCache) -> None:
        self.cache = cache

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        handler = scope.get("route_handler")
        if scope.get("method") != "GET" or handler is None or not handler.opt.get(PUBLIC_PAGE):
            await next_app(scope, receive, send)
            return
        key = _key(scope)
        subject = _subject(key, handler)
        page = self.cache.get(key, subject)
        if page is None and key in self.cache.rendering:
            page = await asyncio.shield(self.cache.rendering[key])
        if page is not None:
            await _replay(page)(scope, receive, send)
            return
        # A page that was not kept (an error, a large file) is rendered by each visitor.
        rendered: asyncio.Future[CachedPage | None] = asyncio.get_running_loop().create_future()
        owner = self.cache.rendering.setdefault(key, rendered) is rendered
        try:
            page = await self._render(scope, receive, send, next_app, key, subject)
        finally:
            if owner:
                del self.cache.rendering[key]
                rendered.set_result(page)  # None when the render failed: the others try again

    async def _render(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        next_app: ASGIApp,
        key: tuple[str, str, str],
        subject: Subject,
    ) -> CachedPage | None:
        """Run the handler and answer as usual; a 200 answer is kept for the next visitors."""
        messages: list[Message] = []

        async def capture(message: Message) -> None:
            messages.append(message)

        stamp = self.cache.stamp(subject)
        await next_app(scope, receive, capture)
        page = None
        start = messages[0] if messages else None
        if start is not None and start["type"] == "http.response.start" and start["status"] == 200:
            body = b"".join(
                m.get("body", b"") for m in messages if m["type"] == "http.response.body"
            )
            kept = [(k, v) for k, v in start.get("headers", []) if k.lower() in _KEPT_HEADERS]
            # Data changed while rendering, or a large file (a report PDF): do not keep it.
            if stamp == self.cache.stamp(subject) and len(body) <= MAX_KEPT_BODY:
                page = self.cache.put(key, kept, body, stamp)
                start["headers"] = [*start.get("headers", []), *_validators(page)]
        for message in messages:
            await send(message)
        return page


def _validators(page: CachedPage) -> list[tuple[bytes, bytes]]:
    return [(b"etag", page.etag), (b"cache-control", b"no-cache")]


def _replay(page: CachedPage) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if _if_none_match(scope) == page.etag:
            status, body = 304, b""
            headers = _validators(page)
        else:
            status, body = 200, page.body
            headers = [
                *page.headers,
                *_validators(page),
                (b"content-length", str(len(body)).encode()),
            ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return app
