"""Demo data: a 中四国 series modelled on the real session of 2023-12-15 (DESIGN.md §1)."""

from __future__ import annotations

from collections.abc import Callable

from events.errors import ConflictError
from events.organizers import create_organizer

DEMO_ORGANIZER_EMAIL = "demo@tsunagu.example.jp"
DEMO_ORGANIZER_PASSWORD = "tsunagu-demo-password"  # noqa: S105 (published on purpose: demo only)


async def load_demo(progress: Callable[[str], None]) -> None:
    try:
        await create_organizer(
            DEMO_ORGANIZER_EMAIL,
            DEMO_ORGANIZER_PASSWORD,
            display_name="中四国DX人材育成ネットワーク事務局",
            is_admin=True,
        )
        progress(f"demo: organizer {DEMO_ORGANIZER_EMAIL} / {DEMO_ORGANIZER_PASSWORD}")
    except ConflictError:
        progress(f"demo: organizer {DEMO_ORGANIZER_EMAIL} already exists")
