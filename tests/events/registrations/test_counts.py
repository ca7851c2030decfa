"""Head counts of sessions: confirmed and waitlisted attendees, many sessions in one query."""

from __future__ import annotations

from events.organizing.session_actions import transition
from events.registrations.counts import RegistrationCounts, counts_for
from events.sessions.lifecycle import Transition
from tests.factories import make_organizer, make_session, register_people


async def test_counts_confirmed_and_waitlisted_per_session() -> None:
    organizer = await make_organizer()
    full = await make_session(organizer, capacity=2, per_municipality_limit=2, title="第1回")
    roomy = await make_session(organizer, title="第2回")
    empty = await make_session(organizer, title="第3回")
    for session in (full, roomy):
        await transition(organizer, session.id, Transition.PUBLISH)
    await register_people(organizer, full, "330001", 2)
    await register_people(organizer, full, "331007", 1)
    await register_people(organizer, roomy, "341002", 3)
    assert await counts_for([full.id, roomy.id, empty.id]) == {
        full.id: RegistrationCounts(confirmed=2, waitlisted=1),
        roomy.id: RegistrationCounts(confirmed=3, waitlisted=0),
        empty.id: RegistrationCounts(confirmed=0, waitlisted=0),
    }


async def test_no_sessions_no_query() -> None:
    assert await counts_for([]) == {}
