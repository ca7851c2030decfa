"""Series: recurring programmes that own sessions; organizers act only on series they own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events.accounts.organizers import OrganizerIdentity
from events.audit import trail
from events.lib.database import write_transaction
from events.lib.errors import ForbiddenError, NotFoundError, Problems
from events.lib.i18n import N_
from events.tables import Series
from networking.regions import AREAS

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
AREA_SLUGS = frozenset(area.slug for area in AREAS)


@dataclass(frozen=True)
class SeriesInput:
    title: str
    region: str
    description: str = ""


def actor(organizer: OrganizerIdentity) -> str:
    """How the audit trail names an organizer."""
    return f"organizer:{organizer.id}"


def check_region(region: str, problems: Problems) -> None:
    if region not in AREA_SLUGS:
        problems.add("region", N_("地域を選択してください。"))


async def create_series(organizer: OrganizerIdentity, data: SeriesInput) -> dict[str, Any]:
    title, description = data.title.strip(), data.description.strip()
    problems = Problems()
    if not title:
        problems.add("title", N_("シリーズ名を入力してください。"))
    elif len(title) > MAX_TITLE:
        problems.add("title", N_("シリーズ名は%(max)d文字以内にしてください。"), max=MAX_TITLE)
    if len(description) > MAX_DESCRIPTION:
        problems.add(
            "description", N_("説明は%(max)d文字以内にしてください。"), max=MAX_DESCRIPTION
        )
    check_region(data.region, problems)
    problems.raise_if_any()
    row = Series(title=title, description=description, region=data.region, owner=organizer.id)
    async with write_transaction():
        await row.save()
        await trail.record(
            actor(organizer), "series_created", details={"series": row.id, "title": title}
        )
    return await get_series(int(row.id))


async def get_series(series_id: int) -> dict[str, Any]:
    row = await Series.select().where(Series.id == series_id).first()
    if row is None:
        raise NotFoundError(N_("シリーズが見つかりません。"), field="series")
    return row


async def series_for_editing(organizer: OrganizerIdentity, series_id: int) -> dict[str, Any]:
    """The series when this organizer may change it (its owner, or an admin)."""
    row = await get_series(series_id)
    require_owner(organizer, row["owner"])
    return row


def require_owner(organizer: OrganizerIdentity, owner_id: int) -> None:
    if not organizer.is_admin and organizer.id != owner_id:
        raise ForbiddenError(N_("このシリーズを操作する権限がありません。"), field="series")


async def list_series(organizer: OrganizerIdentity | None = None) -> list[dict[str, Any]]:
    """Every series, or those an organizer may edit (all of them for admins)."""
    query = Series.select().order_by(Series.id)
    if organizer is not None and not organizer.is_admin:
        query = query.where(Series.owner == organizer.id)
    return await query
