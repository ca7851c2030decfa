"""A realistic data set for load tests: every municipality, many sessions, thousands of people.

Sessions are scheduled through the domain (as organizers would); registrations are bulk-inserted,
since going through the registration path 20,000 times would only measure the seeding.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import secrets
from dataclasses import dataclass
from typing import TypedDict
from urllib.parse import urlsplit, urlunsplit

import asyncpg

BATCH = 500


@dataclass(frozen=True)
class SeedSize:
    sessions: int = 300
    attendees: int = 20_000
    reports: int = 2_000

    @classmethod
    def small(cls) -> SeedSize:
        return cls(sessions=30, attendees=2_000, reports=200)

    def describe(self) -> str:
        return (
            f"1,788 municipalities, {self.sessions} sessions, {self.attendees:,} attendees, "
            f"{self.reports:,} reports"
        )


class Seeded(TypedDict):
    """What a filled bench database offers to request."""

    session_id: int
    session_ids: list[int]
    organizer_email: str
    extra_pages: dict[str, str]  # name: path
    attendee_tokens: list[str]  # personal links of attendees of upcoming sessions


async def recreate_postgres_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def prepare_database(url: str, size: SeedSize) -> Seeded:
    """Migrate a fresh database at `url` and fill it; returns ids worth requesting."""
    if url.startswith("postgres"):
        await recreate_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("PICCOLO_CONF", "events.piccolo_conf")
    os.environ.setdefault("TSUNAGU_ENV", "demo")
    from events.lib.migrations import migrate

    await migrate(verbose=False)
    return await _fill(size)


async def _fill(size: SeedSize) -> Seeded:
    from events.accounts.organizers import create_organizer
    from events.sessions.lifecycle import Transition
    from events.sessions.series import SeriesInput, create_series
    from events.sessions.transitions import apply
    from networking.regions import Region
    from tests.factories import session_input

    rng = random.Random(7)
    organizer = await create_organizer(
        "bench@tsunagu.example.jp", "bench-password-123", is_admin=True
    )
    regions = [region.value.slug for region in Region]
    series_ids = []
    for region in regions:
        row = await create_series(
            organizer, SeriesInput(title=f"{region} DX人材育成 情報交換会", region=region)
        )
        series_ids.append(row["id"])
    from events.sessions.exchange_sessions import create_session

    session_ids: list[int] = []
    for number in range(size.sessions):
        index = number % len(series_ids)
        data = session_input(
            series_ids[index],
            region=regions[index],
            title=f"第{number + 1}回 情報交換会",
            capacity=100,
            per_municipality_limit=3,
        )
        view, _ = await create_session(organizer, data)
        await apply(organizer, view.id, Transition.PUBLISH)
        session_ids.append(view.id)
    await _shift_half_into_the_past(session_ids)
    upcoming = set(session_ids[len(session_ids) // 2 :])
    attendee_tokens = await _registrations(session_ids, size.attendees, rng, upcoming)
    from bench.reports import seed as seed_reports
    from events.tables import Report

    await seed_reports(size.reports, organizer_email="reports@tsunagu.example.jp")
    latest = await Report.select(Report.id).order_by(Report.id, ascending=False).first()
    return {
        "session_id": session_ids[-1],
        "session_ids": session_ids,
        "organizer_email": organizer.email,
        "attendee_tokens": attendee_tokens,
        "extra_pages": {
            "region feed (.ics)": "/regions/chushikoku/calendar.ics",
            "report archive": "/reports",
            "archive search 人事": "/reports?q=%E4%BA%BA%E4%BA%8B",
            "report page": f"/reports/{latest['id'] if latest else 1}/v1",
        },
    }


async def _shift_half_into_the_past(session_ids: list[int]) -> None:
    from events.tables import ExchangeSession

    for offset, session_id in enumerate(session_ids[: len(session_ids) // 2]):
        start = dt.datetime.now(dt.UTC) - dt.timedelta(days=7 + offset)
        await ExchangeSession.update(
            {
                ExchangeSession.starts_at: start,
                ExchangeSession.ends_at: start + dt.timedelta(hours=2),
                ExchangeSession.registration_deadline: start - dt.timedelta(days=7),
                ExchangeSession.status: "held",
            }
        ).where(ExchangeSession.id == session_id)


async def _registrations(
    session_ids: list[int], attendees: int, rng: random.Random, upcoming: set[int]
) -> list[str]:
    """Bulk-inserted delegations; returns the personal links of attendees of upcoming sessions."""
    from events.lib.tokens import hash_token
    from events.tables import Attendee, ExchangeSession, Registration
    from networking.municipalities import read_data_file
    from networking.regions import area_by_slug

    codes = [record.code for record in read_data_file()]
    regions = {
        row["id"]: row["region"]
        for row in await ExchangeSession.select(ExchangeSession.id, ExchangeSession.region)
    }
    per_session = max(attendees // len(session_ids), 1)
    registrations: list[Registration] = []
    for session_id in session_ids:
        area = area_by_slug(regions[session_id])
        local = [code for code in codes if area.contains(code)]
        for code in rng.sample(local, min(len(local), per_session // 3 + 1)):
            registrations.append(
                Registration(
                    exchange_session=session_id,
                    municipality=code,
                    plan_status=rng.choice(["adopted", "drafting", "not_started"]),
                    status="confirmed",
                )
            )
    for start in range(0, len(registrations), BATCH):
        await Registration.insert(*registrations[start : start + BATCH])
    rows = await Registration.select(Registration.id, Registration.exchange_session)
    people: list[Attendee] = []
    tokens: list[str] = []
    for row in rows:
        for n in range(3):
            if len(people) >= attendees:
                break
            token = secrets.token_urlsafe(24)
            if row["exchange_session"] in upcoming:
                tokens.append(token)
            people.append(
                Attendee(
                    registration=row["id"],
                    exchange_session=row["exchange_session"],
                    name=f"参加者{row['id']}-{n}",
                    department="デジタル推進課",
                    position=rng.choice(["manager", "mid", "staff"]),
                    email=f"p{row['id']}-{n}@bench.example.lg.jp",
                    status="confirmed",
                    share_contact=rng.random() < 0.5,
                    token_hash=hash_token(token),
                )
            )
    for start in range(0, len(people), BATCH):
        await Attendee.insert(*people[start : start + BATCH])
    return tokens


async def open_nationwide_session(capacity: int, municipalities: int) -> tuple[int, list[str]]:
    """A published nationwide session inviting the first `municipalities`; their link tokens."""
    from events.invitations.invitations import invite
    from events.organizing.session_actions import transition
    from events.sessions.lifecycle import Transition
    from networking.municipalities import read_data_file
    from tests.factories import make_organizer, make_session

    organizer = await make_organizer(f"burst{secrets.token_hex(4)}@tsunagu.example.jp", admin=True)
    session = await make_session(
        organizer, region="nationwide", capacity=capacity, per_municipality_limit=3
    )
    codes = [record.code for record in read_data_file()][:municipalities]
    links = await invite(organizer, session.id, codes)
    await transition(organizer, session.id, Transition.PUBLISH)
    return session.id, [link.link.rsplit("/", 1)[1] for link in links]


def registration_line(token: str, tag: str) -> str:
    """One plan line (bench/lua/plan.lua) registering a delegation of three through the API."""
    body = {
        "plan_status": "drafting",
        "attendees": [
            {
                "name": f"職員{n}",
                "department": "デジタル推進課",
                "position": ("manager", "mid", "staff")[n],
                "email": f"staff{n}.{tag}@bench.example.lg.jp",
            }
            for n in range(3)
        ],
    }
    path = f"/api/invitations/{token}/registration"
    return f"register\tPOST\t{path}\t{json.dumps(body, ensure_ascii=False)}"
