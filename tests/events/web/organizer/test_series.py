"""The organizer's series pages: list, the new-series form, access and CSRF."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from events.tables import Series
from tests.factories import make_organizer, make_series
from tests.helpers import csrf_token, post_form, sign_in_as, signed_in_organizer

SERIES_TITLE = "中四国エリア 庁内デジタル人材育成 情報交換会"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/organizer/series"),
        ("GET", "/organizer/series/new"),
        ("POST", "/organizer/series/new"),
    ],
)
async def test_anonymous_visitors_are_sent_to_sign_in(client: Any, method: str, path: str) -> None:
    if method == "GET":
        response = await client.get(path)
        assert response.headers["location"] == f"/login?{urlencode({'next': path})}"
    else:
        response = await post_form(client, path, {"title": "x", "region": "chushikoku"})
        assert response.headers["location"] == "/login"
    assert response.status_code == 303
    assert await Series.count() == 0


async def test_list_shows_own_series_and_admins_see_all(client: Any) -> None:
    mine = await make_organizer()
    await make_series(mine, title="自分のシリーズ")
    await make_series(await make_organizer(), title="他の主催者のシリーズ", region="kanto")
    await sign_in_as(client, mine)
    own = await client.get("/organizer/series")
    assert own.status_code == 200
    assert own.headers["cache-control"] == "no-store"
    assert "<td>自分のシリーズ</td>" in own.text and "他の主催者のシリーズ" not in own.text
    await sign_in_as(client, await make_organizer(admin=True))
    everything = (await client.get("/organizer/series")).text
    assert "<td>自分のシリーズ</td>" in everything
    assert "<td>他の主催者のシリーズ</td>\n      <td>関東</td>" in everything


async def test_creating_a_series_leads_to_its_first_session(client: Any) -> None:
    organizer = await signed_in_organizer(client)
    form = await client.get("/organizer/series/new")
    assert '<label for="title">シリーズ名</label>' in form.text
    assert '<option value="chushikoku">中四国</option>' in form.text
    response = await post_form(
        client,
        "/organizer/series/new",
        {"title": SERIES_TITLE, "region": "chushikoku", "description": "年4回開催"},
    )
    assert response.status_code == 303
    [row] = await Series.select()
    assert (row["title"], row["region"], row["description"], row["owner"]) == (
        SERIES_TITLE,
        "chushikoku",
        "年4回開催",
        organizer.id,
    )
    assert response.headers["location"] == f"/organizer/sessions/new?series={row['id']}"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": " ", "region": "chushikoku"}, "title", "シリーズ名を入力してください。"),
        (
            {"title": "あ" * 201, "region": "chushikoku"},
            "title",
            "シリーズ名は200文字以内にしてください。",
        ),
        ({"title": SERIES_TITLE, "region": ""}, "region", "地域を選択してください。"),
        (
            {"title": SERIES_TITLE, "region": "kanto", "description": "あ" * 5001},
            "description",
            "説明は5000文字以内にしてください。",
        ),
    ],
)
async def test_bad_series_input_is_shown_again_and_nothing_is_written(
    client: Any, data: dict[str, str], field: str, message: str
) -> None:
    await signed_in_organizer(client)
    response = await post_form(client, "/organizer/series/new", data)
    assert response.status_code == 400
    assert f'<li><a href="#{field}">{message}</a></li>' in response.text
    assert f'aria-invalid="true" aria-describedby="{field}-error"' in response.text
    assert await Series.count() == 0


async def test_series_form_without_csrf_token_is_refused(client: Any) -> None:
    await signed_in_organizer(client)
    await csrf_token(client)
    response = await client.post(
        "/organizer/series/new", data={"title": SERIES_TITLE, "region": "chushikoku"}
    )
    assert response.status_code == 403
    assert await Series.count() == 0
