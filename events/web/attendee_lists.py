"""The attendee list as a download, for the organizer pages and the API alike (CSV and .xlsx)."""

from __future__ import annotations

from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery

from events.accounts.organizers import OrganizerIdentity
from events.lib.spreadsheet import Table
from events.registrations.attendee_csv import attendee_export


async def attendee_list(
    organizer: NamedDependency[OrganizerIdentity],
    session_id: FromPath[int],
    include_cancelled: FromQuery[bool] = False,
) -> Table:
    return await attendee_export(organizer, session_id, include_cancelled=include_cancelled)


# A handler with these dependencies takes `attendee_list: Table`.
ATTENDEE_LIST = {"attendee_list": Provide(attendee_list)}
