"""An attendee's page /a/{token}: their own registration, join details, calendar file, consent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest

from events.invitations.invitations import access_by_token
from events.lib.errors import ConflictError, NotFoundError
from events.lib.tokens import INVALID_LINK
from events.organizing.session_actions import transition
from events.registrations.attendee_access import REMOVED, attendee_by_token, calendar_by_token
from events.registrations.registrations import cancel, register, update
from events.sessions.exchange_sessions import ExchangeSessionView
from events.sessions.lifecycle import Transition
from events.tables import Attendee, AuditEntry, ExchangeSession
from tests.factories import (
    attendee_token,
    delegation,
    discussion_ids,
    open_session_with_links,
    person,
)
from tests.helpers import csrf_token, post_form

OKAYAMA_PREF, OKAYAMA_CITY = "330001", "331007"
ZOOM = "https://zoom.example.jp/j/123456789"


async def registered(
    capacity: int = 30, *attendees: Any
) -> tuple[Any, ExchangeSessionView, list[dict[str, Any]]]:
    """A session with Okayama's delegation registered; its attendee rows in order."""
    organizer, session, tokens = await open_session_with_links(capacity=capacity)
    await register(await access_by_token(tokens[OKAYAMA_PREF]), delegation(*attendees))
    return organizer, session, await Attendee.select().order_by(Attendee.id)


async def test_confirmed_attendee_sees_their_registration_and_how_to_join(client: Any) -> None:
    _, session, tokens = await open_session_with_links()
    hr, kpi = discussion_ids(session)
    await register(
        await access_by_token(tokens[OKAYAMA_PREF]),
        delegation(
            person(1, position="manager", topic_preferences=(kpi, hr), share_contact=True),
            person(2, name="同僚 次郎"),
        ),
    )
    first = await Attendee.select().order_by(Attendee.id).first()
    assert first is not None
    response = await client.get(f"/a/{attendee_token(first)}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert "<dt>氏名</dt><dd>参加者1</dd>" in body
    assert "<dt>自治体</dt><dd>岡山県</dd>" in body
    assert "<dt>所属</dt><dd>デジタル推進課</dd>" in body
    assert "<dt>職位</dt><dd>管理職</dd>" in body
    assert (
        '<ol class="compact-list"><li>期待する効果とKPI</li><li>人事部門との連携</li></ol>' in body
    )
    assert '<p class="notice">参加が確定しています。</p>' in body
    assert f'<a href="{ZOOM}" rel="noreferrer">{ZOOM}</a>' in body
    assert "<dt>パスコード</dt><dd>tsunagu</dd>" in body
    assert f'href="/a/{attendee_token(first)}/calendar.ics"' in body
    assert 'name="share_contact" value="on" checked' in body
    assert "同僚 次郎" not in body and "p2.x@example.lg.jp" not in body
    assert "アンケート" not in body


async def test_after_the_session_the_page_leads_with_the_survey_without_join_or_calendar(
    client: Any,
) -> None:
    organizer, session, attendees = await registered(30, person(1))
    upcoming = (await client.get(f"/sessions/{session.id}")).text
    assert f'href="/sessions/{session.id}/calendar.ics"' in upcoming
    await transition(organizer, session.id, Transition.MARK_HELD, now=session.ends_at)
    token = attendee_token(attendees[0])
    body = (await client.get(f"/a/{token}")).text
    survey = body.index(f'<a class="button" href="/a/{token}/survey">アンケートに答える</a>')
    assert survey < body.index('id="status-heading"') < body.index('id="registration-heading"')
    assert body.count("アンケートに答える") == 1
    assert ZOOM not in body and "パスコード" not in body
    assert "calendar.ics" not in body and "カレンダーに追加" not in body
    public = (await client.get(f"/sessions/{session.id}")).text
    assert "calendar.ics" not in public and "カレンダーに追加" not in public


async def test_waitlisted_attendee_sees_their_position_and_no_join_details(client: Any) -> None:
    _, _, tokens = await open_session_with_links(capacity=1)
    await register(await access_by_token(tokens[OKAYAMA_CITY]), delegation(person(1, "b")))
    await register(await access_by_token(tokens[OKAYAMA_PREF]), delegation(person(1, "a")))
    waiting = await Attendee.select().where(Attendee.status == "waitlisted").first()
    assert waiting is not None
    token = attendee_token(waiting)
    body = (await client.get(f"/a/{token}")).text
    assert "キャンセル待ちです（1番目）" in body
    assert ZOOM not in body and "tsunagu</dd>" not in body and "パスコード" not in body
    assert "/calendar.ics" not in body
    refused = await client.get(f"/a/{token}/calendar.ics")
    assert refused.status_code == 409
    assert "参加が確定すると、カレンダー登録用ファイルをダウンロードできます。" in refused.text


async def test_join_details_are_hidden_once_the_session_is_cancelled(client: Any) -> None:
    organizer, session, attendees = await registered(30, person(1))
    await transition(organizer, session.id, Transition.CANCEL, reason="台風のため")
    body = (await client.get(f"/a/{attendee_token(attendees[0])}")).text
    assert '<p class="notice error">この情報交換会は中止になりました。</p>' in body
    assert ZOOM not in body and "パスコード" not in body


async def test_anonymous_visitors_never_see_the_join_link(client: Any) -> None:
    _, session, _ = await registered(30, person(1))
    body = (await client.get(f"/sessions/{session.id}")).text
    assert ZOOM not in body and "tsunagu</" not in body and "参加者1" not in body


async def test_personal_calendar_file_is_an_itip_request_with_the_join_link(client: Any) -> None:
    _, session, attendees = await registered(30, person(1, name="山田 太郎"))
    token = attendee_token(attendees[0])
    response = await client.get(f"/a/{token}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="tsunagu-session-{session.id}.ics"'
    )
    assert response.headers["cache-control"] == "private, no-cache"
    assert "set-cookie" not in response.headers  # a download: no form, no CSRF cookie
    parsed = icalendar.Calendar.from_ical(response.content)
    assert parsed["METHOD"] == "REQUEST"
    [event] = parsed.walk("VEVENT")
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:p1.x@example.lg.jp"
    assert attendee.params["CN"] == "山田 太郎"
    assert ZOOM in str(event["CONFERENCE"])
    again = await client.get(
        f"/a/{token}/calendar.ics", headers={"if-none-match": response.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == response.headers["etag"]


async def test_calendar_file_changes_when_the_session_changes() -> None:
    _, session, attendees = await registered(30, person(1))
    token = attendee_token(attendees[0])
    before = (await calendar_by_token(token)).content
    assert (await calendar_by_token(token)).content == before
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    await ExchangeSession.update({ExchangeSession.updated_at: later}).where(
        ExchangeSession.id == session.id
    )
    assert (await calendar_by_token(token)).content != before


async def test_consent_can_be_withdrawn_and_given_again_even_after_the_deadline(
    client: Any,
) -> None:
    _, session, attendees = await registered(30, person(1, share_contact=True))
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    await ExchangeSession.update({ExchangeSession.registration_deadline: past}).where(
        ExchangeSession.id == session.id
    )
    token = attendee_token(attendees[0])
    response = await post_form(client, f"/a/{token}/consent")
    assert response.status_code == 303
    assert response.headers["location"] == f"/a/{token}?done=consent"
    assert await Attendee.select(Attendee.share_contact) == [{"share_contact": False}]
    page = (await client.get(response.headers["location"])).text
    assert "連絡先の共有についての設定を保存しました。" in page
    assert 'name="share_contact" value="on">' in page
    await post_form(client, f"/a/{token}/consent", {"share_contact": "on"})
    assert await Attendee.select(Attendee.share_contact) == [{"share_contact": True}]
    audit = await AuditEntry.select(AuditEntry.actor, AuditEntry.action).where(
        AuditEntry.action == "attendee_consent_changed"
    )
    assert (
        audit
        == [{"actor": f"attendee:{attendees[0]['id']}", "action": "attendee_consent_changed"}] * 2
    )


async def test_consent_change_needs_the_csrf_token(client: Any) -> None:
    _, _, attendees = await registered(30, person(1, share_contact=True))
    await csrf_token(client)
    response = await client.post(f"/a/{attendee_token(attendees[0])}/consent")
    assert response.status_code == 403
    assert await Attendee.select(Attendee.share_contact) == [{"share_contact": True}]


async def test_names_are_escaped_on_the_attendee_page(client: Any) -> None:
    _, _, attendees = await registered(30, person(1, name="佐藤＆鈴木 <共同>"))
    body = (await client.get(f"/a/{attendee_token(attendees[0])}")).text
    assert "<dt>氏名</dt><dd>佐藤＆鈴木 &lt;共同&gt;</dd>" in body
    assert "<共同>" not in body


async def test_bad_attendee_links_get_a_404_that_says_only_what_their_holder_may_know(
    client: Any,
) -> None:
    _, _, tokens = await open_session_with_links()
    access = await access_by_token(tokens[OKAYAMA_PREF])
    await register(access, delegation(person(1), person(2)))
    first, second = await Attendee.select().order_by(Attendee.id)
    await update(access, delegation(person(9, id=first["id"])))  # first swapped, second removed
    cases = {
        "unknown": ("A" * 32, INVALID_LINK),
        "malformed": ("x", INVALID_LINK),
        "coordinator link": (tokens[OKAYAMA_PREF], INVALID_LINK),
        "swapped out": (attendee_token(first), INVALID_LINK),
        # The holder of a real link learns that their registration was cancelled, nothing more.
        "removed": (attendee_token(second), REMOVED),
    }
    pages = set()
    for case, (token, message) in cases.items():
        for path in ("", "/calendar.ics"):
            response = await client.get(f"/a/{token}{path}")
            assert response.status_code == 404, case
            assert f'<p role="alert">{message}</p>' in response.text, case
            pages.add(response.text.replace(f"/a/{token}{path}", "PATH"))
        refused = await post_form(client, f"/a/{token}/consent", {"share_contact": "on"})
        assert refused.status_code == 404
    assert len(pages) == 2
    assert await Attendee.count().where(Attendee.share_contact.eq(True)) == 0


async def test_waiting_attendee_has_a_position_and_no_calendar_file() -> None:
    _, _, tokens = await open_session_with_links(capacity=1)
    await register(await access_by_token(tokens[OKAYAMA_CITY]), delegation(person(1, "b")))
    await register(await access_by_token(tokens[OKAYAMA_PREF]), delegation(person(1, "a")))
    waiting = await Attendee.select().where(Attendee.status == "waitlisted").first()
    assert waiting is not None
    access = await attendee_by_token(attendee_token(waiting))
    assert access.view.waitlist_position == 1
    assert access.sees_join_details is False
    with pytest.raises(ConflictError):
        await calendar_by_token(attendee_token(waiting))


async def test_an_attendee_token_opens_only_that_attendee() -> None:
    _, _, tokens = await open_session_with_links()
    await register(await access_by_token(tokens[OKAYAMA_PREF]), delegation(person(1, "a")))
    await register(await access_by_token(tokens[OKAYAMA_CITY]), delegation(person(1, "b")))
    for row in await Attendee.select():
        access = await attendee_by_token(attendee_token(row))
        assert (access.attendee["id"], access.attendee["email"]) == (row["id"], row["email"])
        assert access.municipality_code == (
            OKAYAMA_PREF if row["email"].endswith(".a@example.lg.jp") else OKAYAMA_CITY
        )


async def test_cancelled_registration_closes_every_attendee_link() -> None:
    _, _, tokens = await open_session_with_links()
    access = await access_by_token(tokens[OKAYAMA_PREF])
    await register(access, delegation(person(1)))
    row = await Attendee.select().first()
    assert row is not None
    await cancel(access)
    with pytest.raises(NotFoundError) as raised:
        await attendee_by_token(attendee_token(row))
    assert str(raised.value) == REMOVED
