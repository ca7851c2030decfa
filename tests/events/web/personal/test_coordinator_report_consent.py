"""The coordinator's consent to be named in the report: in the form, and on its own after the
deadline (withdrawing is never refused)."""

from __future__ import annotations

from typing import Any

from events.sessions.lifecycle import Transition
from events.sessions.transitions import apply
from events.tables import AuditEntry, Registration
from tests.events.web.personal.test_coordinator import OKAYAMA_PREF, registered, row
from tests.factories import open_session_with_links, person
from tests.helpers import form_fields, post_form

CONSENT_LABEL = "情報共有の内容を、自治体名を記して開催レポートに掲載することに同意します"


async def stored_consent() -> list[tuple[bool, bool]]:
    """(consent, a moment of change recorded) of every registration."""
    rows = await Registration.select(
        Registration.report_consent, Registration.report_consent_changed_at
    ).order_by(Registration.id)
    return [(r["report_consent"], r["report_consent_changed_at"] is not None) for r in rows]


async def test_the_consent_is_optional_off_by_default_and_stored_when_ticked(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    page = (await client.get(f"/r/{token}")).text
    assert f'<label for="report_consent">{CONSENT_LABEL}</label>' in page
    assert "report_consent" not in form_fields(page, f"/r/{token}")

    without = await post_form(client, f"/r/{token}", {**row(0), "plan_status": "drafting"})
    assert without.status_code == 303
    assert await stored_consent() == [(False, False)]
    shown = (await client.get(without.headers["location"])).text
    assert "開催レポートへの自治体名の掲載：同意しない" in shown

    fields = form_fields(shown, f"/r/{token}")
    ticked = await post_form(client, f"/r/{token}", {**fields, "report_consent": "on"})
    assert ticked.status_code == 303
    assert await stored_consent() == [(True, True)]
    again = (await client.get(ticked.headers["location"])).text
    assert "開催レポートへの自治体名の掲載：同意する" in again
    assert form_fields(again, f"/r/{token}")["report_consent"] == "on"

    # Saving the form without the tick withdraws the consent.
    fields = form_fields(again, f"/r/{token}")
    del fields["report_consent"]
    await post_form(client, f"/r/{token}", fields)
    assert await stored_consent() == [(False, True)]


async def test_a_consent_ticked_on_the_first_registration_is_stored_with_its_moment(
    client: Any,
) -> None:
    _, _, tokens = await open_session_with_links()
    form = {**row(0), "plan_status": "drafting", "report_consent": "on"}
    registered = await post_form(client, f"/r/{tokens[OKAYAMA_PREF]}", form)
    assert registered.status_code == 303
    assert await stored_consent() == [(True, True)]
    shown = (await client.get(registered.headers["location"])).text
    assert "開催レポートへの自治体名の掲載：同意する" in shown


async def test_a_refused_form_keeps_the_tick_and_stores_nothing(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    refused = await post_form(
        client, f"/r/{token}", {**row(0, email="not-an-address"), "report_consent": "on"}
    )
    assert refused.status_code == 422
    assert form_fields(refused.text, f"/r/{token}")["report_consent"] == "on"
    assert await stored_consent() == []


async def test_after_the_deadline_the_consent_alone_can_still_be_withdrawn(client: Any) -> None:
    organizer, session, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    await registered(token, person(1))
    await apply(organizer, session.id, Transition.CLOSE_REGISTRATION)
    page = (await client.get(f"/r/{token}")).text
    assert 'class="delegation-form"' not in page
    assert '<h2 id="report-consent-heading">開催レポートへの自治体名の掲載</h2>' in page

    given = await post_form(client, f"/r/{token}/report-consent", {"report_consent": "on"})
    assert given.status_code == 303
    assert await stored_consent() == [(True, True)]
    withdrawn = await post_form(client, f"/r/{token}/report-consent", {})
    assert withdrawn.status_code == 303
    assert await stored_consent() == [(False, True)]
    notice = (await client.get(withdrawn.headers["location"])).text
    assert "開催レポートへの自治体名の掲載について、同意の内容を変更しました。" in notice
    same = await post_form(client, f"/r/{token}/report-consent", {})
    assert "同意の内容は変わっていません。" in (await client.get(same.headers["location"])).text
    assert await AuditEntry.count().where(AuditEntry.action == "report_consent_changed") == 2


async def test_the_consent_needs_a_registration_and_the_csrf_token(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    token = tokens[OKAYAMA_PREF]
    unregistered = await post_form(client, f"/r/{token}/report-consent", {"report_consent": "on"})
    assert unregistered.status_code == 404
    assert "この自治体の参加登録はまだありません。" in unregistered.text
    await registered(token, person(1))
    forged = await client.post(f"/r/{token}/report-consent", data={"report_consent": "on"})
    assert forged.status_code == 403
    assert await stored_consent() == [(False, False)]
