"""The report generator: the 中四国 meeting of 2023-12-15 (the seed session) as a golden file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from events.enums import BlockKind
from events.lib.formatting import TOKYO
from events.reports.blocks import Block, to_markdown
from events.reports.facts import NextSession, Participant, ReportFacts
from events.reports.generation import generate, report_title
from events.reports.notes import Note, SessionNotes
from events.sessions.agenda import Segment
from tests.factories import HR_POINTS, KPI_POINTS, SHARING_ITEMS
from tests.helpers import GOLDEN as GOLDEN_FILES

GOLDEN = GOLDEN_FILES / "reports"
SHARING_IDS = (101, 102, 103, 104)
HR_ID, KPI_ID = 20, 30
SEED_PARTICIPANTS = (
    ("330001", "岡山県", "adopted"),
    ("331007", "岡山市", "drafting"),
    ("341002", "広島市", "adopted"),
    ("320005", "島根県", "drafting"),
    ("350001", "山口県", "drafting"),
    ("370002", "香川県", "adopted"),
    ("390003", "高知県", "not_started"),
)
ANSWERS = {
    "330001": {104: "オンラインと集合研修のハイブリッドで、管理職向けにワークショップを実施。"},
    "341002": {
        101: "令和4年度に策定済み。",
        104: "ITパスポート試験の受験料を補助し、Udemy Businessの推奨講座リストを配布しています。",
    },
    "370002": {104: "「通勤中に聴ける」講座を選んで紹介しています。"},
}


def seed_facts(**overrides: object) -> ReportFacts:
    """The facts of the seed session, held online on 2023-12-15 14:00-16:00 JST."""
    starts_at = dt.datetime(2023, 12, 15, 14, tzinfo=TOKYO)
    notes = SessionNotes(
        (
            Note(HR_ID, 0, "人事部門と育成方針を共有している団体は少数でした。", starts_at),
            Note(HR_ID, 2, "研修履歴を人事システムに登録する例が紹介されました。", starts_at),
            Note(KPI_ID, 0, "資格取得数に加え、意識調査で変化を測る案が出ました。", starts_at),
            Note(None, 0, "人事部門との連携とKPIの設定が共通の課題です。", starts_at),
        )
    )
    facts = ReportFacts(
        session_id=1,
        title="第3回 情報交換会",
        series_title="中四国エリア 庁内デジタル人材育成 情報交換会",
        host="中四国DX推進ネットワーク事務局",
        area_name="中四国",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        # As the session announced it beforehand; the report tells it in the past tense.
        background=(
            "自治体DXの推進にはデジタル人材の育成が欠かせません。各団体の取組を共有し、"
            "人事部門との連携と効果の測り方について意見交換します。"
        ),
        participants=tuple(
            Participant(code, name, plan, ANSWERS.get(code, {}))
            for code, name, plan in SEED_PARTICIPANTS
        ),
        agenda=(
            Segment("other", "開会・趣旨説明", 5, id=1),
            Segment("sharing", "情報共有", 40, SHARING_ITEMS, id=10, item_ids=SHARING_IDS),
            Segment(
                "discussion", "人事部門との連携", 30, HR_POINTS, id=HR_ID, item_ids=(21, 22, 23)
            ),
            Segment(
                "discussion", "期待する効果とKPI", 30, KPI_POINTS, id=KPI_ID, item_ids=(31, 32, 33)
            ),
            Segment("other", "閉会", 5, id=40),
        ),
        notes=notes,
        next_sessions=(
            NextSession(
                "第4回 情報交換会",
                dt.datetime(2024, 2, 16, 14, tzinfo=TOKYO),
                dt.datetime(2024, 2, 16, 16, tzinfo=TOKYO),
                "http://tsunagu.test/sessions/2",
            ),
        ),
    )
    return facts if not overrides else __import__("dataclasses").replace(facts, **overrides)


def test_seed_session_report_matches_the_golden_file() -> None:
    markdown = to_markdown(generate(seed_facts()))
    assert markdown == (GOLDEN / "seed_session.md").read_text(encoding="utf-8")


def test_seed_session_report_has_every_section_in_order() -> None:
    blocks = generate(seed_facts())
    assert [block.key for block in blocks] == [
        "title",
        "lead",
        "background",
        "participants",
        "sharing",
        f"discussion:{HR_ID}",
        f"discussion:{KPI_ID}",
        "closing",
        "next_sessions",
    ]
    assert blocks[0].heading == "【開催レポート】中四国エリア 庁内デジタル人材育成 情報交換会 第3回"
    assert blocks[1].body == (
        "中四国DX推進ネットワーク事務局は、2023年12月15日(金)、「中四国エリア 庁内デジタル"
        "人材育成 情報交換会 第3回」をオンラインで開催し、中四国の7自治体が参加しました。"
    )
    assert blocks[2].body.endswith("人事部門との連携と効果の測り方について意見交換しました。")
    assert blocks[3].body == "岡山県・岡山市・広島市・島根県・山口県・香川県・高知県（7自治体）"
    assert "策定状況は、策定済が3自治体、策定中が3自治体、未着手が1自治体でした。" in blocks[4].body
    assert [block.heading for block in blocks[5:7]] == [
        "【ディスカッション①】人事部門との連携",
        "【ディスカッション②】期待する効果とKPI",
    ]
    assert all(f"- {point}" in blocks[5].body for point in HR_POINTS)
    assert blocks[7].heading == "さいごに"
    assert blocks[7].body == "人事部門との連携とKPIの設定が共通の課題です。"


def test_sharing_round_gives_counts_and_practices_without_naming_anyone() -> None:
    sharing = generate(seed_facts())[4].body
    assert "「具体的な研修内容」については、3自治体から共有がありました。" in sharing
    assert "- 「通勤中に聴ける」講座を選んで紹介しています。" in sharing
    assert not any(name in sharing for _, name, _ in SEED_PARTICIPANTS)


def with_consent(*codes: str) -> ReportFacts:
    """The seed facts where the coordinators of `codes` consented to be named."""
    facts = seed_facts()
    return dataclasses.replace(
        facts,
        participants=tuple(
            dataclasses.replace(p, may_be_named=p.code in codes) for p in facts.participants
        ),
    )


def test_a_practice_names_its_municipality_only_where_the_coordinator_consented() -> None:
    sharing = generate(with_consent("341002"))[4].body
    assert (
        "- 広島市では、ITパスポート試験の受験料を補助し、Udemy Businessの推奨講座リストを"
        "配布しています。" in sharing
    )
    # 岡山県 and 香川県 shared practices too, without consenting: quoted without their names.
    assert "- オンラインと集合研修のハイブリッドで、管理職向けにワークショップを実施。" in sharing
    assert "- 「通勤中に聴ける」講座を選んで紹介しています。" in sharing
    assert "岡山県では" not in sharing and "香川県では" not in sharing


def test_consent_of_a_municipality_that_shared_nothing_names_nobody() -> None:
    """高知県 consented but answered no item: no practice of its own, nothing to name."""
    assert generate(with_consent("390003"))[4].body == generate(seed_facts())[4].body


def test_a_discussion_merges_every_group_note_into_one_paragraph() -> None:
    body = generate(seed_facts())[5].body
    assert body.endswith(
        "\n\n人事部門と育成方針を共有している団体は少数でした。"
        "研修履歴を人事システムに登録する例が紹介されました。"
    )
    assert "グループ" not in body


def test_report_has_no_doubled_punctuation_and_no_future_about_the_past() -> None:
    notes = SessionNotes(
        (
            Note(HR_ID, 0, "連携は課題です。。", dt.datetime(2023, 12, 15, tzinfo=TOKYO)),
            Note(HR_ID, 1, "次回も議論します", dt.datetime(2023, 12, 15, tzinfo=TOKYO)),
        )
    )
    blocks = generate(seed_facts(notes=notes))
    text = to_markdown(blocks)
    assert re.search(r"([。、！？：])\1|。：|？：", text) is None
    told = [b for b in blocks if b.kind not in (BlockKind.NEXT_SESSIONS, BlockKind.CLOSING)]
    # A sentence ending in 「ます。」 tells the future, but for 「〜ています」 (still true).
    future = re.compile(r"(?<!てい)ます[。」]")
    assert [b.key for b in told if future.search(b.body.replace("次回も議論します", ""))] == []
    assert "連携は課題です。次回も議論します。" in blocks[5].body


def test_title_names_the_series_and_the_session_number_once() -> None:
    assert (
        report_title("中四国 情報交換会", "第2回 情報交換会")
        == "【開催レポート】中四国 情報交換会 第2回"
    )
    assert report_title("DX勉強会", "第1回") == "【開催レポート】DX勉強会 第1回"


def test_report_names_municipalities_never_people() -> None:
    text = to_markdown(generate(seed_facts()))
    assert "@" not in text
    assert "参加者" not in text


def test_survey_block_sits_between_the_discussions_and_the_closing_words() -> None:
    survey = Block("survey", BlockKind.SURVEY, "アンケート結果", "満足度 4.5")
    keys = [block.key for block in generate(seed_facts(), survey=survey)]
    assert keys[keys.index("survey") - 1] == f"discussion:{KPI_ID}"
    assert keys[keys.index("survey") + 1] == "closing"


def test_report_without_sharing_round_or_next_sessions() -> None:
    facts = seed_facts(agenda=seed_facts().agenda[2:3], next_sessions=())
    blocks = generate(facts)
    assert [block.key for block in blocks] == [
        "title",
        "lead",
        "background",
        "participants",
        f"discussion:{HR_ID}",
        "closing",
        "next_sessions",
    ]
    assert blocks[-1].body == "次回の開催日程は、決まり次第お知らせします。"


def test_without_closing_words_the_closing_section_is_empty_and_not_shown() -> None:
    notes = SessionNotes(tuple(n for n in seed_facts().notes.notes if n.segment_id is not None))
    blocks = generate(seed_facts(notes=notes))
    assert [block.body for block in blocks if block.key == "closing"] == [""]
    assert "さいごに" not in to_markdown(blocks)
    assert "おわりに" not in to_markdown(generate(seed_facts()))
