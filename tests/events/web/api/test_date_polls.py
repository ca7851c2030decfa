"""JSON API of date polls: organizer operations by bearer token, answers by link token."""

from __future__ import annotations

from typing import Any

import pytest

from events.date_polls.queries import PollView, recipients_of
from events.tables import DatePoll, DatePollAnswer, ExchangeSession, OutboxMessage
from tests.factories import contact_of, make_organizer, make_poll, make_series, poll_slots
from tests.helpers import bearer

INVALID_LINK = (
    "このリンクは無効です。日程調整のメールのリンクをもう一度ご確認いただくか、"
    "主催者にお問い合わせください。"
)


async def answer_path(poll: PollView, index: int = 0) -> str:
    token = (await recipients_of(poll.id))[index].link.rsplit("/", 1)[1]
    return f"/api/date-polls/{poll.id}/answers/{token}"


async def test_schema_names_every_operation(client: Any) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    operations = {
        operation["operationId"]
        for path, methods in schema["paths"].items()
        if path.startswith("/api/date-polls")
        for operation in methods.values()
    }
    assert operations == {
        "createDatePoll",
        "getDatePoll",
        "closeDatePoll",
        "remindDatePoll",
        "decideDatePoll",
        "getDatePollAnswer",
        "answerDatePoll",
    }


async def test_create_returns_the_poll_with_links_and_holiday_warnings(client: Any) -> None:
    organizer = await make_organizer()
    series = await make_series(organizer)
    body = {
        "series": series["id"],
        "title": "第4回の日程調整",
        "slots": [
            {"starts_at": "2030-11-05T14:00:00+09:00", "ends_at": "2030-11-05T16:00:00+09:00"},
            {"starts_at": "2030-11-04T14:00:00+09:00", "ends_at": "2030-11-04T16:00:00+09:00"},
        ],
        "codes": ["330001", "331007"],
        "contact_emails": {"330001": contact_of("330001")},
    }
    response = await client.post("/api/date-polls", json=body, headers=await bearer(organizer))
    assert response.status_code == 201
    poll = response.json()
    assert (poll["title"], poll["status"], poll["session"]) == ("第4回の日程調整", "open", None)
    assert [(s["starts_at"], s["rank"], s["holiday"], s["weekend"]) for s in poll["slots"]] == [
        ("2030-11-04T05:00:00Z", 1, "振替休日", False),
        ("2030-11-05T05:00:00Z", 2, None, False),
    ]
    assert [(r["code"], r["contact_email"], r["answered_at"]) for r in poll["recipients"]] == [
        ("330001", contact_of("330001"), None),
        ("331007", "", None),
    ]
    assert poll["recipients"][0]["link"].startswith("http://tsunagu.test/p/")
    assert poll["warnings"] == [
        {"field": "starts_at", "message": "2030年11月4日(月) は祝日（振替休日）です。"}
    ]
    assert await OutboxMessage.count() == 1


async def test_create_without_slots_is_a_422_and_stores_nothing(client: Any) -> None:
    organizer = await make_organizer()
    series = await make_series(organizer)
    body = {"series": series["id"], "title": "日程調整", "slots": [], "codes": ["330001"]}
    response = await client.post("/api/date-polls", json=body, headers=await bearer(organizer))
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid",
        "message": "候補日時を1つ以上入力してください。",
        "fields": [{"field": "slots", "message": "候補日時を1つ以上入力してください。"}],
    }
    assert await DatePoll.count() == 0


async def test_organizer_operations_need_a_bearer_token(client: Any) -> None:
    poll = await make_poll()
    for response in (
        await client.get(f"/api/date-polls/{poll.id}"),
        await client.post(f"/api/date-polls/{poll.id}/close"),
        await client.post(f"/api/date-polls/{poll.id}/decide", json={"slot": poll.slots[0].id}),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    assert await ExchangeSession.count() == 0


async def test_another_organizer_gets_a_403(client: Any) -> None:
    poll = await make_poll()
    stranger = await bearer(await make_organizer())
    assert (await client.get(f"/api/date-polls/{poll.id}", headers=stranger)).status_code == 403
    close = await client.post(f"/api/date-polls/{poll.id}/close", headers=stranger)
    assert close.status_code == 403
    stored = await DatePoll.select(DatePoll.status).first()
    assert stored is not None and stored["status"] == "open"


async def test_answer_by_token_accepts_symbols_and_words(client: Any) -> None:
    poll = await make_poll(slots=poll_slots(2))
    first, second = (str(slot.id) for slot in poll.slots)
    path = await answer_path(poll)
    response = await client.put(
        path, json={"answers": {first: "○", second: "no"}, "comment": "<i>午後</i>"}
    )
    assert response.status_code == 200
    answered = response.json()
    assert (answered["municipality"], answered["name"], answered["status"]) == (
        "330001",
        "岡山県",
        "open",
    )
    assert answered["answers"] == {first: "yes", second: "no"}
    assert answered["comment"] == "<i>午後</i>"
    assert [slot["id"] for slot in answered["slots"]] == [int(first), int(second)]
    again = await client.get(path)
    assert again.json() == answered


async def test_organizer_reads_the_ranked_result(client: Any) -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, slots=poll_slots(2))
    first, second = (str(slot.id) for slot in poll.slots)
    await client.put(await answer_path(poll, 0), json={"answers": {first: "×", second: "○"}})
    await client.put(await answer_path(poll, 1), json={"answers": {first: "○", second: "○"}})
    result = (
        await client.get(f"/api/date-polls/{poll.id}", headers=await bearer(organizer))
    ).json()
    assert [
        (s["id"], s["rank"], s["yes"], s["maybe"], s["no"], s["unanswered"])
        for s in result["slots"]
    ] == [
        (int(second), 1, 2, 0, 0, 1),
        (int(first), 2, 1, 0, 1, 1),
    ]
    assert [r["answers"] for r in result["recipients"]] == [
        {first: "no", second: "yes"},
        {first: "yes", second: "yes"},
        {},
    ]


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"first": "◎", "second": "○"}, "slot-{first}", "の回答「◎」は使えません。"),
        ({"first": "○"}, "slot-{second}", "の回答を選んでください。"),
        (
            {"first": "○", "second": "○", "999999": "○"},
            "answers",
            "候補日時 999999 はこの日程調整にありません。",
        ),
    ],
    ids=["mark", "missing", "unknown-slot"],
)
async def test_bad_answer_is_a_422_and_changes_nothing(
    client: Any, answers: dict[str, str], field: str, message: str
) -> None:
    poll = await make_poll(slots=poll_slots(2))
    ids = {"first": str(poll.slots[0].id), "second": str(poll.slots[1].id)}
    body = {"answers": {ids.get(key, key): value for key, value in answers.items()}}
    response = await client.put(await answer_path(poll), json=body)
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert [f["field"] for f in fields] == [field.format(**ids)]
    assert message in fields[0]["message"]
    assert await DatePollAnswer.count() == 0


async def test_token_of_another_poll_is_a_404_with_the_generic_message(client: Any) -> None:
    organizer = await make_organizer()
    poll_a = await make_poll(organizer)
    poll_b = await make_poll(organizer)
    path_a = await answer_path(poll_a)
    foreign = path_a.replace(f"/date-polls/{poll_a.id}/", f"/date-polls/{poll_b.id}/")
    marks = {str(slot.id): "○" for slot in poll_b.slots}
    response = await client.put(foreign, json={"answers": marks})
    assert response.status_code == 404
    assert response.json()["message"] == INVALID_LINK
    assert (await client.get(foreign)).status_code == 404
    assert await DatePollAnswer.count() == 0


async def test_close_then_answer_is_a_409(client: Any) -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, slots=poll_slots(1))
    closed = await client.post(f"/api/date-polls/{poll.id}/close", headers=await bearer(organizer))
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    late = await client.put(await answer_path(poll), json={"answers": {str(poll.slots[0].id): "○"}})
    assert late.status_code == 409
    assert (
        late.json()["message"] == "この日程調整は締め切られました。回答の送信・変更はできません。"
    )
    assert await DatePollAnswer.count() == 0


async def test_remind_lists_the_municipalities_reminded(client: Any) -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, slots=poll_slots(1))
    await client.put(await answer_path(poll, 1), json={"answers": {str(poll.slots[0].id): "△"}})
    response = await client.post(
        f"/api/date-polls/{poll.id}/remind", headers=await bearer(organizer)
    )
    assert response.json() == {"reminded": ["330001", "341002"]}


async def test_decide_returns_the_session_with_the_chosen_date(client: Any) -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer, slots=poll_slots(2))
    chosen = poll.slots[1]
    response = await client.post(
        f"/api/date-polls/{poll.id}/decide",
        json={"slot": chosen.id},
        headers=await bearer(organizer),
    )
    assert response.status_code == 200
    session = response.json()
    assert (session["status"], session["title"], session["sequence"]) == (
        "draft",
        "第4回 情報交換会の日程調整",
        0,
    )
    assert session["starts_at"] == chosen.starts_at.isoformat().replace("+00:00", "Z")
    result = (
        await client.get(f"/api/date-polls/{poll.id}", headers=await bearer(organizer))
    ).json()
    assert (result["status"], result["session"]) == ("decided", session["id"])


async def test_deciding_a_slot_never_proposed_is_a_404(client: Any) -> None:
    organizer = await make_organizer()
    poll = await make_poll(organizer)
    other = await make_poll(organizer)
    response = await client.post(
        f"/api/date-polls/{poll.id}/decide",
        json={"slot": other.slots[0].id},
        headers=await bearer(organizer),
    )
    assert response.status_code == 404
    assert response.json()["fields"] == [
        {"field": "slot", "message": f"候補日時 {other.slots[0].id} はこの日程調整にありません。"}
    ]
    assert await ExchangeSession.count() == 0
