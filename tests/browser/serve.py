"""The real application under uvicorn for the browser tests: `python -m tests.browser.serve PORT`.

Settings come from the environment the test session prepared (its database above all). Public
pages are not kept in memory here: the test process writes the data, so this process never
hears of the changes that would refresh its page cache.
"""

from __future__ import annotations

import sys

import uvicorn

from events.app import create_app
from events.server import log_config
from events.web.page_cache import PublicPageCacheMiddleware


def main(port: int) -> None:
    app = create_app()
    for middleware in app.middleware:
        if isinstance(middleware, PublicPageCacheMiddleware):
            middleware.cache.max_age = 0
    uvicorn.run(app, host="127.0.0.1", port=port, log_config=log_config(), log_level="warning")


if __name__ == "__main__":
    main(int(sys.argv[1]))
