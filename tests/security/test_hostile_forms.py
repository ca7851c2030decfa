"""Every form found on the pages, posted by a party allowed to post it, with hostile values in
every field: the answer is a page (a refusal or a success), never a server error."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import httpx

from events.app import CSRF_COOKIE
from tests.helpers import form_fields
from tests.security.route_access import EXPECTATIONS
from tests.security.routes import route_of
from tests.security.test_csrf import target
from tests.security.world import ROLES, browsers, build_world

HOSTILE = (
    "",
    " ",
    "9" * 40,  # beyond every integer column
    "-1",
    "1e309",
    "NaN",
    "２０２４-１３-４５",
    "2024-02-30T25:61",
    "𠮷野家" * 3000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "x@example.jp\r\nBcc: victim@example.jp",
    "\u202eevil\u202c",
    "=cmd|' /C calc'!A0",
    "a\x00b",
)
# Signing out would turn the rest of a party's posts into sign-in redirects.
_SKIPPED = {"/logout"}
_FORM_TAG = re.compile(r"<form\b[^>]*>", re.I)
_ACTION = re.compile(r'\baction="([^"]*)"')
_POST = re.compile(r'\bmethod="post"', re.I)


def post_actions(page: str, here: str) -> set[str]:
    actions = set()
    for tag in _FORM_TAG.findall(page):
        if _POST.search(tag):
            found = _ACTION.search(tag)
            actions.add(html.unescape(found.group(1)) if found and found.group(1) else here)
    return actions


async def test_every_form_survives_hostile_values(client: httpx.AsyncClient) -> None:
    world = await build_world()
    failures: list[str] = []
    posted = 0
    async with browsers(client, world) as by_role:
        forms: dict[tuple[str, str], dict[str, str | list[str]]] = {}
        for key in EXPECTATIONS:
            if not key.startswith("GET ") or " /api/" in key:
                continue
            for role in sorted(EXPECTATIONS[key].allowed, key=ROLES.index):
                path = target(world, key, role)
                page = await by_role[role][0].get(path)
                if "text/html" not in page.headers.get("content-type", ""):
                    continue
                for action in post_actions(page.text, path):
                    forms.setdefault((role, action), form_fields(page.text, action.split("#")[0]))
        # The same form for another row (each municipality's invitation, each report block)
        # reaches the same handler: one of them per party is enough.
        handlers = {
            (role, route_of("POST", urlsplit(action).path)): (role, action)
            for role, action in sorted(forms, reverse=True)
            if action not in _SKIPPED
        }
        for role, action in sorted(handlers.values()):
            fields = forms[role, action]
            browser = by_role[role][0]
            for value in HOSTILE:
                data = {
                    name: ([value] * len(default) if isinstance(default, list) else value)
                    for name, default in fields.items()
                }
                data["_csrf_token"] = browser.cookies[CSRF_COOKIE]
                response = await browser.post(action, data=data)
                posted += 1
                if response.status_code >= 500:
                    failures.append(
                        f"{role}: POST {action} {value[:20]!r} -> {response.status_code}"
                    )
    assert not failures, "\n".join(failures)
    # Sign-in, series, session, poll, invitation, group, join and personal-link forms.
    assert len({route for _, route in handlers}) >= 15
