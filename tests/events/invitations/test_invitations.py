"""Inviting municipalities: links shown once, stored hashed, scoped, revocable."""

from __future__ import annotations

import pytest

from events.invitations.invitations import (
    access_by_token,
    default_invitees,
    invite,
    list_invitations,
    reissue_link,
    revoke,
)
from events.lib.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from events.lib.tokens import hash_token
from events.sessions.lifecycle import Transition
from events.sessions.transitions import apply
from events.tables import Invitation
from tests.factories import SEED_MUNICIPALITIES, make_organizer, make_session


def token_of(link: str | None) -> str:
    assert link is not None
    return link.rsplit("/", 1)[1]


async def test_default_invitees_are_the_whole_region() -> None:
    session = await make_session()
    codes = await default_invitees(session)
    assert len(codes) == 9 + 107 + 95  # 中国: 5 prefectures + 107 municipalities; 四国: 4 + 95
    assert codes[0] == "310000" and "392014" in codes


async def test_invite_returns_a_link_per_municipality() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    results = await invite(organizer, session.id, list(SEED_MUNICIPALITIES))
    assert [(r.code, r.name, r.status) for r in results][:2] == [
        ("330001", "岡山県", "invited"),
        ("331007", "岡山県岡山市", "invited"),
    ]
    assert all(r.link and r.link.startswith("http://tsunagu.test/r/") for r in results)
    stored = await Invitation.select(Invitation.token_hash).order_by(Invitation.municipality)
    assert sorted(row["token_hash"] for row in stored) == sorted(
        hash_token(token_of(r.link)) for r in results
    )


async def test_link_opens_only_its_own_municipality() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    okayama, hiroshima = await invite(organizer, session.id, ["330001", "341002"])
    access = await access_by_token(token_of(okayama.link))
    assert (access.municipality_code, access.session.id) == ("330001", session.id)
    assert (await access_by_token(token_of(hiroshima.link))).municipality_code == "341002"


async def test_inviting_again_keeps_the_first_link() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    (first,) = await invite(organizer, session.id, ["330001"])
    (again,) = await invite(organizer, session.id, ["330001"])
    assert (again.status, again.link) == ("already_invited", first.link)
    assert (await access_by_token(token_of(first.link))).municipality_code == "330001"


async def test_revoked_link_stops_working_and_reissue_gives_a_new_one() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    (first,) = await invite(organizer, session.id, ["330001"])
    await revoke(organizer, session.id, "330001")
    with pytest.raises(NotFoundError):
        await access_by_token(token_of(first.link))
    fresh = await reissue_link(organizer, session.id, "330001")
    assert (await access_by_token(token_of(fresh.link))).municipality_code == "330001"
    with pytest.raises(NotFoundError):
        await access_by_token(token_of(first.link))


@pytest.mark.parametrize("token", ["", "short", "x" * 32, "A" * 200, "../../etc/passwd"])
async def test_bad_tokens_all_get_the_same_answer(token: str) -> None:
    with pytest.raises(NotFoundError) as raised:
        await access_by_token(token)
    assert raised.value.problems[0].message.startswith("このリンクは無効です。")


async def test_unknown_code_refuses_the_whole_request() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    with pytest.raises(NotFoundError) as raised:
        await invite(organizer, session.id, ["330001", "330002"])
    assert raised.value.problems[0].params == {"code": "330002"}
    assert await Invitation.count() == 0


async def test_malformed_contact_email_refuses_the_request() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    with pytest.raises(ValidationError):
        await invite(organizer, session.id, ["330001"], {"330001": "not-an-address"})
    assert await Invitation.count() == 0


async def test_cancelled_session_takes_no_invitations() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await apply(organizer, session.id, Transition.CANCEL)
    with pytest.raises(ConflictError):
        await invite(organizer, session.id, ["330001"])


async def test_other_organizer_cannot_invite() -> None:
    session = await make_session()
    with pytest.raises(ForbiddenError):
        await invite(await make_organizer(), session.id, ["330001"])
    assert await Invitation.count() == 0


async def test_invitation_list_names_municipalities() -> None:
    organizer = await make_organizer()
    session = await make_session(organizer)
    await invite(
        organizer, session.id, ["341002", "330001"], {"341002": "Jinji@City.Hiroshima.lg.jp"}
    )
    rows = await list_invitations(session.id)
    assert [(r["municipality"], r["municipality_name"], r["contact_email"]) for r in rows] == [
        ("341002", "広島県広島市", "jinji@city.hiroshima.lg.jp"),  # in the order invited
        ("330001", "岡山県", ""),
    ]
