"""よみがな: checked and normalized on registration, written into vCards for address books."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest
import vobject

from events.groups.assignments import assign_groups
from events.lib.errors import ValidationError
from events.organizing.session_actions import publish_groups
from events.registrations.delegations import normalized_reading
from events.registrations.registrations import register
from events.registrations.vcard import Card, vcards
from events.tables import Attendee
from tests.events.registrations.test_contacts import CARD, token_of
from tests.events.surveys.test_surveys import messages
from tests.factories import (
    SEED_MUNICIPALITIES,
    attendee_input,
    delegation,
    make_organizer,
    published_session,
    register_delegation,
)

NOT_KANA = "参加者 1 のよみがなは、ひらがなかカタカナで入力してください（空白と「ー」も使えます）。"


def parsed(card: Card) -> Any:
    (component,) = vobject.readComponents(vcards([card]))
    return component


def values(component: Any, name: str) -> list[str]:
    return [line.value for line in component.contents.get(name, [])]


def test_a_reading_with_a_space_gives_family_and_given_phonetic_names() -> None:
    card = parsed(dataclasses.replace(CARD, reading="オカヤマ ハナコ"))
    assert values(card, "sort-string") == ["オカヤマ ハナコ"]
    assert values(card, "x-phonetic-last-name") == ["オカヤマ"]
    assert values(card, "x-phonetic-first-name") == ["ハナコ"]
    # The name itself is untouched.
    assert (card.n.value.family, card.n.value.given) == ("岡山", "花子")


def test_a_reading_without_a_space_is_all_family_name() -> None:
    card = parsed(dataclasses.replace(CARD, reading="おかやまはなこ"))
    assert values(card, "x-phonetic-last-name") == ["おかやまはなこ"]
    assert values(card, "x-phonetic-first-name") == []
    assert values(card, "sort-string") == ["おかやまはなこ"]


def test_no_reading_writes_no_phonetic_lines() -> None:
    text = vcards([CARD])
    assert "SORT-STRING" not in text and "X-PHONETIC" not in text
    assert values(parsed(CARD), "x-phonetic-last-name") == []


def test_a_long_reading_is_folded_and_parses_back_whole() -> None:
    reading = "ながい" * 20 + " " + "よみがな" * 10
    card = parsed(dataclasses.replace(CARD, reading=reading))
    assert values(card, "sort-string") == [reading]
    assert values(card, "x-phonetic-first-name") == ["よみがな" * 10]
    text = vcards([dataclasses.replace(CARD, reading=reading)])
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("やまだ たろう", "やまだ たろう"),
        ("ヤマダ\u3000タロウ", "ヤマダ タロウ"),  # an ideographic space
        ("  ﾔﾏﾀﾞ  ﾀﾛｳ ", "ヤマダ タロウ"),  # half-width katakana, extra spaces
        ("ヴィーナス", "ヴィーナス"),
        ("", ""),
    ],
)
async def test_a_reading_is_stored_normalized(typed: str, stored: str) -> None:
    assert normalized_reading(typed) == stored
    _, accesses = await published_session(await make_organizer(), SEED_MUNICIPALITIES[:1])
    [access] = accesses.values()
    await register(access, delegation(attendee_input(access.municipality_code, reading=typed)))
    assert await Attendee.select(Attendee.reading) == [{"reading": stored}]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("山田 太郎", NOT_KANA),
        ("yamada taro", NOT_KANA),
        ("やまだ・たろう", NOT_KANA),
        ("やまだ1", NOT_KANA),
        ("や" * 101, "参加者 1 のよみがなは100文字以内にしてください。"),
    ],
)
async def test_a_reading_that_is_not_kana_is_refused_with_nothing_written(
    typed: str, message: str
) -> None:
    _, accesses = await published_session(await make_organizer(), SEED_MUNICIPALITIES[:1])
    [access] = accesses.values()
    with pytest.raises(ValidationError) as refused:
        await register(access, delegation(attendee_input(access.municipality_code, reading=typed)))
    assert messages(refused.value) == [("attendees[0].reading", message)]
    assert await Attendee.count() == 0


async def test_the_contact_exchange_vcard_carries_the_readings(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    codes = SEED_MUNICIPALITIES[:3]
    session, accesses = await published_session(organizer, codes)
    readings = {codes[0]: "おかやま はなこ", codes[1]: "オカヤマシ", codes[2]: ""}
    people = [
        (
            await register_delegation(
                accesses[code], attendee_input(code, share_contact=True, reading=readings[code])
            )
        )[0]
        for code in codes
    ]
    await assign_groups(organizer, session.id, 3, 3, seed=1, mode="tracks")
    await publish_groups(organizer, session.id)
    response = await client.get(f"/a/{token_of(people[2])}/contacts.vcf")
    cards = {card.fn.value: card for card in vobject.readComponents(response.text)}
    first, second = cards["参加者330001の1"], cards["参加者331007の1"]
    assert values(first, "x-phonetic-last-name") == ["おかやま"]
    assert values(first, "x-phonetic-first-name") == ["はなこ"]
    assert values(second, "x-phonetic-last-name") == ["オカヤマシ"]
    assert values(second, "sort-string") == ["オカヤマシ"]
