"""/opendata/: the catalogue, the files (CSV with BOM and CRLF, XLSX, JSON) and their ETags; news and feed."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Event
from members.models import Municipality
from platform_portal import opendata
from platform_portal.models import NewsItem
from supporters.models import Appointment, Supporter
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

# 自治体標準オープンデータセット イベント一覧, in order (docs/statistics.md gives the source).
EVENT_LIST_COLUMNS = [
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


def _get(client, slug, fmt, **headers):
    return client.get(reverse("opendata_download", args=[slug, fmt]), headers=headers)


def test_catalogue_lists_every_dataset_with_licence_date_and_formats(client):
    Event.objects.create(title="催し", start_date=datetime.date(2025, 6, 1))
    response = client.get(reverse("opendata_catalogue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert {d.slug for d in opendata.dataset_list()} >= {"members", "meetings", "events", "subsidies", "supporters"}
    for dataset in opendata.dataset_list():
        assert str(dataset.title) in html
        for fmt in ("csv", "xlsx", "json"):
            assert reverse("opendata_download", args=[dataset.slug, fmt]) in html
    assert "CC BY 4.0" in html and "creativecommons.org/licenses/by/4.0" in html
    assert timezone.localdate().strftime("%Y-%m-%d") in html  # the events' update date


def test_events_dataset_has_exactly_the_event_list_columns_in_order(client):
    Event.objects.create(
        title="フォーラム",
        start_date=datetime.date(2025, 7, 30),
        start_time=datetime.time(13, 30),
        end_time=datetime.time(16, 0),
        venue="県立美術館",
        capacity=100,
        organizer="鳥取県",
    )
    Event.objects.create(title="非公開の催し", start_date=datetime.date(2025, 8, 1), is_public=False)
    content = _get(client, "events", "csv").content
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel on Japanese Windows reads UTF-8
    text = content[3:].decode("utf-8")
    assert text.count("\r\n") == 2 and "\n" not in text.replace("\r\n", "")  # CRLF line ends only
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == EVENT_LIST_COLUMNS
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["イベント名"] == "フォーラム"
    assert record["開始日"] == "2025-07-30" and record["終了日"] == "2025-07-30"
    assert record["開始時間"] == "13:30" and record["終了時間"] == "16:00"
    assert record["場所名称"] == "県立美術館" and record["定員"] == "100"
    assert record["URL"].startswith("http://testserver/events/")
    document = json.loads(_get(client, "events", "json").content)
    assert document["columns"] == EVENT_LIST_COLUMNS
    assert list(document["records"][0]) == EVENT_LIST_COLUMNS
    assert document["license"]["name"] == "CC BY 4.0"

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_get(client, "events", "xlsx").content)).active
    assert [cell.value for cell in sheet[1]] == EVENT_LIST_COLUMNS
    assert sheet.cell(row=2, column=5).value == "フォーラム"


def test_files_change_exactly_when_their_records_change(client):
    event = Event.objects.create(title="第1回", start_date=datetime.date(2025, 6, 1))
    first = _get(client, "events", "csv")
    etag = first["ETag"]
    assert etag and first["Cache-Control"] == "public, no-cache"
    # Same records: same ETag, and a conditional request gets 304 with no body.
    assert _get(client, "events", "csv")["ETag"] == etag
    not_modified = _get(client, "events", "csv", if_none_match=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    # A change elsewhere (a member, another dataset) leaves the events file as it is.
    OrganizationFactory()
    assert _get(client, "events", "csv")["ETag"] == etag
    # A saved record without a change to its published fields changes nothing either.
    event.save()
    assert _get(client, "events", "csv")["ETag"] == etag
    # A changed record changes the file and its ETag at once.
    Event.objects.filter(pk=event.pk).update(title="第1回（改）")
    changed = _get(client, "events", "csv", if_none_match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "第1回（改）" in changed.content.decode("utf-8-sig")
    # Each format has its own ETag.
    assert _get(client, "events", "json")["ETag"] != changed["ETag"]


def test_csv_and_xlsx_neutralise_formulas(client):
    Event.objects.create(title="=HYPERLINK(1)", start_date=datetime.date(2025, 6, 1))
    assert "'=HYPERLINK(1)" in _get(client, "events", "csv").content.decode("utf-8-sig")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_get(client, "events", "xlsx").content)).active
    assert sheet.cell(row=2, column=5).value == "'=HYPERLINK(1)"


def test_unknown_dataset_or_format_is_404(client):
    assert client.get("/opendata/nothing.csv").status_code == 404
    assert client.get("/opendata/events.exe").status_code == 404


def test_member_dataset_has_public_members_only_and_no_contacts(client):
    OrganizationFactory(name="公開団体")
    OrganizationFactory(name="非公開団体", publish_consent=False)
    OrganizationFactory(name="審査中団体", status="pending", approved_on=None)
    text = _get(client, "members", "csv").content.decode("utf-8-sig")
    assert "公開団体" in text and "非公開団体" not in text and "審査中団体" not in text
    assert "@" not in text


def test_supporter_dataset_publishes_no_count_under_five(client):
    town = Municipality.objects.create(name="少数町")
    city = Municipality.objects.create(name="多数市")
    for i in range(9):
        appointment = Appointment.objects.create(
            number=i + 1, appointed_on=datetime.date(2024, 9, 1), fiscal_year=2023 if i < 3 else 2024
        )
        Supporter.objects.create(
            roster_code=f"Z{i}",
            name=f"見本{i}",
            municipality=town if i < 2 else city,
            status="active",
            appointment=appointment,
        )
    rows = list(csv.reader(io.StringIO(_get(client, "supporters", "csv").content.decode("utf-8-sig"))))
    numbers = [int(cell) for row in rows[1:] for cell in row[2:5] if cell.isdigit()]
    assert numbers and not [n for n in numbers if 0 < n < 5]
    assert ["年度別", "令和5年度～令和6年度", "9", "9", "", ""] in rows
    assert ["市町村別", "少数町", "", "", "", "5未満"] in rows


def test_subsidy_dataset_comes_from_the_budget_rows(client):
    from tests.subsidies.factories import ProgramFactory

    program = ProgramFactory(budget_yen=1_234_000)
    text = _get(client, "subsidies", "csv").content.decode("utf-8-sig")
    assert f"{program.fiscal_year_obj.label},{program.fiscal_year},{program.name},1234000,0,0,0" in text


def test_a_new_dataset_joins_with_one_register_call(client):
    dataset = opendata.Dataset(
        slug="test-windows",
        title="相談窓口",
        description="見本",
        columns=["名称"],
        rows=lambda base_url: [["見本窓口"]],
        modified=lambda: None,
    )
    opendata.register(dataset)
    try:
        assert "相談窓口" in client.get(reverse("opendata_catalogue")).content.decode()
        assert "見本窓口" in _get(client, "test-windows", "csv").content.decode("utf-8-sig")
    finally:
        opendata._REGISTRY.pop("test-windows")


# ---------------------------------------------------------------- news


def test_news_is_public_from_its_publication_date(client):
    now = timezone.now()
    published = NewsItem.objects.create(
        title="公開済みのお知らせ", body="本文", published_at=now - datetime.timedelta(hours=1)
    )
    future = NewsItem.objects.create(title="予約のお知らせ", published_at=now + datetime.timedelta(days=1))
    hidden = NewsItem.objects.create(title="非公開のお知らせ", published_at=now, is_public=False)
    listing = client.get(reverse("news_list")).content.decode()
    assert "公開済みのお知らせ" in listing and "予約のお知らせ" not in listing and "非公開のお知らせ" not in listing
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(future.get_absolute_url()).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404
    feed = client.get(reverse("news_feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "<feed" in body and "公開済みのお知らせ" in body and "予約のお知らせ" not in body
    assert "http://testserver" + published.get_absolute_url() in body


def test_staff_post_news_in_the_admin(secretariat_client):
    from platform_portal.models import AuditLogEntry

    response = secretariat_client.post(
        reverse("admin:platform_portal_newsitem_add"),
        {
            "title": "研修会のお知らせ",
            "published_at": "令和8年1月27日 10:00",
            "is_public": "on",
            "body": "本文",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = NewsItem.objects.get()
    assert item.title == "研修会のお知らせ"
    assert timezone.localtime(item.published_at).replace(tzinfo=None) == datetime.datetime(2026, 1, 27, 10, 0)
    assert AuditLogEntry.objects.filter(action="admin.created").count() == 1


def test_packet_records_are_open_data_without_unconfirmed_phones(client):
    from meetings.models import ConsultationWindow, MunicipalProgramme

    town = Municipality.objects.create(name="見本町", order=1)
    MunicipalProgramme.objects.create(
        municipality=town, fiscal_year=2025, name="見本の居場所事業", content="居場所づくり"
    )
    ConsultationWindow.objects.create(name="確認済みの窓口", subject="相談", phone="0857-00-1111", confirmed=True)
    ConsultationWindow.objects.create(name="未確認の窓口", subject="相談", phone="0857-00-2222", confirmed=False)

    programmes = json.loads(_get(client, "municipal-programmes", "json").content)
    assert "見本の居場所事業" in json.dumps(programmes, ensure_ascii=False)
    response = _get(client, "consultation-windows", "csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "確認済みの窓口" in text and "0857-00-1111" in text
    assert "未確認の窓口" in text and "0857-00-2222" not in text
