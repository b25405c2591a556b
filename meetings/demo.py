"""Demo data of the meetings part: the reference's platform meetings 1-7, the 7th meeting's agenda,
and the working group plan with its four sessions (idempotent, through the services)."""

import csv
import datetime
from pathlib import Path

from meetings.models import AgendaItem, Meeting, MeetingBody
from meetings.services import meeting as services
from platform_portal.audit import Actor

PLATFORM = "platform"
BODIES = [
    {
        "slug": PLATFORM,
        "kind": MeetingBody.Kind.PLATFORM,
        "name": "プラットフォーム会議",
        "formal_name": "とっとり孤独・孤立対策官民連携プラットフォーム",
        "order": 10,
    },
    {"slug": "steering", "kind": MeetingBody.Kind.STEERING, "name": "幹事団体会議", "formal_name": "", "order": 20},
    {
        "slug": "regional-council",
        "kind": MeetingBody.Kind.COUNCIL,
        "name": "孤独・孤立対策地域協議会",
        "formal_name": "",
        "order": 30,
    },
]
WORKING_GROUP = {
    "slug": "support-without-relatives",
    "kind": MeetingBody.Kind.WORKING_GROUP,
    "formal_name": "",
    "order": 40,
    "purpose": (
        "とっとり孤独・孤立対策官民連携プラットフォームにワーキンググループ(WG)を設置して、身寄りのない方への支援策を検討する。\n"
        "議題案：身寄りのない人の身元保証(入院・入所手続・緊急連絡先等)、財産管理、死後事務等の支援"
    ),
    "member_kinds": "司法関係団体、権利擁護団体、介護関係・介護施設団体、病院、市町村、県関係部局等",
}
# The plan is part of the new R8 (2026) programme (身寄りのない方への支援事業, 予算要求事業).
WORKING_GROUP_FISCAL_YEAR = 2026
SECTIONS = {
    "開会挨拶": AgendaItem.Section.OPENING,
    "開会": AgendaItem.Section.OPENING,
    "報告事項": AgendaItem.Section.REPORTS,
    "協議事項": AgendaItem.Section.DISCUSSION,
    "意見交換": AgendaItem.Section.EXCHANGE,
    "その他": AgendaItem.Section.OTHER,
    "閉会": AgendaItem.Section.CLOSING,
}


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _body(data: dict) -> MeetingBody:
    body, _created = MeetingBody.objects.update_or_create(slug=data["slug"], defaults=data)
    return body


def _meeting(*, actor: Actor, body: MeetingBody, number: int, fields: dict) -> Meeting:
    meeting = Meeting.objects.filter(body=body, number=number).first()
    if meeting is None:
        return services.meeting_create(actor=actor, body=body, number=number, **fields)
    return services.meeting_update(actor=actor, meeting=meeting, **fields)


def load_meetings(*, actor: Actor, reference_dir: Path, stdout) -> None:
    bodies = {data["slug"]: _body(data) for data in BODIES}
    platform = bodies[PLATFORM]
    meetings = {}
    for row in _rows(reference_dir / "meetings.csv"):
        if row["body"] != PLATFORM:
            continue
        date = datetime.date.fromisoformat(row["date"])
        number = int(row["number"])
        meetings[number] = _meeting(
            actor=actor,
            body=platform,
            number=number,
            fields={
                "date": date,
                "start_time": datetime.time.fromisoformat(row["start_time"]) if row["start_time"] else None,
                "end_time": None,
                "planned_period": "",
                "fiscal_year": None,
                "format": Meeting.Format.ONLINE if row["venue"] == "オンライン" else Meeting.Format.VENUE,
                "venue": "" if row["venue"] == "オンライン" else row["venue"],
                "status": Meeting.Status.HELD,
                "summary": row["summary"],
                "is_public": True,
            },
        )
    agenda = [
        {
            "section": SECTIONS[row["section"]],
            "title": row["title"],
            "presenter": row["presenter"],
            "duration_minutes": None,
        }
        for row in sorted(_rows(reference_dir / "meeting7_agenda.csv"), key=lambda r: int(r["order"]))
    ]
    seventh = meetings[7]
    current = list(seventh.agenda_items.order_by("order").values("section", "title", "presenter", "duration_minutes"))
    if current != agenda:
        services.agenda_set(actor=actor, meeting=seventh, items=agenda)

    plan = _rows(reference_dir / "working_group_plan.csv")
    group = _body({**WORKING_GROUP, "name": plan[0]["working_group"]})
    for row in plan:
        _meeting(
            actor=actor,
            body=group,
            number=int(row["session"]),
            fields={
                "planned_period": row["period"],
                "fiscal_year": WORKING_GROUP_FISCAL_YEAR,
                "summary": row["topic"],
                "is_public": True,
            },
        )
    stdout.write(f"meetings: {len(meetings)} platform meetings, {len(agenda)} agenda items, {len(plan)} WG sessions")


def load(*, actor: Actor, reference_dir: Path, stdout) -> None:
    from meetings.demo_events import load as load_events

    load_meetings(actor=actor, reference_dir=reference_dir, stdout=stdout)
    # Events after meetings; supporters/demo.py then links trainings to these events.
    load_events(actor=actor, reference_dir=reference_dir, stdout=stdout)
