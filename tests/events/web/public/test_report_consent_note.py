"""A published version whose consent changed afterwards stays as published and says so."""

from __future__ import annotations

import httpx

from events.registrations.coordinator_consent import change_report_consent
from events.reports.drafts import report_of_session
from tests.factories import held_seed_session
from tests.helpers import post_form, signed_in_organizer

NAMED = "<li>岡山県では、330001の研修はオンラインと集合のハイブリッドです。</li>"
CHANGED = "この版の公開後に、自治体名の掲載への同意が変更されています。"


async def test_old_version_keeps_the_name_and_notes_the_change_until_and_after_the_next(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session, accesses = await held_seed_session(organizer)
    await change_report_consent(accesses["330001"], True)
    base = f"/organizer/sessions/{session.id}/report"
    await post_form(client, f"{base}/generate")
    await post_form(client, f"{base}/publish", {"confirm": "1"})
    draft = await report_of_session(session.id)
    assert draft is not None
    first = (await client.get(f"/reports/{draft.id}/v1")).text
    assert NAMED in first and CHANGED not in first

    await change_report_consent(accesses["330001"], False)
    withdrawn = (await client.get(f"/reports/{draft.id}/v1")).text
    assert NAMED in withdrawn
    assert CHANGED in withdrawn and "変更は次の版から反映されます。" in withdrawn

    # Publishing the draft made before the withdrawal is refused, with the reason.
    await post_form(client, f"{base}/blocks", {"body:closing": "訂正しました。"})
    refused = await post_form(client, f"{base}/publish", {"confirm": "1"})
    assert refused.status_code == 409
    assert "岡山県は、自治体名を記した掲載に同意していません。" in refused.text

    await post_form(client, f"{base}/generate")
    await post_form(client, f"{base}/publish", {"confirm": "1"})
    second = (await client.get(f"/reports/{draft.id}/v2")).text
    assert "岡山県では" not in second and CHANGED not in second
    assert "<li>330001の研修はオンラインと集合のハイブリッドです。</li>" in second
    old = (await client.get(f"/reports/{draft.id}/v1")).text
    assert NAMED in old
    assert "変更は最新版（第2版）に反映されています。" in old
