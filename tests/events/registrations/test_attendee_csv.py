"""The attendee list as CSV: columns, rows, waitlist positions, topics, and hostile names."""

from __future__ import annotations

import csv
import io

from events.lib.formatting import TOKYO
from events.registrations.attendee_csv import attendee_table
from events.registrations.overview import session_registrations
from events.registrations.registrations import cancel, register
from tests.factories import delegation, discussion_ids, open_session, person

HEADER = [
    "団体コード",
    "自治体名",
    "都道府県",
    "氏名",
    "所属",
    "職位",
    "DX部門",
    "メールアドレス",
    "状態",
    "キャンセル待ち順位",
    "希望テーマ1",
    "希望テーマ2",
    "計画策定状況",
    "連絡先共有の同意",
    "よみがな",
]
HYPERLINK = '=HYPERLINK("http://evil.example/","詳細")'


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


async def test_attendee_csv_has_one_row_per_attendee_and_neutralises_formulas() -> None:
    organizer, accesses = await open_session(capacity=3, codes=("330001", "331007", "350001"))
    session = accesses["330001"].session
    hr, kpi = discussion_ids(session)
    await register(
        accesses["330001"],
        delegation(
            person(
                1,
                "a",
                name="佐藤＆鈴木 <共同>",
                reading="さとう すずき",
                department="+1",
                topic_preferences=(kpi, hr),
            ),
            person(2, "a", name="ﾊﾝｶｸ", department="-2", position="manager", share_contact=True),
            plan_status="adopted",
        ),
    )
    await register(
        accesses["331007"],
        delegation(
            person(1, "b", name=HYPERLINK, department="@x", is_digital_department=True),
            person(2, "b", topic_preferences=(hr,)),
        ),
    )
    await register(accesses["350001"], delegation(person(1, "c")))
    await cancel(accesses["350001"])
    download = attendee_table(await session_registrations(organizer, session.id)).csv()
    assert download.content.startswith(b"\xef\xbb\xbf")
    assert download.content.count(b"\r\n") == 5
    assert download.content.replace(b"\r\n", b"").count(b"\n") == 0
    assert rows_of(download.content) == [
        HEADER,
        [
            "330001", "岡山県", "岡山県", "佐藤＆鈴木 <共同>", "'+1", "一般職員", "いいえ",
            "p1.a@example.lg.jp", "参加確定", "", "期待する効果とKPI", "人事部門との連携",
            "計画策定済", "いいえ", "さとう すずき",
        ],
        [
            "330001", "岡山県", "岡山県", "ﾊﾝｶｸ", "'-2", "管理職", "いいえ",
            "p2.a@example.lg.jp", "参加確定", "", "", "", "計画策定済", "はい", "",
        ],
        [
            "331007", "岡山県岡山市", "岡山県", "'" + HYPERLINK, "'@x", "一般職員", "はい",
            "p1.b@example.lg.jp", "参加確定", "", "", "", "策定中", "いいえ", "",
        ],
        [
            "331007", "岡山県岡山市", "岡山県", "参加者2", "デジタル推進課", "一般職員", "いいえ",
            "p2.b@example.lg.jp", "キャンセル待ち", "1", "人事部門との連携", "", "策定中",
            "いいえ", "",
        ],
    ]  # fmt: skip


async def test_attendee_csv_adds_cancelled_attendees_on_request() -> None:
    organizer, accesses = await open_session(codes=("330001", "331007"))
    await register(accesses["330001"], delegation(person(1, "a")))
    await register(accesses["331007"], delegation(person(1, "b")))
    await cancel(accesses["330001"])
    report = await session_registrations(organizer, accesses["330001"].session.id)
    default = rows_of(attendee_table(report).csv().content)
    everyone = rows_of(attendee_table(report, include_cancelled=True).csv().content)
    assert [(row[7], row[8]) for row in default[1:]] == [("p1.b@example.lg.jp", "参加確定")]
    assert [(row[7], row[8]) for row in everyone[1:]] == [
        ("p1.a@example.lg.jp", "取消"),
        ("p1.b@example.lg.jp", "参加確定"),
    ]


async def test_attendee_csv_is_named_after_the_session() -> None:
    organizer, accesses = await open_session()
    session = accesses["330001"].session
    download = attendee_table(await session_registrations(organizer, session.id)).csv()
    day = session.starts_at.astimezone(TOKYO).strftime("%Y%m%d")
    assert download.ascii_name == f"registrations-session-{session.id}-{day}.csv"
    assert download.name == f"参加者一覧_{day}_第3回 情報交換会.csv"
    assert rows_of(download.content) == [HEADER]
