"""A session's audit trail as organizers read it: who (by name), when, and what changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from events.audit import trail
from events.audit.actors import actor_names, parse_actor
from events.lib.formatting import format_moment, list_separator
from events.lib.i18n import N_, current_locale
from networking.municipalities import display_names
from networking.regions import area_by_slug

ACTIONS = {
    "session_created": N_("作成"),
    "session_updated": N_("変更"),
    "publish": N_("公開"),
    "close_registration": N_("受付締切"),
    "mark_held": N_("開催済みに変更"),
    "mark_reported": N_("レポート公開済みに変更"),
    "cancel": N_("中止"),
    "municipalities_invited": N_("招待"),
    "invitation_link_reissued": N_("招待リンクの再発行"),
    "invitation_revoked": N_("招待の無効化"),
    "invitation_moved": N_("招待した自治体の並べ替え"),
    "delegation_registered": N_("参加登録"),
    "delegation_updated": N_("参加登録の変更"),
    "registration_cancelled": N_("参加登録の取消"),
    "attendee_consent_changed": N_("連絡先共有の同意の変更"),
    "report_consent_changed": N_("レポートへの自治体名掲載の同意の変更"),
    "join_requested": N_("参加希望の申し出"),
    "join_request_approved": N_("参加希望の承認"),
    "join_request_declined": N_("参加希望の見送り"),
    "groups_assigned": N_("グループの自動割り当て"),
    "group_member_moved": N_("グループの移動"),
    "groups_locked": N_("グループの確定"),
    "groups_published": N_("グループの公開"),
    "notes_recorded": N_("メモの記録"),
    "survey_opened": N_("アンケートの開始"),
    "survey_answered": N_("アンケートへの回答"),
    "survey_closed": N_("アンケートの締切"),
    "report_generated": N_("レポート案の作成"),
    "report_edited": N_("レポートの編集"),
    "report_fact_check_requested": N_("レポートの内容確認の依頼"),
    "report_commented": N_("レポートへのコメント"),
    "report_published": N_("レポートの公開"),
}
FIELDS = {
    "series_id": N_("シリーズ"),
    "title": N_("タイトル"),
    "region": N_("対象地域"),
    "starts_at": N_("開始日時"),
    "ends_at": N_("終了日時"),
    "registration_deadline": N_("申込締切"),
    "capacity": N_("定員"),
    "per_municipality_limit": N_("1自治体あたりの上限"),
    "meeting_url": N_("会議URL"),
    "meeting_passcode": N_("パスコード"),
    "background": N_("開催の背景"),
    "agenda": N_("次第"),
}
MOMENTS = frozenset({"starts_at", "ends_at", "registration_deadline"})
# Too long to repeat in a table row: only the fact that they changed is shown.
SHOWN_AS_CHANGED = frozenset({"meeting_passcode", "background"})
CHANGED = N_("変更")


@dataclass(frozen=True)
class Detail:
    """One line of what an entry did: a label (msgid) and either text or a msgid note."""

    label: str
    text: str = ""
    note: str = ""


@dataclass(frozen=True)
class AuditLine:
    created_at: dt.datetime
    # organizer, coordinator, attendee, join_request or system (see events.audit.actors)
    actor_kind: str
    actor_name: str
    action: str
    details: tuple[Detail, ...]


async def trail_for_session(session_id: int) -> list[AuditLine]:
    """Newest first, with people and municipalities named."""
    entries = await trail.entries_for_session(session_id)
    actors = await actor_names({entry["actor"] for entry in entries})
    municipalities = await display_names(_codes_in(entries))
    return [
        AuditLine(
            created_at=entry["created_at"],
            actor_kind=parse_actor(entry["actor"]).kind,
            actor_name=actors[entry["actor"]],
            action=ACTIONS.get(entry["action"], entry["action"]),
            details=tuple(_details(entry["details"], municipalities)),
        )
        for entry in entries
    ]


def _codes_in(entries: Iterable[dict[str, Any]]) -> set[str]:
    codes: set[str] = set()
    for entry in entries:
        details = entry["details"]
        codes.update(details.get("codes", []))
        codes.update(details[key] for key in ("code", "municipality") if key in details)
    return codes


def _details(details: dict[str, Any], municipalities: dict[str, str]) -> Iterable[Detail]:
    changed = details.get("changed")
    # Session edits record {field: change}; other actions use "changed" for a count.
    if isinstance(changed, dict):
        for field, change in changed.items():
            yield _change(field, change)
    if details.get("reason"):
        yield Detail(N_("理由"), text=details["reason"])
    codes = details.get("codes") or [
        details[key] for key in ("code", "municipality") if key in details
    ]
    if codes:
        names = (municipalities.get(code, code) for code in codes)
        yield Detail(N_("自治体"), text=list_separator().join(names))
    if "attendees" in details:
        yield Detail(N_("人数"), text=str(details["attendees"]))


def _change(field: str, change: Any) -> Detail:
    label = FIELDS.get(field, field)
    if field in SHOWN_AS_CHANGED or not isinstance(change, list):
        return Detail(label, note=CHANGED)
    if field == "agenda":
        return Detail(label, text=list_separator().join(str(title) for title in change))
    before, after = (_value(field, value) for value in change)
    return Detail(label, text=f"{before} → {after}")


def _value(field: str, value: Any) -> str:
    if field in MOMENTS:
        return format_moment(dt.datetime.fromisoformat(str(value)))
    if field == "region":
        area = area_by_slug(str(value))
        return area.name if current_locale() == "ja" else area.english_name
    return str(value)
