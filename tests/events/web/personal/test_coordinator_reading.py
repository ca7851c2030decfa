"""よみがな on the coordinator's form: optional, kept, and refused with a clear message."""

from __future__ import annotations

from typing import Any

from events.tables import Attendee
from tests.events.web.personal.test_coordinator import OKAYAMA_PREF, row
from tests.factories import open_session_with_links
from tests.helpers import form_fields, post_form, registration_counts

NOT_KANA = "参加者 1 のよみがなは、ひらがなかカタカナで入力してください（空白と「ー」も使えます）。"


async def test_the_reading_is_optional_stored_and_shown_again(client: Any) -> None:
    _, _, tokens = await open_session_with_links()
    path = f"/r/{tokens[OKAYAMA_PREF]}"
    page = (await client.get(path)).text
    assert '<label for="attendees-0-reading">よみがな</label>' in page
    sent = await post_form(
        client,
        path,
        {**row(0, reading="ｵｶﾔﾏ ﾊﾅｺ"), **row(1), "plan_status": "drafting"},
    )
    assert sent.status_code == 303
    stored = await Attendee.select(Attendee.reading).order_by(Attendee.id)
    assert stored == [{"reading": "オカヤマ ハナコ"}, {"reading": ""}]
    again = (await client.get(sent.headers["location"])).text
    assert form_fields(again, path)["attendees-0-reading"] == "オカヤマ ハナコ"


async def test_a_reading_in_kanji_is_refused_beside_the_field_and_nothing_is_written(
    client: Any,
) -> None:
    _, _, tokens = await open_session_with_links()
    path = f"/r/{tokens[OKAYAMA_PREF]}"
    refused = await post_form(
        client, path, {**row(0, reading="岡山 花子"), "plan_status": "drafting"}
    )
    assert refused.status_code == 422
    page = refused.text
    assert f'<a href="#attendees-0-reading">{NOT_KANA}</a>' in page
    assert f'<p class="field-error" id="attendees-0-reading-error">{NOT_KANA}</p>' in page
    field = page.split('id="attendees-0-reading"', 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true" aria-describedby="attendees-0-reading-error"' in field
    assert field.count("aria-describedby") == 1
    assert form_fields(page, path)["attendees-0-reading"] == "岡山 花子"
    assert await registration_counts() == (0, 0, 0)
