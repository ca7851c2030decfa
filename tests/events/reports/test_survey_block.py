"""The survey results in the report: numbers frozen with the version, charts, no free texts."""

from __future__ import annotations

import httpx

from events.accounts.organizers import OrganizerIdentity
from events.enums import BlockKind
from events.registrations.attendee_access import attendee_by_token
from events.reports.blocks import to_markdown
from events.reports.drafts import generate_report, report_of_session
from events.surveys.answers import AnswerInput, submit_survey
from events.surveys.results import survey_summary
from events.surveys.summary import summary_data, summary_from_data
from events.surveys.surveys import open_survey
from tests.factories import attendee_token, held_session_with_people
from tests.helpers import post_form, signed_in_organizer

PRIVATE_COMMENT = "山田さんに後で相談したい"


async def _answered_survey(organizer: OrganizerIdentity) -> int:
    """A held session of six attendees; two answered the default survey."""
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    usefulness, understanding, reluctance, next_step, comment = survey.questions.questions
    for person, useful in zip(people[:2], (5, 3), strict=True):
        access = await attendee_by_token(attendee_token(person))
        await submit_survey(
            access,
            {
                str(usefulness.id): AnswerInput(score=useful),
                str(understanding.id): AnswerInput(score=4),
                str(reluctance.id): AnswerInput(before=4, after=2),
                str(next_step.id): AnswerInput(text=PRIVATE_COMMENT),
                str(comment.id): AnswerInput(text=""),
            },
        )
    return session.id


async def test_survey_block_freezes_the_scale_results_without_free_texts(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session_id = await _answered_survey(organizer)

    draft = await generate_report(organizer, session_id)

    kinds = [block.kind for block in draft.blocks]
    assert kinds.index(BlockKind.SURVEY) == kinds.index(BlockKind.CLOSING) - 1
    [block] = [block for block in draft.blocks if block.kind == BlockKind.SURVEY]
    assert "参加者6人のうち2人から回答をいただきました。" in block.body
    assert "平均 4.0（5段階）" in block.body  # usefulness 5 and 3
    assert "平均 4.0（参加前）→ 2.0（参加後）、2人が下がったと回答" in block.body
    assert PRIVATE_COMMENT not in block.body
    # Questions end with 「。」 or 「？」 in the survey; as labels they do not: no 「。：」.
    assert "。：" not in block.body and "？：" not in block.body and "：平均" in block.body
    assert block.data is not None
    frozen = summary_from_data(block.data)
    assert [question.kind for question in frozen.questions] == ["scale", "scale", "before_after"]
    assert PRIVATE_COMMENT not in str(block.data)


async def test_summary_data_round_trips() -> None:
    from tests.factories import make_organizer

    organizer = await make_organizer()
    session_id = await _answered_survey(organizer)
    summary = await survey_summary(session_id)
    assert summary is not None
    assert summary_from_data(summary_data(summary)) == summary


async def test_published_report_shows_the_charts_with_their_tables(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session_id = await _answered_survey(organizer)
    base = f"/organizer/sessions/{session_id}/report"
    assert (await post_form(client, f"{base}/generate")).status_code == 303
    assert (await post_form(client, f"{base}/publish", {"confirm": "1"})).status_code == 303
    draft = await generate_report(organizer, session_id)

    page = await client.get(f"/reports/{draft.id}/v1")

    assert page.status_code == 200
    assert page.text.count("<svg") == 3
    assert "回答の内訳（参加前・参加後、2件）" in page.text
    assert PRIVATE_COMMENT not in page.text


async def test_report_of_a_session_without_survey_has_no_survey_block() -> None:
    from tests.factories import make_organizer

    organizer = await make_organizer()
    session, _ = await held_session_with_people(organizer)
    draft = await generate_report(organizer, session.id)
    assert BlockKind.SURVEY not in [block.kind for block in draft.blocks]


async def test_organizer_turns_the_survey_results_off_and_on_again(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session_id = await _answered_survey(organizer)
    base = f"/organizer/sessions/{session_id}/report"
    await post_form(client, f"{base}/generate")
    assert 'name="shown:survey" type="checkbox" value="1" checked' in (await client.get(base)).text

    # The checkbox left unticked: the block is kept in the draft but not shown.
    off = await post_form(client, f"{base}/blocks", {"optional": "survey"})
    assert off.status_code == 303
    draft = await report_of_session(session_id)
    assert draft is not None
    [survey] = [block for block in draft.blocks if block.kind == BlockKind.SURVEY]
    assert not survey.shown
    assert "アンケート結果" not in to_markdown(draft.blocks)
    preview = (await client.get(base)).text.split('id="preview-heading"')[1]
    assert "参加者6人のうち2人から回答をいただきました。" not in preview

    await post_form(client, f"{base}/blocks", {"optional": "survey", "shown:survey": "1"})
    draft = await report_of_session(session_id)
    assert draft is not None
    assert "## アンケート結果" in to_markdown(draft.blocks)
