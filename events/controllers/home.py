"""The home page: what is coming up and what was reported lately."""

from __future__ import annotations

from litestar import get
from litestar.response import Template


@get("/", name="home", include_in_schema=False)
async def home() -> Template:
    return Template("public/home/index.html.jinja2", context={"upcoming": [], "reports": []})


ROUTES = [home]
