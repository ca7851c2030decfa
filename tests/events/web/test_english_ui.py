"""The English UI: every msgid has an English translation, and pages and mails read in English.

Japanese that remains on an English page must be data: municipality and prefecture names and
their readings, and the name of the language 日本語 in the switcher (marked lang="ja").
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import httpx
import pytest

from events.accounts.organizers import OrganizerIdentity
from events.board.mail import AnnouncedAnswer
from events.date_polls.queries import recipients_of
from events.groups.placement import GroupPlacement, Placement
from events.invitations.invitations import access_by_token, invite
from events.lib.catalog import extract, load, untranslated
from events.lib.i18n import N_, use_locale
from events.mail.compose import compose
from events.sessions.agenda import Segment
from events.sessions.exchange_sessions import get_session
from events.sessions.lifecycle import Transition
from events.sessions.transitions import apply
from events.tables import OutboxMessage
from events.templating import TEMPLATES_DIR
from events.web.requests import LOCALE_COOKIE
from networking.municipalities import read_data_file
from tests.factories import (
    attendee_token,
    make_poll,
    make_series,
    make_session,
    person,
    register_delegation,
)
from tests.helpers import post_form, signed_in_organizer

# Kana, kanji and full-width forms: any of them outside data means a string was missed.
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]+")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
_MARKED_JAPANESE = re.compile(r'<(\w+)[^>]*\blang="ja"[^>]*>.*?</\1>', re.DOTALL)

ENGLISH_AGENDA = (
    Segment(kind="other", title="Opening", minutes=5),
    Segment(kind="sharing", title="Sharing", minutes=40, items=("DX plan", "Training")),
    Segment(kind="discussion", title="Working with HR", minutes=30, items=("Career paths",)),
    Segment(kind="discussion", title="KPIs", minutes=30, items=("Measuring skills",)),
)


def test_every_msgid_has_an_english_translation() -> None:
    """New UI text must come with its English: run `python -m events.lib.catalog update`."""
    assert untranslated("en") == []


def test_english_translations_keep_the_placeholders_of_their_msgid() -> None:
    """A translation that loses or renames %(name)s would fail when the page is rendered.

    Plural forms may leave the count out ("once"), never the other placeholders.
    """
    catalog = load("en")
    wrong = []
    for message in extract():
        translated = catalog.get(message.id, context=message.context)
        if not message.id or translated is None or not translated.string:
            continue
        # babel types a plural id or translation as a tuple or a list (its `pluralizable`).
        ids = tuple(message.id) if isinstance(message.id, (tuple, list)) else (message.id,)
        string = translated.string
        forms = tuple(string) if isinstance(string, (tuple, list)) else (string,)
        expected = {name for text in ids for name in _PLACEHOLDER.findall(text)}
        for form in forms:
            found = set(_PLACEHOLDER.findall(form))
            optional = {"%(num)s", "%(num)d"} if len(ids) > 1 else set()
            if not found <= expected or (expected - optional) - found:
                wrong.append((ids[0], form))
    assert wrong == []


@cache
def _data_pattern() -> re.Pattern[str]:
    """Municipality and prefecture names and readings: proper nouns that stay in Japanese."""
    names: set[str] = set()
    for record in read_data_file():
        names.update({record.name, record.prefecture, record.kana, record.display_name})
    alternatives = sorted(names, key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in alternatives))


def japanese_outside_data(text: str, *, context: int = 0) -> list[str]:
    """Runs of Japanese script left once data and the switcher's 日本語 are taken out."""
    text = _data_pattern().sub(" ", _MARKED_JAPANESE.sub(" ", text))
    return [
        text[max(match.start() - context, 0) : match.end() + context]
        for match in JAPANESE.finditer(text)
    ]


def test_the_checker_finds_untranslated_text_and_spares_data() -> None:
    assert japanese_outside_data("<p>Okayama 岡山市 (岡山県) オカヤマシ</p>") == []
    assert japanese_outside_data('<a lang="ja" href="/language/ja">日本語</a>') == []
    assert japanese_outside_data("<p>岡山市の交流ネットワーク</p>") == ["の交流ネットワーク"]
    assert japanese_outside_data("<p>Date（JST）</p>") == ["（", "）"]


async def english_session(
    organizer: OrganizerIdentity,
) -> tuple[int, dict[str, str], list[dict[str, Any]]]:
    """A published session with English data; one attendee registered from an English page.

    Returns the session id, the coordinator link tokens by municipality code and the attendees.
    """
    series = await make_series(organizer, title="Chugoku-Shikoku DX talent")
    session = await make_session(
        organizer,
        series_id=series["id"],
        title="Third exchange session",
        background="Sharing how each municipality trains digital talent.",
        agenda=ENGLISH_AGENDA,
    )
    links = await invite(organizer, session.id, ["330001", "331007", "341002"])
    await apply(organizer, session.id, Transition.PUBLISH)
    tokens = {link.code: link.link.rsplit("/", 1)[1] for link in links}
    access = await access_by_token(tokens["330001"])
    sharing = access.session.agenda[1].id
    assert sharing is not None
    with use_locale("en"):
        attendees = await register_delegation(
            access,
            person(1, "330001", name="Hanako Sato", department="Digital Office"),
            answers={sharing: "We run a two-day course."},
        )
    return session.id, tokens, attendees


@pytest.fixture
async def english(client: httpx.AsyncClient) -> httpx.AsyncClient:
    client.cookies.set(LOCALE_COOKIE, "en")
    return client


async def japanese_on(client: httpx.AsyncClient, path: str, status: int = 200) -> list[str]:
    """The untranslated text of the page at `path`, after checking it is an English page."""
    response = await client.get(path)
    assert response.status_code == status, path
    assert '<html lang="en">' in response.text, path
    first_by_run: dict[str, str] = {}
    for snippet in japanese_outside_data(response.text, context=30):
        first_by_run.setdefault("".join(JAPANESE.findall(snippet)), snippet)
    return list(first_by_run.values())


async def test_public_and_personal_pages_read_in_english(english: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(english, name="Secretariat")
    session_id, tokens, attendees = await english_session(organizer)
    english.cookies.delete("tsunagu_session")
    series = await make_series(organizer, title="Scheduling")
    poll = await make_poll(organizer, series_id=series["id"], title="Date poll for session 4")
    [recipient, *_] = await recipients_of(poll.id)
    paths = [
        "/",
        "/sessions",
        f"/sessions/{session_id}",
        f"/sessions/{session_id}/join",
        "/municipalities",
        "/municipalities?q=okayama",
        "/municipalities/330001",
        "/municipalities/330001/network",
        "/regions/chushikoku/network",
        "/login",
        f"/r/{tokens['330001']}",
        f"/r/{tokens['331007']}",
        f"/a/{attendee_token(attendees[0])}",
        recipient.link.removeprefix("http://tsunagu.test"),
    ]
    assert "Upcoming exchange sessions" in (await english.get("/")).text
    found = {path: await japanese_on(english, path) for path in paths}
    found["/no-such-page"] = await japanese_on(english, "/no-such-page", status=404)
    assert {path: text for path, text in found.items() if text} == {}


async def test_public_session_dates_read_naturally_in_english(english: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(english, name="Secretariat")
    session_id, _, _ = await english_session(organizer)
    page = (await english.get(f"/sessions/{session_id}")).text
    assert re.search(r"(Mon|Tue|Wed|Thu|Fri) \d{1,2} [A-Z][a-z]+ 20\d\d 14:00–16:00 JST", page)
    assert "<p>1 municipality: " in page  # counts agree with their noun
    english.cookies.set(LOCALE_COOKIE, "ja")
    assert "<p>1団体: " in (await english.get(f"/sessions/{session_id}")).text


async def test_organizer_pages_and_form_errors_read_in_english(
    english: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(english, name="Secretariat")
    session_id, _, _ = await english_session(organizer)
    series_id = (await make_series(organizer, title="Another series"))["id"]
    paths = (
        "/organizer",
        "/organizer/series",
        "/organizer/series/new",
        f"/organizer/sessions/new?series={series_id}",
        f"/organizer/sessions/{session_id}",
        f"/organizer/sessions/{session_id}/edit",
        f"/organizer/sessions/{session_id}/invitations",
        f"/organizer/sessions/{session_id}/registrations",
        f"/organizer/sessions/{session_id}/groups",
        "/organizer/polls",
        "/organizer/polls/new",
    )
    found = {path: await japanese_on(english, path) for path in paths}
    assert {path: text for path, text in found.items() if text} == {}
    refused = await post_form(english, f"/organizer/sessions/new?series={series_id}", {})
    assert refused.status_code in {400, 422}
    assert "Enter a title." in refused.text
    assert japanese_outside_data(refused.text) == []


async def test_mail_to_an_english_registrant_is_in_english(english: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(english, name="Secretariat")
    await english_session(organizer)
    [mail] = await OutboxMessage.select().where(OutboxMessage.kind == "confirmation")
    assert mail["subject"].startswith("[Registration complete] Third exchange session (")
    for part in (mail["subject"], mail["text_body"], mail["html_body"]):
        assert japanese_outside_data(part) == []
    assert "Your registration for" in mail["text_body"]


def _mail_kinds() -> list[str]:
    return sorted(
        path.name.removesuffix(".subject.txt.jinja2")
        for path in (TEMPLATES_DIR / "emails").glob("*.subject.txt.jinja2")
    )


async def test_every_kind_of_mail_reads_in_english(english: httpx.AsyncClient) -> None:
    """Each mail template, rendered in English with real data: a new kind must be added here."""
    organizer = await signed_in_organizer(english, name="Secretariat")
    contexts = await mail_contexts(organizer)
    found = {}
    for kind, context in contexts.items():
        mail = compose(kind, "en", **context)
        found[kind] = [
            text
            for part in (mail.subject, mail.text, mail.html)
            for text in japanese_outside_data(part, context=30)
        ]
    assert {kind: texts for kind, texts in found.items() if texts} == {}


async def mail_contexts(organizer: OrganizerIdentity) -> dict[str, dict[str, Any]]:
    """What each kind of mail is rendered with, on real data: every kind, checked below."""
    session_id, _, [attendee] = await english_session(organizer)
    session = await get_session(session_id)
    series = await make_series(organizer, title="Scheduling")
    poll = await make_poll(organizer, series_id=series["id"], title="Date poll for session 4")
    [recipient, *_] = await recipients_of(poll.id)
    hr = session.discussions[0]
    group = Placement(
        (
            GroupPlacement(
                session_id=session.id,
                topic_id=hr.id or 0,
                topic_title=hr.title,
                points=hr.items,
                group_number=1,
                municipalities=("岡山市", "倉敷市"),
                round_number=1,
            ),
        )
    )
    participant = {
        "session": session,
        "attendee": attendee,
        "personal_link": "http://tsunagu.test/a/token",
        "session_link": f"http://tsunagu.test/sessions/{session.id}",
        "with_join": True,
        "group": group,
    }
    municipality = {
        "session": session,
        "municipality_name": "岡山市",
        "session_link": f"http://tsunagu.test/sessions/{session.id}",
    }
    answer = AnnouncedAnswer(
        answer_id=1,
        series_title="Chugoku-Shikoku DX talent",
        question_title="How do you measure skills?",
        author="岡山市 Digital Office",
        excerpt="We use a short test after each course.",
        link="http://tsunagu.test/board/question",
    )
    board = {
        "answers": [answer],
        "unsubscribe": "http://tsunagu.test/board/unsubscribe/token",
        "day": session.starts_at.date(),
    }
    contexts: dict[str, dict[str, Any]] = {
        "attendee_cancelled": participant,
        "confirmation": participant,
        "promoted": participant,
        "reminder": participant,
        "waitlisted": {**participant, "with_join": False, "position": 2},
        "update": {
            **participant,
            "changed_labels": [N_("日時"), N_("タイトル")],
            "previous": session,
            "time_changed": True,
        },
        "session_cancelled": {**participant, "reason": "The venue is closed."},
        "group_assigned": participant,
        "group_changed": {**participant, "previous": "KPIs – group B"},
        "join_approved": {**municipality, "link": "http://tsunagu.test/r/token"},
        "join_declined": {**municipality, "reason": "The session is full."},
        "board_answer": board,
        "board_digest": board,
        "date_poll_invitation": {"poll": poll, "recipient": recipient},
        "date_poll_reminder": {"poll": poll, "recipient": recipient},
        "date_poll_decision": {
            "poll": poll,
            "recipient": recipient,
            "chosen": poll.slots[0],
            "cannot_attend": True,
        },
        "coordinator_invitation": {
            "session": session,
            "municipality": "岡山市",
            "coordinator_link": "http://tsunagu.test/r/token",
            "session_link": f"http://tsunagu.test/sessions/{session.id}",
        },
        "report_fact_check": {
            **municipality,
            "link": "http://tsunagu.test/r/token/report",
        },
        "report_published": {
            "session": session,
            "report_url": "http://tsunagu.test/reports/1/v/1",
        },
        "survey_invitation": {
            "session": session,
            "attendee": attendee,
            "survey_link": "http://tsunagu.test/a/token/survey",
        },
    }
    assert set(contexts) == set(_mail_kinds())
    return contexts
