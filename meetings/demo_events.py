"""Demo events: the reference's gatherings of 令和7年度 with their figures (docs/reference-data/events.csv).

Called from meetings/demo.py by `manage.py load_demo`; idempotent (events are found by title).
"""

import csv
import datetime
import re
from pathlib import Path

from django.utils import timezone

from meetings.models import Event, ProgrammeItem
from meetings.services.event import event_save
from platform_portal.audit import Actor

# Details the CSV holds only in its notes column, written out as fields.
DETAILS = {
    "福祉をひらくワークショップ 2025 第1回": {
        "series": "福祉をひらくワークショップ 2025",
        "number": 1,
        "description": "プラットフォーム団体の横のつながり・顔の見える関係作りを目的としたワークショップ。",
        "target_audience": "プラットフォーム参加団体",
    },
    "福祉をひらくワークショップ 2025 第2回": {"series": "福祉をひらくワークショップ 2025", "number": 2},
    "ヤングケアラー支援フォーラム兼関係機関職員研修会": {
        "format": Event.Format.HYBRID,
        "programme": [
            ("講演", "石川七恵", "沖縄県ヤングケアラー・コーディネーター"),
            ("鳥取ケアラー会議", "", ""),
            ("ワークショップ", "", ""),
        ],
    },
    "ひきこもりを考えるフォーラム": {
        "programme": [("講演", "ぼそっと池井多", ""), ("出張ひ老会", "", "")],
        "description": "録画配信を希望された約120名に録画配信URLを送付しました。",
        # The reference gives the recording requests as 約120名: an estimate, not a count.
        "recording_requests_approximate": True,
    },
    # Two separate days, not a span: listed under the first, the second named.
    "とっとり孤独・孤立サポーター 基礎研修": {"end_date": None, "extra_dates": "R7.8.20 にも開催（2日程）"},
    "とっとり孤独・孤立サポーター交流会": {"planned_label": "2～3月"},
    "人と動物の医療福祉を豊かにする研修会": {
        "capacity": 100,
        "application_deadline": datetime.date(2025, 12, 5),
        "target_audience": "保健・医療・介護・福祉の専門職、動物愛護関係者、行政職員",
        "description": "定員100名（先着順）。申込締切 12月5日。",
    },
    "令和7年度 孤独・孤立を防ぐ温もりのある支え愛社会づくり審議会": {
        "description": "主な委員の意見: 相談窓口の周知、ピアサポート団体との連携強化 等",
    },
}

SIGNUP_DEMO_TITLE = "（デモ）福祉をひらくワークショップ 2026 第1回"


def _int(value: str) -> int | None:
    return int(value) if value.strip() else None


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value.strip() else None


def _time(value: str) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value.strip() else None


def _fields_from_row(row: dict) -> dict:
    organizer, contractor = row["organizer"], ""
    if match := re.fullmatch(r"(.+?) \(企画運営: (.+)\)", organizer):
        organizer, contractor = match.group(1), match.group(2)
    planned = row["status"] == "planned" and row["end_date"] and "not fixed" in row["notes"]
    fields = {
        "kind": row["kind"],
        "start_date": None if planned else _date(row["date"]),
        "end_date": None if planned else _date(row["end_date"]),
        "planned_from": _date(row["date"]) if planned else None,
        "planned_until": _date(row["end_date"]) if planned else None,
        "start_time": _time(row["start_time"]),
        "end_time": _time(row["end_time"]),
        "venue": row["venue"],
        "organizer": organizer,
        "contractor": contractor,
        "participants_total": _int(row["participants_total"]),
        "participants_venue": _int(row["participants_venue"]),
        "participants_online": _int(row["participants_online"]),
        "organizations_count": _int(row["organizations_count"]),
        "recording_requests": _int(row["recording_requests"]),
        "status": row["status"],
        "notes": row["notes"].replace(" (date not fixed)", ""),
        "is_public": True,
    }
    return fields


def _save(*, actor: Actor, title: str, fields: dict, programme=()) -> Event:
    event = Event.objects.filter(title=title).first() or Event(title=title)
    for name, value in fields.items():
        setattr(event, name, value)
    event = event_save(actor=actor, event=event)
    if programme and not event.programme.exists():
        ProgrammeItem.objects.bulk_create(
            ProgrammeItem(event=event, order=index, title=item_title, speaker=speaker, affiliation=affiliation)
            for index, (item_title, speaker, affiliation) in enumerate(programme, start=1)
        )
    return event


def load(*, actor: Actor, reference_dir: Path, stdout) -> None:
    with (reference_dir / "events.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        details = dict(DETAILS.get(row["title"], {}))
        programme = details.pop("programme", ())
        _save(actor=actor, title=row["title"], fields={**_fields_from_row(row), **details}, programme=programme)
    # One upcoming event with public sign-up, so the application flow can be tried in the demo.
    today = timezone.localdate()
    _save(
        actor=actor,
        title=SIGNUP_DEMO_TITLE,
        fields={
            "kind": Event.Kind.WORKSHOP,
            "series": "福祉をひらくワークショップ 2026",
            "number": 1,
            "start_date": today + datetime.timedelta(days=30),
            "start_time": datetime.time(15, 0),
            "end_time": datetime.time(17, 0),
            "venue": "倉吉未来中心",
            "format": Event.Format.HYBRID,
            "organizer": "鳥取県",
            "target_audience": "プラットフォーム参加団体、関心のある方",
            "capacity": 30,
            "application_deadline": today + datetime.timedelta(days=20),
            "signup_enabled": True,
            "status": Event.Status.PLANNED,
            "description": "参加申込みの流れを試すためのデモ用のイベントです（実在の催しではありません）。",
            "is_public": True,
        },
    )
    stdout.write(f"events: {len(rows) + 1}\n")
