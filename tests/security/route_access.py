"""Who may call which route: one row per route of the app, read by test_authorisation_matrix.

A new route fails that test until it has a row here. A row names the roles that may use the
route (see world.ROLES) and how to fill its path for a given role: the resource attacked is
always the owner's (session, poll, municipality A), while a token in the path is the one the
role holds itself, or one of the wrong kind, or an unknown one.

A feature whose routes need data of their own (a survey, a board question, a sent mail) adds
it to world.build_world and its ids to World, then its rows here; the CSRF, public-page and
hostile-form tests read the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.security.world import (
    CODE_A,
    CODE_B,
    CODE_J,
    CODE_J2,
    ORGANIZER_ROLES,
    UNKNOWN_TOKEN,
    HeldWorld,
    World,
)

Params = Callable[[World, str], dict[str, str]]
Body = Callable[[World], Any]

EVERYONE = frozenset(
    ("anonymous", "attendee_a", "coordinator_a", "coordinator_b", *ORGANIZER_ROLES)
)
ORGANIZERS = frozenset(ORGANIZER_ROLES)
OWNER = frozenset(("owner", "admin"))
COORDINATORS = frozenset(("coordinator_a", "coordinator_b"))
ATTENDEE = frozenset(("attendee_a",))
ADMIN = frozenset(("admin",))


@dataclass(frozen=True)
class Expect:
    allowed: frozenset[str]
    params: Params = lambda world, role: {}
    # Query string and a JSON body (form fields for an HTML form) that would pass validation:
    # refusals must not hide behind a 400 or 404 that anyone would get.
    query: Callable[[World], dict[str, str]] | None = None
    body: Body | None = None


def in_series(world: World) -> dict[str, str]:
    return {"series": str(world.series_id)}


def delegation_body(world: World) -> dict[str, Any]:
    person = {
        "name": "試験太郎",
        "department": "情報政策課",
        "position": "staff",
        "email": "shiken.taro@example.lg.jp",
    }
    return {"plan_status": "drafting", "attendees": [person]}


def session(world: World, role: str) -> dict[str, str]:
    return {"session_id": str(world.session_id)}


def group_sheet(world: World, role: str) -> dict[str, str]:
    return {"session_id": str(world.session_id), "topic_id": str(world.topic_id)}


def municipality_a(world: World, role: str) -> dict[str, str]:
    return {"code": CODE_A}


def session_and_a(world: World, role: str) -> dict[str, str]:
    return {"session_id": str(world.session_id), "code": CODE_A}


def session_and_j(world: World, role: str) -> dict[str, str]:
    """A join request is answered once: the admin answers the second one."""
    return {"session_id": str(world.session_id), "code": CODE_J2 if role == "admin" else CODE_J}


def session_action(action: str) -> Params:
    return lambda world, role: {"session_id": str(world.session_id), "action": action}


def poll(world: World, role: str) -> dict[str, str]:
    return {"poll_id": str(world.poll_id)}


def coordinator_token(world: World, role: str) -> dict[str, str]:
    """Coordinators use their own link; the attendee tries theirs (a link of another kind)."""
    tokens = {
        "coordinator_a": world.coordinator_tokens["330001"],
        "coordinator_b": world.coordinator_tokens["331007"],
        "attendee_a": world.attendee_token_a,
    }
    return {"token": tokens.get(role, UNKNOWN_TOKEN)}


def attendee_token(world: World, role: str) -> dict[str, str]:
    tokens = {
        "attendee_a": world.attendee_token_a,
        "coordinator_a": world.coordinator_tokens["330001"],
        "coordinator_b": world.coordinator_tokens["331007"],
    }
    return {"token": tokens.get(role, UNKNOWN_TOKEN)}


def poll_token(world: World, role: str) -> dict[str, str]:
    """A poll goes to the municipalities' contacts: the coordinators here."""
    tokens = {
        "coordinator_a": world.poll_tokens["330001"],
        "coordinator_b": world.poll_tokens["331007"],
        "attendee_a": world.attendee_token_a,
    }
    return {"token": tokens.get(role, UNKNOWN_TOKEN), "poll_id": str(world.poll_id)}


def _held(world: World) -> HeldWorld:
    assert world.held is not None
    return world.held


def held_session(world: World, role: str) -> dict[str, str]:
    return {"session_id": str(_held(world).session_id)}


def held_attendee_token(world: World, role: str) -> dict[str, str]:
    """The survey goes to attendees of the held session; coordinators try their own links."""
    held = _held(world)
    tokens = {
        "attendee_a": held.attendee_token_a,
        "coordinator_a": held.coordinator_tokens[CODE_A],
        "coordinator_b": held.coordinator_tokens[CODE_B],
    }
    return {"token": tokens.get(role, UNKNOWN_TOKEN)}


def held_coordinator_token(world: World, role: str) -> dict[str, str]:
    """B was invited to the held session but did not attend: it has no say in the report."""
    held = _held(world)
    tokens = {
        "coordinator_a": held.coordinator_tokens[CODE_A],
        "coordinator_b": held.coordinator_tokens[CODE_B],
        "attendee_a": held.attendee_token_a,
    }
    return {"token": tokens.get(role, UNKNOWN_TOKEN)}


def board(extra: Callable[[HeldWorld], dict[str, str]] = lambda held: {}) -> Params:
    """Attendee A's own link to the board of the owner's series (A asked and answered)."""
    return lambda world, role: {**attendee_token(world, role), **extra(_held(world))}


def question(held: HeldWorld) -> dict[str, str]:
    return {"question_id": str(held.question_id)}


def answer(held: HeldWorld) -> dict[str, str]:
    return {"answer_id": str(held.answer_id)}


def series(world: World, role: str) -> dict[str, str]:
    return {"series_id": str(world.series_id)}


def series_question(world: World, role: str) -> dict[str, str]:
    return {**series(world, role), **question(_held(world))}


def unsubscribe_token(world: World, role: str) -> dict[str, str]:
    token = _held(world).unsubscribe_token if role == "attendee_a" else UNKNOWN_TOKEN
    return {"token": token}


def report(world: World, role: str) -> dict[str, str]:
    return {"report_id": str(_held(world).report_id)}


def report_version(world: World, role: str) -> dict[str, str]:
    return {**report(world, role), "version": "v1"}


def held_mail(world: World, role: str) -> dict[str, str]:
    held = _held(world)
    """A failed message is resent once: the admin resends the second one."""
    message_id = held.message_ids[1] if role == "admin" else held.message_ids[0]
    return {"session_id": str(held.session_id), "message_id": str(message_id)}


def own_attendee(world: World, role: str) -> dict[str, str]:
    """A coordinator's link with an attendee of their own delegation."""
    attendee = world.own_attendee.get(role, world.own_attendee["coordinator_a"])
    return {**coordinator_token(world, role), "attendee_id": str(attendee)}


def mailbox_message(world: World, role: str) -> dict[str, str]:
    return {"message_id": str(world.mailbox_message_id)}


def ask_body(world: World) -> dict[str, Any]:
    return {"title": "庁内研修の評価方法", "body": "研修の効果をどのように測っていますか。"}


EXPECTATIONS: dict[str, Expect] = {
    # Public pages, feeds and documents.
    "GET /": Expect(EVERYONE),
    "GET /healthz": Expect(EVERYONE),
    "GET /language/{locale}": Expect(EVERYONE, lambda w, r: {"locale": "en"}),
    "GET /login": Expect(EVERYONE),
    "POST /login": Expect(EVERYONE),
    "POST /logout": Expect(EVERYONE),
    "GET /municipalities": Expect(EVERYONE),
    "GET /municipalities/{code}": Expect(EVERYONE, municipality_a),
    "GET /municipalities/{code}/network": Expect(EVERYONE, municipality_a),
    "GET /api/municipalities/{code}/network": Expect(EVERYONE, municipality_a),
    "GET /regions/{slug}/network": Expect(EVERYONE, lambda w, r: {"slug": "chushikoku"}),
    "GET /sessions": Expect(EVERYONE),
    "GET /sessions/{session_id}": Expect(EVERYONE, session),
    "GET /sessions/{session_id}/calendar.ics": Expect(EVERYONE, session),
    "GET /sessions/{session_id}/join": Expect(EVERYONE, session),
    "POST /sessions/{session_id}/join": Expect(EVERYONE, session),
    "GET /schema": Expect(EVERYONE),
    "GET /schema/openapi.json": Expect(EVERYONE),
    "GET /schema/{path}": Expect(frozenset(), lambda w, r: {"path": "swagger"}),
    "GET /static/{file_path}": Expect(EVERYONE, lambda w, r: {"file_path": "tsunagu.css"}),
    "HEAD /static/{file_path}": Expect(EVERYONE, lambda w, r: {"file_path": "tsunagu.css"}),
    # Personal links.
    "GET /r/{token}": Expect(COORDINATORS, coordinator_token),
    "POST /r/{token}": Expect(COORDINATORS, coordinator_token),
    "GET /r/{token}/cancel": Expect(COORDINATORS, coordinator_token),
    "POST /r/{token}/cancel": Expect(COORDINATORS, coordinator_token),
    "POST /r/{token}/report-consent": Expect(COORDINATORS, coordinator_token),
    "GET /r/{token}/attendees/{attendee_id}/remove": Expect(COORDINATORS, own_attendee),
    "POST /r/{token}/attendees/{attendee_id}/remove": Expect(COORDINATORS, own_attendee),
    "POST /r/{token}/attendees/{attendee_id}/restore": Expect(COORDINATORS, own_attendee),
    "GET /a/{token}": Expect(ATTENDEE, attendee_token),
    "POST /a/{token}/consent": Expect(ATTENDEE, attendee_token),
    "GET /a/{token}/calendar.ics": Expect(ATTENDEE, attendee_token),
    "GET /a/{token}/contacts": Expect(ATTENDEE, attendee_token),
    "GET /a/{token}/contacts.csv": Expect(ATTENDEE, attendee_token),
    "GET /a/{token}/contacts.vcf": Expect(ATTENDEE, attendee_token),
    "GET /p/{token}": Expect(COORDINATORS, lambda w, r: {"token": poll_token(w, r)["token"]}),
    "POST /p/{token}": Expect(COORDINATORS, lambda w, r: {"token": poll_token(w, r)["token"]}),
    "GET /api/invitations/{token}": Expect(COORDINATORS, coordinator_token),
    "POST /api/invitations/{token}/registration": Expect(
        COORDINATORS, coordinator_token, body=delegation_body
    ),
    "PUT /api/invitations/{token}/registration": Expect(
        COORDINATORS, coordinator_token, body=delegation_body
    ),
    "DELETE /api/invitations/{token}/registration": Expect(COORDINATORS, coordinator_token),
    "GET /api/date-polls/{poll_id}/answers/{token}": Expect(COORDINATORS, poll_token),
    "PUT /api/date-polls/{poll_id}/answers/{token}": Expect(
        COORDINATORS, poll_token, body=lambda w: {"answers": {}}
    ),
    # Any organizer: their own lists and forms.
    "GET /organizer": Expect(ORGANIZERS),
    "GET /organizer/series": Expect(ORGANIZERS),
    "GET /organizer/series/new": Expect(ORGANIZERS),
    "POST /organizer/series/new": Expect(ORGANIZERS),
    "GET /organizer/sessions/new": Expect(OWNER, query=in_series),
    "POST /organizer/sessions/new": Expect(OWNER, query=in_series),
    "GET /organizer/polls": Expect(ORGANIZERS),
    "GET /organizer/polls/new": Expect(ORGANIZERS),
    "POST /organizer/polls/new": Expect(ORGANIZERS),
    "GET /organizer/municipalities/{code}/participation": Expect(ORGANIZERS, municipality_a),
    "GET /organizer/municipalities/{code}/participation.csv": Expect(ORGANIZERS, municipality_a),
    "GET /organizer/municipalities/{code}/participation.xlsx": Expect(ORGANIZERS, municipality_a),
    "GET /organizer/municipalities/{code}/participation-summary.csv": Expect(
        ORGANIZERS, municipality_a
    ),
    "GET /organizer/municipalities/{code}/participation-summary.xlsx": Expect(
        ORGANIZERS, municipality_a
    ),
    "POST /api/series": Expect(ORGANIZERS),
    "GET /api/sessions": Expect(ORGANIZERS),
    "POST /api/sessions": Expect(ORGANIZERS),
    "POST /api/date-polls": Expect(ORGANIZERS),
    # The owner of the series (and admins): one session, one poll.
    "GET /organizer/sessions/{session_id}": Expect(OWNER, session),
    "GET /organizer/sessions/{session_id}/edit": Expect(OWNER, session),
    "POST /organizer/sessions/{session_id}/edit": Expect(OWNER, session),
    "GET /organizer/sessions/{session_id}/status/{action}": Expect(
        OWNER, session_action("close_registration")
    ),
    "POST /organizer/sessions/{session_id}/status/{action}": Expect(
        OWNER, session_action("close_registration"), body=lambda world: {"confirm": "1"}
    ),
    "GET /organizer/sessions/{session_id}/invitations": Expect(OWNER, session),
    "POST /organizer/sessions/{session_id}/invitations": Expect(OWNER, session),
    "POST /organizer/sessions/{session_id}/invitations/{code}/reissue": Expect(
        OWNER, session_and_a
    ),
    "POST /organizer/sessions/{session_id}/invitations/{code}/revoke": Expect(OWNER, session_and_a),
    "POST /organizer/sessions/{session_id}/invitations/{code}/move": Expect(
        OWNER, session_and_a, body=lambda world: {"direction": "down"}
    ),
    "GET /organizer/sessions/{session_id}/join-requests": Expect(OWNER, session),
    "POST /organizer/sessions/{session_id}/join-requests/{code}/approve": Expect(
        OWNER, session_and_j
    ),
    "POST /organizer/sessions/{session_id}/join-requests/{code}/decline": Expect(
        OWNER, session_and_j
    ),
    "GET /organizer/sessions/{session_id}/registrations": Expect(OWNER, session),
    "GET /organizer/sessions/{session_id}/registrations.csv": Expect(OWNER, session),
    "GET /organizer/sessions/{session_id}/registrations.xlsx": Expect(OWNER, session),
    "GET /organizer/sessions/{session_id}/groups": Expect(OWNER, session),
    "POST /organizer/sessions/{session_id}/groups/assign": Expect(OWNER, session),
    "POST /organizer/sessions/{session_id}/groups/lock": Expect(OWNER, session),
    "POST /organizer/sessions/{session_id}/groups/moves": Expect(OWNER, session),
    "GET /organizer/sessions/{session_id}/groups/publish": Expect(OWNER, session),
    "POST /organizer/sessions/{session_id}/groups/publish": Expect(
        OWNER, session, body=lambda world: {"confirm": "1"}
    ),
    "GET /organizer/sessions/{session_id}/groups/zoom.csv": Expect(OWNER, session),
    "GET /organizer/sessions/{session_id}/groups/{topic_id}/zoom.csv": Expect(OWNER, group_sheet),
    "GET /organizer/sessions/{session_id}/groups/rotation": Expect(OWNER, session),
    "GET /organizer/sessions/{session_id}/groups/{topic_id}/sheet": Expect(OWNER, group_sheet),
    "GET /organizer/polls/{poll_id}": Expect(OWNER, poll),
    "GET /organizer/polls/{poll_id}/results.csv": Expect(OWNER, poll),
    "GET /organizer/polls/{poll_id}/results.xlsx": Expect(OWNER, poll),
    "POST /organizer/polls/{poll_id}/close": Expect(OWNER, poll),
    "POST /organizer/polls/{poll_id}/decide": Expect(OWNER, poll),
    "POST /organizer/polls/{poll_id}/remind": Expect(OWNER, poll),
    "GET /api/sessions/{session_id}": Expect(OWNER, session),
    "PATCH /api/sessions/{session_id}": Expect(OWNER, session),
    "POST /api/sessions/{session_id}/cancel": Expect(OWNER, session),
    "POST /api/sessions/{session_id}/close": Expect(OWNER, session),
    "POST /api/sessions/{session_id}/held": Expect(OWNER, session),
    "POST /api/sessions/{session_id}/publish": Expect(OWNER, session),
    "POST /api/sessions/{session_id}/invitations": Expect(
        OWNER, session, body=lambda w: {"codes": ["350001"]}
    ),
    "GET /api/sessions/{session_id}/registrations": Expect(OWNER, session),
    "GET /api/sessions/{session_id}/registrations.csv": Expect(OWNER, session),
    "GET /api/sessions/{session_id}/registrations.xlsx": Expect(OWNER, session),
    "GET /api/sessions/{session_id}/assignment": Expect(OWNER, session),
    "POST /api/sessions/{session_id}/assignment": Expect(
        OWNER, session, body=lambda w: {"min_group_size": 1, "max_group_size": 3}
    ),
    "POST /api/sessions/{session_id}/assignment/moves": Expect(
        OWNER, session, body=lambda w: {"attendee_id": 1, "topic_id": w.topic_id, "group": 1}
    ),
    "POST /api/sessions/{session_id}/assignment/publish": Expect(OWNER, session),
    "GET /api/date-polls/{poll_id}": Expect(OWNER, poll),
    "POST /api/date-polls/{poll_id}/close": Expect(OWNER, poll),
    "POST /api/date-polls/{poll_id}/decide": Expect(OWNER, poll, body=lambda w: {"slot": 1}),
    "POST /api/date-polls/{poll_id}/remind": Expect(OWNER, poll),
}

# Routes about what follows a session: their worlds also hold world.held (build_world(held=True)).
AFTER_THE_SESSION: dict[str, Expect] = {
    # Public pages of what sessions produced: calendars and published reports.
    "GET /calendars": Expect(EVERYONE),
    "GET /regions/{slug}/calendar.ics": Expect(EVERYONE, lambda w, r: {"slug": "chushikoku"}),
    "GET /reports": Expect(EVERYONE),
    "GET /reports/feed.atom": Expect(EVERYONE),
    "GET /reports/{report_id}": Expect(EVERYONE, report),
    "GET /reports/{report_id}/{version}": Expect(EVERYONE, report_version),
    "GET /api/reports": Expect(EVERYONE),
    "GET /api/reports/search": Expect(EVERYONE, query=lambda w: {"q": "研修"}),
    # The series' board: attendees of its sessions by personal link, its organizer.
    "GET /a/{token}/board": Expect(ATTENDEE, board()),
    "GET /a/{token}/board/ask": Expect(ATTENDEE, board()),
    "POST /a/{token}/board/ask": Expect(ATTENDEE, board()),
    "POST /a/{token}/board/mail": Expect(ATTENDEE, board()),
    "GET /a/{token}/board/questions/{question_id}": Expect(ATTENDEE, board(question)),
    "GET /a/{token}/board/questions/{question_id}/edit": Expect(ATTENDEE, board(question)),
    "POST /a/{token}/board/questions/{question_id}/edit": Expect(ATTENDEE, board(question)),
    "POST /a/{token}/board/questions/{question_id}/answers": Expect(ATTENDEE, board(question)),
    "GET /a/{token}/board/answers/{answer_id}/edit": Expect(ATTENDEE, board(answer)),
    "POST /a/{token}/board/answers/{answer_id}/edit": Expect(ATTENDEE, board(answer)),
    "POST /a/{token}/board/answers/{answer_id}/helpful": Expect(ATTENDEE, board(answer)),
    "GET /api/board/{token}/questions": Expect(ATTENDEE, board()),
    "POST /api/board/{token}/questions": Expect(ATTENDEE, board(), body=ask_body),
    "GET /api/board/{token}/questions/{question_id}": Expect(ATTENDEE, board(question)),
    "POST /api/board/{token}/questions/{question_id}/answers": Expect(
        ATTENDEE, board(question), body=lambda w: {"body": "研修管理システムを使っています。"}
    ),
    "PUT /api/board/{token}/answers/{answer_id}/helpful": Expect(
        ATTENDEE, board(answer), body=lambda w: {"helpful": True}
    ),
    "GET /board/unsubscribe/{token}": Expect(ATTENDEE, unsubscribe_token),
    "POST /board/unsubscribe/{token}": Expect(ATTENDEE, unsubscribe_token),
    "GET /organizer/series/{series_id}/board": Expect(OWNER, series),
    "GET /organizer/series/{series_id}/board/questions/{question_id}": Expect(
        OWNER, series_question
    ),
    "POST /organizer/series/{series_id}/board/moderate": Expect(OWNER, series),
    "POST /organizer/series/{series_id}/board/questions/{question_id}/promote": Expect(
        OWNER, series_question
    ),
    "POST /api/series/{series_id}/board/moderation": Expect(
        OWNER, series, body=lambda w: {"action": "lock", "question": _held(w).question_id}
    ),
    "POST /api/series/{series_id}/board/questions/{question_id}/promote": Expect(
        OWNER, series_question
    ),
    # Surveys: attendees of the held session answer; its organizer opens, closes, reads.
    "GET /a/{token}/survey": Expect(ATTENDEE, held_attendee_token),
    "POST /a/{token}/survey": Expect(ATTENDEE, held_attendee_token),
    "GET /api/attendees/{token}/survey": Expect(ATTENDEE, held_attendee_token),
    "POST /api/attendees/{token}/survey": Expect(
        ATTENDEE, held_attendee_token, body=lambda w: {"answers": {}}
    ),
    "GET /organizer/series/{series_id}/survey": Expect(OWNER, series),
    "POST /organizer/series/{series_id}/survey": Expect(OWNER, series),
    "GET /organizer/sessions/{session_id}/survey": Expect(OWNER, held_session),
    "GET /organizer/sessions/{session_id}/survey/results.csv": Expect(OWNER, held_session),
    "GET /organizer/sessions/{session_id}/survey/results.xlsx": Expect(OWNER, held_session),
    "GET /organizer/sessions/{session_id}/survey/open": Expect(OWNER, held_session),
    "POST /organizer/sessions/{session_id}/survey/open": Expect(
        OWNER, held_session, body=lambda world: {"confirm": "1"}
    ),
    "POST /organizer/sessions/{session_id}/survey/close": Expect(OWNER, held_session),
    "GET /api/sessions/{session_id}/survey": Expect(OWNER, held_session),
    "POST /api/sessions/{session_id}/survey/open": Expect(OWNER, held_session),
    "POST /api/sessions/{session_id}/survey/close": Expect(OWNER, held_session),
    # A session's mail: what went out, previews, a test to oneself, resending a failure.
    "GET /organizer/sessions/{session_id}/mail": Expect(OWNER, held_session),
    "GET /organizer/sessions/{session_id}/mail/{kind}/preview.html": Expect(
        OWNER, lambda w, r: {**held_session(w, r), "kind": "confirmation"}
    ),
    "POST /organizer/sessions/{session_id}/mail/test": Expect(
        OWNER, held_session, body=lambda w: {"kind": "confirmation"}
    ),
    "POST /organizer/sessions/{session_id}/mail/{message_id}/resend": Expect(OWNER, held_mail),
    # The development mailbox holds everyone's mail: administrators only.
    "GET /dev/mail": Expect(ADMIN),
    "GET /dev/mail/{message_id}": Expect(ADMIN, mailbox_message),
    "GET /dev/mail/{message_id}/html": Expect(ADMIN, mailbox_message),
    "GET /dev/mail/{message_id}/attachments/{number}": Expect(
        ADMIN, lambda w, r: {**mailbox_message(w, r), "number": "0"}
    ),
    # Notes and the report: the organizer writes, attending coordinators check the draft.
    "GET /organizer/sessions/{session_id}/notes": Expect(OWNER, held_session),
    "POST /organizer/sessions/{session_id}/notes": Expect(OWNER, held_session),
    "GET /organizer/sessions/{session_id}/report": Expect(OWNER, held_session),
    "POST /organizer/sessions/{session_id}/report/generate": Expect(OWNER, held_session),
    "POST /organizer/sessions/{session_id}/report/blocks": Expect(OWNER, held_session),
    "POST /organizer/sessions/{session_id}/report/participants": Expect(OWNER, held_session),
    "POST /organizer/sessions/{session_id}/report/fact-check": Expect(OWNER, held_session),
    "GET /organizer/sessions/{session_id}/report/publish": Expect(OWNER, held_session),
    "POST /organizer/sessions/{session_id}/report/publish": Expect(
        OWNER, held_session, body=lambda world: {"confirm": "1"}
    ),
    "POST /api/sessions/{session_id}/notes": Expect(
        OWNER, held_session, body=lambda w: {"text": "次回は評価方法を取り上げる。"}
    ),
    "POST /api/sessions/{session_id}/report": Expect(OWNER, held_session),
    "PATCH /api/reports/{report_id}": Expect(OWNER, report, body=lambda w: {"tags": ["研修"]}),
    "POST /api/reports/{report_id}/fact-check": Expect(OWNER, report),
    "POST /api/reports/{report_id}/publish": Expect(OWNER, report),
    "GET /r/{token}/report": Expect(frozenset(("coordinator_a",)), held_coordinator_token),
    "POST /r/{token}/report": Expect(frozenset(("coordinator_a",)), held_coordinator_token),
}

EXPECTATIONS.update(AFTER_THE_SESSION)
