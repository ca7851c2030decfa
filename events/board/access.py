"""Who may use a series' board: confirmed attendees of its sessions (by personal link), organizers.

Checked on every request: the personal link is looked up again each time, so a cancelled
attendee, a revoked link or a cancelled session loses access at once. The board is never public.
"""

from __future__ import annotations

from dataclasses import dataclass

from events.accounts.organizers import OrganizerIdentity, normalize_email
from events.enums import RegistrationStatus as R
from events.lib.errors import ForbiddenError, NotFoundError
from events.lib.i18n import N_
from events.registrations.attendee_access import attendee_by_token
from events.sessions.exchange_sessions import ExchangeSessionView
from events.sessions.series import get_series, require_owner

NOT_A_MEMBER = N_("相談ボードは、このシリーズの情報交換会に参加が確定した方だけが利用できます。")
OTHER_SERIES = N_("参加していないシリーズの相談ボードには投稿できません。")


@dataclass(frozen=True)
class BoardMember:
    """An attendee acting on the board of the series of their session."""

    attendee_id: int
    name: str
    department: str
    email: str
    share_contact: bool
    municipality_code: str
    municipality_name: str
    session: ExchangeSessionView

    @property
    def series_id(self) -> int:
        return self.session.series_id

    @property
    def series_title(self) -> str:
        return self.session.series_title

    @property
    def actor(self) -> str:
        return f"attendee:{self.attendee_id}"


async def member_by_token(token: str) -> BoardMember:
    """The board member behind a personal link; refused unless confirmed in a live session."""
    access = await attendee_by_token(token)
    if access.attendee["status"] != R.CONFIRMED or access.session.is_cancelled:
        raise ForbiddenError(NOT_A_MEMBER)
    row = access.attendee
    return BoardMember(
        attendee_id=row["id"],
        name=row["name"],
        department=row["department"],
        email=normalize_email(row["email"]),
        share_contact=bool(row["share_contact"]),
        municipality_code=access.municipality_code,
        municipality_name=access.municipality_name,
        session=access.session,
    )


def require_series(member: BoardMember, series_id: int | None) -> None:
    """A post names a series (API): it must be the one the person attended."""
    if series_id is not None and series_id != member.series_id:
        raise ForbiddenError(OTHER_SERIES, field="series")


async def moderated_series(organizer: OrganizerIdentity, series_id: int) -> dict[str, object]:
    """The series when this organizer runs it (its owner, or an admin)."""
    series = await get_series(series_id)
    require_owner(organizer, int(series["owner"]))
    return series


def question_not_found() -> NotFoundError:
    return NotFoundError(N_("この相談は見つかりません。"), field="question")


def answer_not_found() -> NotFoundError:
    return NotFoundError(N_("この回答は見つかりません。"), field="answer")
