"""The ceiling for page benchmarks: hello world in Litestar, served as `tsunagu serve` serves."""

from __future__ import annotations

import sys

import uvicorn
from litestar import Litestar, MediaType, get

from events.server import uvicorn_options


@get("/", media_type=MediaType.HTML)
async def hello() -> str:
    return '<!doctype html><html lang="ja"><title>hello</title><p>Hello, world</p></html>'


app = Litestar(route_handlers=[hello])

if __name__ == "__main__":
    # The options of `tsunagu serve` under uvicorn, access log and its redaction included, with
    # no trusted proxy as the benchmarks run it (X-Forwarded-For is then not read).
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), **uvicorn_options(()))
