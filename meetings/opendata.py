"""Open data of meetings and events.

The events dataset has exactly the columns of the イベント一覧 (event list) of the Digital
Agency's 自治体標準オープンデータセット, in their order (docs/statistics.md names the source).
"""

from django.db.models import Max, Prefetch
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem, ConsultationWindow, Event, Material, Meeting, Minutes, MunicipalProgramme
from platform_portal.opendata import Dataset, register

# 自治体標準オープンデータセット イベント一覧: the 32 columns, in order.
EVENT_COLUMNS = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
]

MEETING_COLUMNS = [
    "会議体",
    "回",
    "年度",
    "開催日",
    "開始時間",
    "終了時間",
    "開催時期(未定の場合)",
    "形式",
    "会場",
    "状態",
    "議題",
    "公開資料",
    "議事録",
    "URL",
]


def _jurisdiction() -> tuple[str, str]:
    """(都道府県名, 市区町村名) of the platform's jurisdiction, from the platform profile."""
    from platform_portal.selectors import site_profile_get

    name = site_profile_get().jurisdiction
    if name.endswith(("都", "道", "府", "県")):
        return name, ""
    return "", name


def _event_rows(base_url: str) -> list[list]:
    from platform_portal.selectors import site_profile_get

    profile = site_profile_get()
    prefecture, municipality = _jurisdiction()
    events = (
        Event.objects.filter(is_public=True)
        .exclude(status=Event.Status.CANCELLED)
        .annotate(sort_date=Coalesce("start_date", "planned_from"))
        .order_by("sort_date", "pk")
    )
    rows = []
    for event in events:
        notes = []
        if not event.date_is_fixed:
            notes.append(f"日程未定（{event.planned_label}）" if event.planned_label else "日程未定")
        if event.extra_dates:
            notes.append(event.extra_dates)
        place = event.venue
        if event.format != Event.Format.VENUE:
            place = f"{place}（{event.get_format_display()}）" if place else str(event.get_format_display())
        rows.append(
            [
                "",  # no code in the platform profile yet
                event.pk,
                prefecture,
                municipality,
                event.title,
                "",
                "",
                event.first_day,
                event.last_day,
                event.start_time,
                event.end_time,
                "、".join(notes),
                event.description,
                None,
                "",
                profile.secretariat_name,
                profile.phone,
                "",
                event.organizer,
                place,
                "",
                "",
                None,
                None,
                "",
                "",
                event.capacity,
                event.application_deadline,
                "",
                "ウェブサイトの申込フォーム" if event.signup_enabled else "",
                base_url + event.get_absolute_url(),
                f"対象: {event.target_audience}" if event.target_audience else "",
            ]
        )
    return rows


def _event_modified():
    latest = Event.objects.filter(is_public=True).aggregate(latest=Max("updated_at"))["latest"]
    return latest.date() if latest else None


def _meeting_rows(base_url: str) -> list[list]:
    meetings = (
        Meeting.objects.filter(is_public=True, body__is_public=True)
        .select_related("body")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order", "pk")),
            Prefetch("materials", queryset=Material.objects.filter(is_public=True).order_by("number")),
            Prefetch("minutes", queryset=Minutes.objects.filter(status=Minutes.Status.PUBLISHED)),
        )
        .order_by("body__order", "body__name", "number")
    )
    rows = []
    for meeting in meetings:
        rows.append(
            [
                meeting.body.name,
                meeting.number,
                meeting.fiscal_year_obj.label,
                meeting.date,
                meeting.start_time,
                meeting.end_time,
                meeting.planned_period,
                str(meeting.get_format_display()),
                meeting.venue,
                str(meeting.get_status_display()),
                "\n".join(item.title for item in meeting.agenda_items.all()),
                "\n".join(
                    f"{material.label} {material.title} {base_url}{material.get_absolute_url()}"
                    for material in meeting.materials.all()
                ),
                "公開" if meeting.minutes.all() else "",
                base_url + meeting.get_absolute_url(),
            ]
        )
    return rows


def _meeting_modified():
    latest = Meeting.objects.filter(is_public=True).aggregate(latest=Max("updated_at"))["latest"]
    return latest.date() if latest else None


register(
    Dataset(
        slug="meetings",
        title=_("Meetings with agenda and public materials"),
        description=_(
            "The platform's public meetings: body, number, date, venue, agenda items, public materials with their download addresses, and whether the minutes are published."
        ),
        columns=MEETING_COLUMNS,
        rows=_meeting_rows,
        modified=_meeting_modified,
        order=20,
    )
)

register(
    Dataset(
        slug="events",
        title=_("Events"),
        description=_(
            "The platform's public events in the column set of the event list (イベント一覧) of the Digital Agency's standard open data sets for local governments (自治体標準オープンデータセット)."
        ),
        columns=EVENT_COLUMNS,
        rows=_event_rows,
        modified=_event_modified,
        order=30,
    )
)


# The records the meeting packet reports on (市町村事業, 相談窓口): public rows only.
MUNICIPAL_PROGRAMME_COLUMNS = ["年度", "市町村", "対象地域", "事業名", "事業概要", "新規・継続", "区分"]
CONSULTATION_WINDOW_COLUMNS = ["名称", "相談内容", "市町村", "電話番号", "受付時間", "URL"]


def _municipal_programme_rows(base_url: str) -> list[list]:
    from platform_portal.lib.fiscal import FiscalYear

    rows = (
        MunicipalProgramme.objects.filter(is_public=True)
        .select_related("municipality")
        .order_by("-fiscal_year", "municipality__order", "municipality__name", "order", "pk")
    )
    return [
        [
            FiscalYear(row.fiscal_year).label,
            row.municipality.name,
            row.area_note,
            row.name,
            row.content,
            row.get_status_display() if row.status else "",
            row.category,
        ]
        for row in rows
    ]


def _consultation_window_rows(base_url: str) -> list[list]:
    rows = (
        ConsultationWindow.objects.filter(is_public=True, is_sample=False)
        .select_related("municipality")
        .order_by("order", "pk")
    )
    # An entry the secretariat has not confirmed publishes no phone number (as on the public page).
    return [
        [
            row.name,
            row.subject,
            row.municipality.name if row.municipality else "",
            row.public_phone,
            row.hours,
            row.website,
        ]
        for row in rows
    ]


register(
    Dataset(
        slug="municipal-programmes",
        title=_("Municipal programmes against loneliness and isolation"),
        description=_("The municipalities' programmes (市町村事業) by fiscal year, as the meeting packet lists them."),
        columns=MUNICIPAL_PROGRAMME_COLUMNS,
        rows=_municipal_programme_rows,
        modified=lambda: None,
        order=60,
    )
)

register(
    Dataset(
        slug="consultation-windows",
        title=_("Consultation windows"),
        description=_(
            "Where to ask for help (相談窓口): name, subject, municipality, hours and web address; the phone number of confirmed entries only."
        ),
        columns=CONSULTATION_WINDOW_COLUMNS,
        rows=_consultation_window_rows,
        modified=lambda: None,
        order=70,
    )
)
