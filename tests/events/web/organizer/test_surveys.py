"""Survey pages: the organizer's question editor, the session's survey and results, the CSV, and
the attendee's no-JS answer form."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import httpx

from events.surveys.questions import ensure_question_set
from events.surveys.surveys import close_survey, open_survey, survey_of
from events.tables import OutboxMessage, SurveyAnswer, SurveyResponse
from tests.factories import (
    attendee_token,
    held_session_with_people,
    make_organizer,
    make_session,
)
from tests.helpers import (
    assert_organizer_only,
    form_fields,
    post_form,
    sign_in_as,
    signed_in_organizer,
)
from tests.spreadsheets import assert_same_as_csv, xlsx_sheet


def survey_path(person: dict[str, Any]) -> str:
    return f"/a/{attendee_token(person)}/survey"


async def answer_form(client: httpx.AsyncClient, person: dict[str, Any]) -> dict[str, Any]:
    """The attendee's form as a browser would send it, with every scale answered."""
    page = await client.get(survey_path(person))
    assert page.status_code == 200
    fields: dict[str, Any] = form_fields(page.text, survey_path(person))
    for name in re.findall(r'<input type="radio" id="[^"]+" name="([^"]+)" value="4"', page.text):
        fields[name] = "4"
    return fields


async def test_questions_page_starts_with_the_default_questions(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    page = await client.get(f"/organizer/series/{session.series_id}/survey")
    assert page.status_code == 200
    fields = form_fields(page.text, f"/organizer/series/{session.series_id}/survey")
    assert fields["rows"] == "6"
    assert fields["questions-0-label"] == "本日の情報交換会は、今後の業務に役に立ちましたか。"
    assert fields["questions-0-levels"] == (
        "とても役に立った\n役に立った\nどちらともいえない\nあまり役に立たなかった\n役に立たなかった"
    )
    assert fields["questions-2-kind"] == "before_after"
    assert (fields["questions-4-kind"], fields["questions-5-label"]) == ("text", "")
    assert "<legend>質問1</legend>" in page.text


async def test_questions_are_saved_from_the_form(client: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    path = f"/organizer/series/{session.series_id}/survey"
    fields = form_fields((await client.get(path)).text, path)
    fields["questions-5-kind"] = "scale"
    fields["questions-5-label"] = "次回も参加したいですか。"
    fields["questions-5-levels"] = "はい\nいいえ"
    fields["questions-4-label"] = ""  # a blank row is dropped
    saved = await post_form(client, path, fields)
    assert (saved.status_code, saved.headers["location"]) == (303, f"{path}?notice=saved")
    questions = await ensure_question_set(session.series_id)
    assert [q.label for q in questions.questions][-2:] == [
        "今後、取り組んでみたいことを教えてください。",
        "次回も参加したいですか。",
    ]
    assert questions.questions[-1].levels == ("はい", "いいえ")
    assert "質問を保存しました。" in (await client.get(f"{path}?notice=saved")).text


async def test_add_row_gives_another_blank_question(client: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    path = f"/organizer/series/{session.series_id}/survey"
    fields = form_fields((await client.get(path)).text, path)
    page = await post_form(client, path, {**fields, "action": "add_row"})
    assert page.status_code == 200
    assert form_fields(page.text, path)["rows"] == "7"
    assert len((await ensure_question_set(session.series_id)).questions) == 5


async def test_question_errors_are_tied_to_their_inputs(client: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    path = f"/organizer/series/{session.series_id}/survey"
    before = await ensure_question_set(session.series_id)
    fields = form_fields((await client.get(path)).text, path)
    fields["questions-1-levels"] = "ひとつだけ"
    page = await post_form(client, path, fields)
    assert page.status_code == 422
    assert (
        '<a href="#questions-1-levels">質問2の選択肢は2〜10個にしてください（1行に1つ）。</a>'
        in (page.text)
    )
    assert (
        '<textarea id="questions-1-levels" name="questions-1-levels" rows="5" '
        'aria-invalid="true" aria-describedby="questions-1-levels-error">ひとつだけ</textarea>'
    ) in page.text
    assert await ensure_question_set(session.series_id) == before


async def test_saving_questions_a_survey_uses_says_a_new_version_was_made(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session, _ = await held_session_with_people(organizer)
    await open_survey(organizer, session.id)
    path = f"/organizer/series/{session.series_id}/survey"
    fields = form_fields((await client.get(path)).text, path)
    fields["questions-0-label"] = "役に立ちましたか。"
    saved = await post_form(client, path, fields)
    assert saved.headers["location"] == f"{path}?notice=new_version"
    page = await client.get(saved.headers["location"])
    assert "新しい版（第2版）として保存しました。" in page.text
    assert "送信済みのアンケートとその回答は元の質問のままです。" in page.text


async def test_questions_page_is_for_the_series_owner(client: httpx.AsyncClient) -> None:
    session = await make_session(await make_organizer())
    await assert_organizer_only(client, "GET", f"/organizer/series/{session.series_id}/survey")


async def test_organizer_opens_the_survey_and_sees_results(client: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(client)
    session, people = await held_session_with_people(organizer)
    path = f"/organizer/sessions/{session.id}/survey"
    page = await client.get(path)
    assert f'<a class="button" href="{path}/open">アンケートを開始してメールを送る</a>' in page.text
    question = await client.get(f"{path}/open")
    assert "開始すると、参加した6人に、回答用の個人リンクをメールでお送りします。" in question.text
    unconfirmed = await post_form(client, f"{path}/open")
    assert unconfirmed.status_code == 400
    assert "アンケートを開始してよいか確認のうえ、チェックを入れてください。" in unconfirmed.text
    assert await survey_of(session.id) is None
    assert await OutboxMessage.count().where(OutboxMessage.kind == "survey_invitation") == 0
    opened = await post_form(client, f"{path}/open", {"confirm": "1"})
    location = f"{path}?notice=opened&mailed=6"
    assert (opened.status_code, opened.headers["location"]) == (303, location)
    assert await OutboxMessage.count().where(OutboxMessage.kind == "survey_invitation") == 6
    await post_form(client, survey_path(people[0]), await answer_form(client, people[0]))
    results = await client.get(location)
    told = "アンケートを開始しました。参加した6人に回答用のメールを送ります（6通）。"
    assert told in results.text
    assert "回答者 1人 / 参加者 6人（回答率 17%）" in results.text
    assert results.text.count("<svg") == 3
    closed = await post_form(client, f"{path}/close")
    assert closed.headers["location"] == f"{path}?notice=closed"
    survey = await survey_of(session.id)
    assert survey is not None and not survey.is_open


async def test_survey_cannot_open_before_the_session_is_held(client: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(client)
    session = await make_session(organizer)
    page = await client.get(f"/organizer/sessions/{session.id}/survey")
    assert "アンケートは、情報交換会を開催済みにすると開始できます。" in page.text
    refused = await post_form(
        client, f"/organizer/sessions/{session.id}/survey/open", {"confirm": "1"}
    )
    assert refused.status_code == 409
    assert "アンケートを送れるのは開催済みの情報交換会だけです。" in refused.text
    assert await survey_of(session.id) is None


async def test_survey_pages_are_for_the_series_owner(client: httpx.AsyncClient) -> None:
    owner = await make_organizer()
    session, _ = await held_session_with_people(owner)
    path = f"/organizer/sessions/{session.id}/survey"
    await assert_organizer_only(client, "POST", f"{path}/open", {"confirm": "1"}, admin_status=303)
    await sign_in_as(client, await make_organizer())
    assert (await client.get(path)).status_code == 403
    assert (await client.get(f"{path}/results.csv")).status_code == 403
    assert (await post_form(client, f"{path}/close")).status_code == 403
    survey = await survey_of(session.id)
    assert survey is not None and survey.is_open


async def test_results_csv_opens_as_utf8_with_bom(client: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(client)
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    fields = await answer_form(client, people[0])
    next_step = survey.questions.questions[3]
    fields[next_step.field] = "=HYPERLINK(1)"
    await post_form(client, survey_path(people[0]), fields)
    response = await client.get(f"/organizer/sessions/{session.id}/survey/results.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert 'filename="survey-session-' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "回答番号",
        "回答日時",
        "本日の情報交換会は、今後の業務に役に立ちましたか。",
        "デジタルに関する理解は深まりましたか。",
        "デジタル関連の業務に取り組むことへの抵抗感はありますか（参加前・参加後）。（参加前）",
        "デジタル関連の業務に取り組むことへの抵抗感はありますか（参加前・参加後）。（参加後）",
        "今後、取り組んでみたいことを教えてください。",
        "ご意見・ご感想があればお書きください。",
    ]
    assert len(rows) == 2
    assert rows[1][0] == "1"
    assert rows[1][2:] == [
        "役に立った",
        "深まった",
        "やや感じる",
        "やや感じる",
        "'=HYPERLINK(1)",
        "",
    ]
    assert people[0]["name"] not in response.content.decode("utf-8-sig")
    base = f"/organizer/sessions/{session.id}/survey/results"
    sheet = xlsx_sheet(await client.get(f"{base}.xlsx"))
    assert_same_as_csv(sheet, response)
    assert (sheet["A2"].value, sheet["G2"].value) == (1, "=HYPERLINK(1)")
    assert (
        f'href="{base}.xlsx"' in (await client.get(f"/organizer/sessions/{session.id}/survey")).text
    )


async def test_attendee_form_has_a_fieldset_per_scale(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    page = await client.get(survey_path(people[0]))
    assert page.status_code == 200
    usefulness, _, reluctance, next_step, _ = survey.questions.questions
    assert (
        f'<fieldset class="survey-scale" id="{usefulness.field}">\n'
        f"  <legend>{usefulness.label}</legend>"
    ) in page.text
    assert f'<fieldset class="survey-before-after">\n    <legend>{reluctance.label}</legend>' in (
        page.text
    )
    assert f'id="{reluctance.field}-before">\n  <legend>参加前</legend>' in page.text
    assert f'id="{reluctance.field}-after">\n  <legend>参加後</legend>' in page.text
    assert f'<label for="{next_step.field}">{next_step.label}（任意）</label>' in page.text
    assert "<script" not in page.text


async def test_attendee_answers_once_from_the_form(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    await open_survey(organizer, session.id)
    fields = await answer_form(client, people[0])
    sent = await post_form(client, survey_path(people[0]), fields)
    assert (sent.status_code, sent.headers["location"]) == (
        303,
        f"{survey_path(people[0])}?done=1",
    )
    thanks = await client.get(sent.headers["location"])
    assert "ご回答ありがとうございました。" in thanks.text
    assert '<form class="survey-form"' not in thanks.text
    again = await post_form(client, survey_path(people[0]), fields)
    assert again.status_code == 409
    assert "アンケートにはすでにご回答いただいています。回答は1人1回です。" in again.text
    assert (await SurveyResponse.count(), await SurveyAnswer.count()) == (1, 3)


async def test_attendee_form_errors_are_tied_to_their_fieldsets(
    client: httpx.AsyncClient,
) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    fields = await answer_form(client, people[0])
    usefulness = survey.questions.questions[0]
    del fields[usefulness.field]
    fields[survey.questions.questions[3].field] = "自由記述"
    page = await post_form(client, survey_path(people[0]), fields)
    assert page.status_code == 422
    message = f"「{usefulness.label}」の回答を選んでください。"
    assert f'<a href="#{usefulness.field}">{message}</a>' in page.text
    assert f'<p class="field-error" id="{usefulness.field}-error">{message}</p>' in page.text
    assert (
        f'name="{usefulness.field}" value="5" required aria-invalid="true" '
        f'aria-describedby="{usefulness.field}-error"'
    ) in page.text
    # What the attendee already chose or wrote stays on the form.
    assert 'value="4" required checked' in page.text
    assert ">自由記述</textarea>" in page.text
    assert await SurveyResponse.count() == 0


async def test_attendee_page_says_when_the_survey_is_closed(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    await open_survey(organizer, session.id)
    fields = await answer_form(client, people[0])
    await close_survey(organizer, session.id)
    page = await client.get(survey_path(people[0]))
    assert "このアンケートは締め切られました。回答の送信はできません。" in page.text
    refused = await post_form(client, survey_path(people[0]), fields)
    assert refused.status_code == 409
    assert "このアンケートは締め切られました。回答の送信はできません。" in refused.text
    assert await SurveyResponse.count() == 0


async def test_waitlisted_and_cancelled_attendees_cannot_answer(client: httpx.AsyncClient) -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer, capacity=3, cancelled_code="341002")
    await open_survey(organizer, session.id)
    waiting = next(p for p in people if p["status"] == "waitlisted")
    page = await client.get(survey_path(waiting))
    assert "参加が確定していた方だけです。" in page.text
    refused = await post_form(client, survey_path(waiting), {})
    assert refused.status_code == 403
    cancelled = next(p for p in people if p["status"] == "cancelled")
    gone = await client.get(survey_path(cancelled))
    assert gone.status_code == 404
    assert "参加登録は取り消されました。" in gone.text
    assert await SurveyResponse.count() == 0


async def test_pages_link_to_the_survey(client: httpx.AsyncClient) -> None:
    organizer = await signed_in_organizer(client)
    session, people = await held_session_with_people(organizer)
    detail = await client.get(f"/organizer/sessions/{session.id}")
    assert f'href="/organizer/sessions/{session.id}/survey"' in detail.text
    series = await client.get("/organizer/series")
    assert f'href="/organizer/series/{session.series_id}/survey"' in series.text
    personal = await client.get(f"/a/{attendee_token(people[0])}")
    assert f'href="{survey_path(people[0])}"' in personal.text
