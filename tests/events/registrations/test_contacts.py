"""Consented contact exchange: who is listed, withdrawal, CSV and vCard files, link checks."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import httpx
import pytest
import vobject

from events.groups.assignments import assign_groups
from events.groups.placement import group_of
from events.lib.errors import ForbiddenError, NotFoundError
from events.lib.tokens import INVALID_LINK as INVALID
from events.lib.tokens import LinkKind, link_token
from events.organizing.session_actions import publish_groups
from events.registrations.attendee_access import attendee_by_token
from events.registrations.contacts import shared_contacts
from events.registrations.delegations import AttendeeInput, DelegationInput
from events.registrations.registrations import update
from events.registrations.vcard import Card, escape, fold, vcards
from events.templating import render
from tests.factories import (
    SEED_MUNICIPALITIES,
    attendee_input,
    make_organizer,
    published_session,
    register_delegation,
)

CODES = SEED_MUNICIPALITIES[:4]

CARD = Card(
    uid="urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
    name="岡山 花子",
    organization="岡山県",
    department="",
    title="",
    email="h@example.jp",
)


def token_of(attendee: dict[str, Any]) -> str:
    return link_token(LinkKind.ATTENDEE, attendee["link_nonce"])


async def setup(*, publish: bool = True) -> tuple[Any, dict[str, Any], list[dict[str, Any]]]:
    """Four municipalities; the first two people agree to share, the others do not."""
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, CODES)
    people = []
    for number, code in enumerate(CODES):
        person = attendee_input(code, share_contact=number < 2, department=f"情報政策課{number}")
        people += await register_delegation(accesses[code], person)
    await assign_groups(organizer, session.id, 2, 2, seed=1, mode="tracks")
    if publish:
        await publish_groups(organizer, session.id)
    return session, accesses, people


async def test_only_consenting_others_are_listed_once_groups_are_published() -> None:
    _, _, people = await setup()
    for viewer in people:
        book = await shared_contacts(viewer["id"])
        expected = [p["id"] for p in people[:2] if p["id"] != viewer["id"]]
        assert sorted(c.id for c in book.contacts) == expected
    # A viewer who did not agree still sees those who did.
    book = await shared_contacts(people[3]["id"])
    assert sorted(c.name for c in book.contacts) == ["参加者330001の1", "参加者331007の1"]


async def test_contacts_are_grouped_with_the_viewers_own_group_first() -> None:
    _, _, people = await setup()
    viewer = people[3]
    own = await group_of(viewer["id"])
    assert own is not None
    book = await shared_contacts(viewer["id"])
    labels = [group.label for group in book.groups]
    assert labels == sorted(labels, key=lambda label: label != own.label)
    assert [group.is_own for group in book.groups] == [g.label == own.label for g in book.groups]


async def test_nothing_is_listed_before_publication() -> None:
    _, _, people = await setup(publish=False)
    book = await shared_contacts(people[3]["id"])
    assert (book.published, book.groups) == (False, ())


async def test_withdrawing_consent_removes_a_person_from_every_list_at_once(
    client: httpx.AsyncClient,
) -> None:
    _, accesses, people = await setup()
    viewer = people[3]
    before = (await client.get(f"/a/{token_of(viewer)}/contacts")).text
    assert people[0]["name"] in before and people[0]["email"] in before
    withdrawn = AttendeeInput(
        name=people[0]["name"],
        department=people[0]["department"],
        position=people[0]["position"],
        email=people[0]["email"],
        share_contact=False,
        id=people[0]["id"],
    )
    await update(
        accesses[CODES[0]],
        DelegationInput(plan_status="drafting", attendees=(withdrawn,), sharing_answers={}),
    )
    for other in people[1:]:
        assert people[0]["id"] not in [c.id for c in (await shared_contacts(other["id"])).contacts]
    page = (await client.get(f"/a/{token_of(viewer)}/contacts")).text
    csv_file = (await client.get(f"/a/{token_of(viewer)}/contacts.csv")).text
    cards = (await client.get(f"/a/{token_of(viewer)}/contacts.vcf")).text
    for text in (page, csv_file, cards):
        assert people[0]["name"] not in text
        assert people[0]["email"] not in text
        assert people[1]["email"] in text


async def test_contacts_page_lists_names_municipalities_departments_and_emails(
    client: httpx.AsyncClient,
) -> None:
    _, _, people = await setup()
    response = await client.get(f"/a/{token_of(people[3])}/contacts")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    assert '<meta name="robots" content="noindex, nofollow">' in body
    # One card per person on a phone: the name heads it, each other cell under its label.
    row = (
        '<tr><th scope="row">参加者330001の1</th><td data-label="自治体">岡山県</td>'
        '<td data-label="所属">情報政策課0</td><td data-label="メールアドレス">'
        '<a href="mailto:p1.330001@example.lg.jp">p1.330001@example.lg.jp</a></td></tr>'
    )
    assert row in body
    for hidden in people[2:]:
        assert hidden["name"] not in body
        assert hidden["email"] not in body


async def test_contacts_csv_is_excel_friendly_with_one_row_per_person(
    client: httpx.AsyncClient,
) -> None:
    _, _, people = await setup()
    viewer = people[3]
    book = await shared_contacts(viewer["id"])
    response = await client.get(f"/a/{token_of(viewer)}/contacts.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    lines = [
        f"{group.label},{c.name},{c.municipality_name},{c.department},{c.email}\r\n"
        for group in book.groups
        for c in group.contacts
    ]
    assert len(lines) == 2
    assert response.content.decode("utf-8") == (
        "\ufeffグループ,氏名,自治体,所属,メールアドレス\r\n" + "".join(lines)
    )


async def test_vcard_file_parses_to_one_card_per_person(client: httpx.AsyncClient) -> None:
    _, _, people = await setup()
    response = await client.get(f"/a/{token_of(people[3])}/contacts.vcf")
    assert response.headers["content-type"] == "text/vcard; charset=utf-8"
    cards = sorted(vobject.readComponents(response.text), key=lambda card: card.fn.value)
    assert [(c.version.value, c.fn.value, c.email.value) for c in cards] == [
        ("3.0", "参加者330001の1", "p1.330001@example.lg.jp"),
        ("3.0", "参加者331007の1", "p1.331007@example.lg.jp"),
    ]
    uids = [card.uid.value for card in cards]
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", uid) for uid in uids)
    assert len(set(uids)) == 2
    again = vobject.readComponents(
        (await client.get(f"/a/{token_of(people[3])}/contacts.vcf")).text
    )
    assert sorted(card.uid.value for card in again) == sorted(uids)
    assert [card.email.params["TYPE"] for card in cards] == [["INTERNET", "WORK"]] * 2
    assert [c.org.value for c in cards] == [
        ["岡山県", "情報政策課0"],
        ["岡山県岡山市", "情報政策課1"],
    ]
    assert [c.title.value for c in cards] == ["一般職員", "一般職員"]


def test_vcard_values_with_commas_semicolons_and_backslashes_survive_parsing() -> None:
    card = Card(
        uid="urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
        name="山田,太郎; \\様",
        organization="岡山県;岡山市",
        department="デジタル推進課, 企画係\\二課",
        title="主任; 管理職",
        email="taro@example.lg.jp",
    )
    text = vcards([card])
    # A semicolon is escaped only where it separates components (N, ORG), never in FN or TITLE.
    assert "FN:山田\\,太郎; \\\\様\r\n" in text
    assert "TITLE:主任; 管理職\r\n" in text
    (parsed,) = vobject.readComponents(text)
    assert parsed.fn.value == "山田,太郎; \\様"
    assert (parsed.n.value.family, parsed.n.value.given) == ("山田,太郎;", "\\様")
    assert parsed.org.value == ["岡山県;岡山市", "デジタル推進課, 企画係\\二課"]
    assert parsed.title.value == "主任; 管理職"


def test_long_vcard_lines_fold_between_characters_within_75_octets() -> None:
    line = "ORG:" + escape("とても長い名前の自治体" * 8)
    folded = fold(line)
    physical = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert "".join(part.removeprefix(" ") for part in physical) == line
    (parsed,) = vobject.readComponents(
        vcards([dataclasses.replace(CARD, organization="とても長い名前の自治体" * 8)])
    )
    assert parsed.org.value[0] == "とても長い名前の自治体" * 8


@pytest.mark.parametrize("tail", ["contacts", "contacts.csv", "contacts.vcf"])
async def test_a_bad_link_gets_the_one_generic_answer(client: httpx.AsyncClient, tail: str) -> None:
    for token in ("A" * 32, "short", "%00" * 3):
        response = await client.get(f"/a/{token}/{tail}")
        assert response.status_code == 404
        assert INVALID in response.text


async def test_a_waitlisted_attendee_sees_no_contacts() -> None:
    organizer = await make_organizer()
    session, accesses = await published_session(organizer, CODES[:2], capacity=1, limit=1)
    await register_delegation(accesses[CODES[0]], attendee_input(CODES[0], share_contact=True))
    (waiting,) = await register_delegation(accesses[CODES[1]])
    assert waiting["status"] == "waitlisted"
    with pytest.raises(ForbiddenError):
        await shared_contacts(waiting["id"])
    access = await attendee_by_token(token_of(waiting))
    assert access.attendee["id"] == waiting["id"]
    with pytest.raises(NotFoundError) as refused:
        await attendee_by_token("B" * 32)
    assert str(refused.value) == INVALID
    assert session.id == access.session.id


async def test_own_group_partial_shows_label_points_and_municipalities() -> None:
    _, _, people = await setup()
    group = await group_of(people[0]["id"])
    assert group is not None
    html = render("attendee/_group.html.jinja2", group=group)
    assert f'<p class="own-group__label">{group.label}</p>' in html
    [one] = group.groups
    assert "".join(f"<li>{point}</li>" for point in one.points) in html
    assert f"同じグループの自治体: {'・'.join(one.municipalities)}" in html
    empty = render("attendee/_group.html.jinja2", group=None)
    assert "討議グループは、主催者が公開するとここに表示されます。" in empty
