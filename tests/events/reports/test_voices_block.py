"""参加者の声: free-text survey answers quoted unnamed, only where their authors agreed."""

from __future__ import annotations

import io
from xml.etree import ElementTree as ET

import httpx
from pypdf import PdfReader

from events.accounts.organizers import OrganizerIdentity
from events.enums import BlockKind
from events.registrations.attendee_access import attendee_by_token
from events.reports.blocks import Block, to_html, to_markdown
from events.reports.drafts import BlockEdit, generate_report, report_of_session, update_draft
from events.reports.pdf import render_pending
from events.reports.voices_block import QUOTE_LENGTH, quote
from events.surveys.answers import AnswerInput, submit_survey
from events.surveys.quotes import QuotableAnswer
from events.surveys.surveys import open_survey
from tests.factories import attendee_token, held_session_with_people, make_organizer
from tests.helpers import post_form, signed_in_organizer

AGREED = "人事課と研修履歴を共有する仕組みを作りたい。"
NOT_AGREED = "山田課長には内緒ですが、予算が足りません。"
# An attendee of 岡山市 (331007) who names herself and her city, and types markup.
MARKUP = "参加者331007の1です。岡山市では<script>alert(1)</script>を **試行** [中](x) しています"


async def answered(organizer: OrganizerIdentity) -> int:
    """A held session whose first three attendees answered the two free-text questions."""
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    usefulness, understanding, reluctance, next_step, comment = survey.questions.questions
    given = (
        (people[0], AGREED, "", True),  # 岡山県
        (people[1], NOT_AGREED, "ほかの団体の話が参考になりました。", False),  # 岡山県
        (people[2], "", MARKUP, True),  # 岡山市
    )
    for person, plans, remarks, consent in given:
        await submit_survey(
            await attendee_by_token(attendee_token(person)),
            {
                str(usefulness.id): AnswerInput(score=4),
                str(understanding.id): AnswerInput(score=4),
                str(reluctance.id): AnswerInput(before=3, after=2),
                str(next_step.id): AnswerInput(text=plans),
                str(comment.id): AnswerInput(text=remarks),
            },
            quote_consent=consent,
        )
    return session.id


def voices(blocks: tuple[Block, ...]) -> Block:
    [block] = [block for block in blocks if block.kind == BlockKind.VOICES]
    return block


async def test_only_answers_whose_authors_agreed_are_quoted_without_names() -> None:
    organizer = await make_organizer()
    draft = await generate_report(organizer, await answered(organizer))
    keys = [block.kind for block in draft.blocks]
    assert keys.index(BlockKind.VOICES) == keys.index(BlockKind.SURVEY) + 1
    assert keys.index(BlockKind.VOICES) == keys.index(BlockKind.CLOSING) - 1
    block = voices(draft.blocks)
    assert block.heading == "参加者の声"
    assert block.body.splitlines() == [
        "アンケートの自由記述から、掲載に同意いただいた声を、お名前と自治体名を伏せて紹介します。",
        "",
        "「今後、取り組んでみたいことを教えてください」への回答から",
        f"- 「{AGREED}」",
        "",
        "「ご意見・ご感想があればお書きください」への回答から",
        "- 「〇〇です。〇〇では<script>alert(1)</script>を **試行** [中](x) しています」",
    ]
    assert NOT_AGREED not in block.body and "ほかの団体の話" not in block.body
    assert "参加者331007の1" not in block.body and "岡山市" not in block.body


async def test_markup_in_a_quote_stays_text_in_html_and_markdown() -> None:
    organizer = await make_organizer()
    block = voices((await generate_report(organizer, await answered(organizer))).blocks)
    html = str(to_html(block.body))
    assert "<script>" not in html
    assert "〇〇では&lt;script&gt;alert(1)&lt;/script&gt;を **試行** [中](x)" in html
    markdown = to_markdown([block])
    assert r"\<script\>alert(1)\</script\>を \*\*試行\*\* \[中\](x)" in markdown


async def test_without_anyone_agreeing_there_is_no_voices_block() -> None:
    organizer = await make_organizer()
    session, people = await held_session_with_people(organizer)
    survey = await open_survey(organizer, session.id)
    *_, comment = survey.questions.questions
    scales = {
        str(q.id): AnswerInput(score=3) for q in survey.questions.questions if q.kind == "scale"
    }
    [before_after] = [q for q in survey.questions.questions if q.kind == "before_after"]
    await submit_survey(
        await attendee_by_token(attendee_token(people[0])),
        {
            **scales,
            str(before_after.id): AnswerInput(before=3, after=3),
            str(comment.id): AnswerInput(text=NOT_AGREED),
        },
    )
    draft = await generate_report(organizer, session.id)
    assert BlockKind.VOICES not in [block.kind for block in draft.blocks]
    assert NOT_AGREED not in to_markdown(draft.blocks)


def test_a_long_answer_is_one_line_cut_at_the_quote_length() -> None:
    text = "改行を\n含む\r\n回答。" + "あ" * QUOTE_LENGTH
    quoted = quote(QuotableAnswer("質問", text, "山田 太郎", "高松市"))
    assert "\n" not in quoted
    assert quoted.startswith("改行を 含む 回答。")
    assert len(quoted) == QUOTE_LENGTH and quoted.endswith("…")


def test_the_authors_name_is_blanked_with_or_without_its_space() -> None:
    answer = QuotableAnswer(
        "質問", "山田 太郎と山田太郎、高松市の高松市役所", "山田 太郎", "高松市"
    )
    assert quote(answer) == "〇〇と〇〇、〇〇の〇〇役所"


async def test_the_organizer_removes_a_quote_and_the_published_pages_keep_markup_as_text(
    client: httpx.AsyncClient,
) -> None:
    organizer = await signed_in_organizer(client)
    session_id = await answered(organizer)
    base = f"/organizer/sessions/{session_id}/report"
    await post_form(client, f"{base}/generate")
    draft = await report_of_session(session_id)
    assert draft is not None
    page = (await client.get(base)).text
    assert 'name="body:voices"' in page
    # The organizer deletes the first quote's line, as in any other block.
    body = "\n".join(line for line in voices(draft.blocks).body.splitlines() if AGREED not in line)
    edited = await update_draft(organizer, draft.id, {"voices": BlockEdit(body=body)})
    assert AGREED not in voices(edited.blocks).body
    await post_form(client, f"{base}/publish", {"confirm": "1"})

    public = (await client.get(f"/reports/{draft.id}/v1")).text
    assert "<h2>参加者の声</h2>" in public
    assert AGREED not in public
    assert "〇〇では&lt;script&gt;alert(1)&lt;/script&gt;を **試行** [中](x)" in public
    assert "<script>alert(1)" not in public
    markdown = (await client.get(f"/reports/{draft.id}/v1.md")).text
    assert "## 参加者の声" in markdown and r"\<script\>" in markdown
    # The feed carries titles and leads only: still well-formed XML, no quote in it.
    feed = ET.fromstring((await client.get("/reports/feed.atom")).content)  # noqa: S314
    assert feed.tag.endswith("feed") and "script" not in ET.tostring(feed, encoding="unicode")
    assert await render_pending() == 1
    pdf = (await client.get(f"/reports/{draft.id}/v1.pdf")).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "参加者の声" in text and "<script>alert(1)</script>" in text.replace("\n", "")
