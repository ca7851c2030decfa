"""Every mail kind rendered for one fixed session, compared with tests/golden/mail.

The subject and plain text (what LGWAN gateways leave of a message) are in <kind>.txt, the HTML
part in <kind>.html. After an intended change to a template, regenerate with

    UPDATE_GOLDEN=1 .venv/bin/pytest -q -n 0 tests/events/mail/test_golden.py

and read the diff before committing it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

import pytest

from events.lib.formatting import TOKYO
from events.organizing.mail_preview import KINDS, preview
from events.sessions.agenda import Segment
from events.sessions.exchange_sessions import ExchangeSessionView
from tests.factories import SEED_AGENDA
from tests.helpers import GOLDEN as GOLDEN_FILES

GOLDEN = GOLDEN_FILES / "mail"
STARTS_AT = dt.datetime(2023, 12, 15, 14, 0, tzinfo=TOKYO)


def numbered(agenda: tuple[Segment, ...]) -> tuple[Segment, ...]:
    return tuple(
        dataclasses.replace(segment, id=n, item_ids=tuple(range(len(segment.items))))
        for n, segment in enumerate(agenda, start=1)
    )


# The 中四国 meeting of 2023-12-15, as the design describes it.
SESSION = ExchangeSessionView(
    id=42,
    series_id=7,
    series_title="中四国エリア 庁内デジタル人材育成 情報交換会",
    owner_id=1,
    organizer_name="山田 太郎",
    organizer_email="jinzai@pref.okayama.example.lg.jp",
    organization="岡山県 デジタル推進課",
    title="第3回 情報交換会",
    region="chushikoku",
    starts_at=STARTS_AT,
    ends_at=STARTS_AT + dt.timedelta(hours=2),
    registration_deadline=STARTS_AT - dt.timedelta(days=7),
    capacity=30,
    per_municipality_limit=3,
    meeting_url="https://zoom.example.jp/j/123456789",
    meeting_passcode="tsunagu",
    background="デジタル人材の育成について、各自治体の取組を共有し意見交換します。",
    status="published",
    sequence=2,
    updated_at=STARTS_AT - dt.timedelta(days=30),
    agenda=numbered(SEED_AGENDA),
)


def assert_golden(name: str, produced: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(produced, encoding="utf-8")
    assert produced == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_plain_text_matches_golden_file(kind: str) -> None:
    mail = preview(kind, SESSION)
    assert_golden(f"{kind}.txt", f"Subject: {mail.subject}\n\n{mail.text}")


@pytest.mark.parametrize("kind", KINDS)
def test_html_matches_golden_file(kind: str) -> None:
    assert_golden(f"{kind}.html", preview(kind, SESSION).html)


def test_golden_directory_holds_only_known_files() -> None:
    # A renamed kind must not leave a stale golden file behind.
    expected = {f"{kind}.{ext}" for kind in KINDS for ext in ("txt", "html")}
    assert {path.name for path in GOLDEN.iterdir()} == expected
