"""No public page, feed or document shows a person: not to a visitor, not after an organizer."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import httpx

from tests.factories import contact_of, delegation, held_session
from tests.security.route_access import EXPECTATIONS
from tests.security.routes import fill, public_page_keys, route_keys, route_of
from tests.security.world import (
    CODE_A,
    CODE_B,
    CODE_C,
    CODE_J,
    CODE_J2,
    World,
    _person,
    browsers,
    build_world,
    markers,
)

# They took part in a session that was held: the network pages count their encounters.
PEOPLE_HELD = {
    CODE_A: (
        _person("東雲瑠璃子", "shinonome.ruriko@okayama-pref.example.lg.jp", share_contact=True),
    ),
    CODE_B: (_person("五月女颯", "saotome.hayate@okayama-city.example.lg.jp", share_contact=True),),
}


async def held_history(world: World) -> int:
    """A held session of the owner with A and B: the public history of both municipalities."""
    delegations = {code: delegation(*people) for code, people in PEOPLE_HELD.items()}
    return (await held_session(world.owner, delegations)).id


def personal_data(world: World) -> list[str]:
    held = [text for people in PEOPLE_HELD.values() for text in markers(people)]
    organizers = [world.owner.email, world.other.email, world.admin.email]
    contacts = [contact_of(code) for code in (CODE_A, CODE_B, CODE_C, CODE_J, CODE_J2)]
    everyone = [text for texts in world.personal_markers().values() for text in texts]
    return [*everyone, *held, *organizers, *contacts]


def public_paths(world: World, sessions: list[int]) -> list[str]:
    """Every route anyone may open, for the world's sessions, municipalities and regions."""
    paths: list[str] = []
    for key in [key for key in route_keys() if key in EXPECTATIONS]:
        method, template = key.split(" ", 1)
        expect = EXPECTATIONS[key]
        if method != "GET" or "anonymous" not in expect.allowed:
            continue
        if "{session_id}" in template:
            paths += [fill(template, {"session_id": str(i)}) for i in sessions]
        elif "{code}" in template:
            codes = (CODE_A, CODE_B, CODE_C, CODE_J)
            paths += [fill(template, {"code": code}) for code in codes]
        else:
            path = fill(template, expect.params(world, "anonymous"))
            if expect.query is not None:
                path += "?" + urlencode(expect.query(world))
            paths.append(path)
    paths += ["/sessions?region=chushikoku", "/municipalities?page=2", "/regions/chugoku/network"]
    if world.held is not None:
        # The report of the held session, as Markdown, and found by the archive's search.
        report = world.held.report_id
        paths += [
            f"/reports/{report}/v1.md",
            "/reports?q=研修",
            f"/api/reports?series={world.series_id}",
        ]
    paths += ["/regions/chugoku/calendar.ics"]
    return paths


async def test_no_public_page_shows_personal_data(client: httpx.AsyncClient) -> None:
    world = await build_world()
    sessions = [world.session_id, world.other_session_id, await held_history(world)]
    if world.held is not None:
        sessions.append(world.held.session_id)
    hidden = personal_data(world)
    kept_in_memory = public_page_keys()
    pages = 0
    async with browsers(client, world) as by_role:
        for path in public_paths(world, sessions):
            # Organizers' visits first: a public page kept in memory must not keep their view.
            for role in ("owner", "admin", "coordinator_a", "attendee_a"):
                await by_role[role][0].get(path)
            for role in ("anonymous", "other_organizer"):
                response = await by_role[role][0].get(path)
                if response.status_code == 200:
                    pages += 1
                leaked = [text for text in hidden if text in response.text]
                assert leaked == [], f"{path} shows {leaked}"
                if route_of("GET", urlsplit(path).path) in kept_in_memory:
                    # Shared by every visitor: nothing of one visitor, no form to protect.
                    assert "set-cookie" not in response.headers, path
                    assert 'method="post"' not in response.text.lower(), path
        # The same people are on the pages made for those who may see them.
        owner_view = await by_role["owner"][0].get(
            f"/organizer/sessions/{world.session_id}/registrations"
        )
        assert all(name in owner_view.text for name in ("鬼瓦権蔵", "百目鬼楓"))
    assert pages >= 20
