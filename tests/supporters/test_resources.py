"""Import and export of the roster: CP932/BOM/UTF-8 CSV, XLSX, 和暦 dates, formula-safe, round trip, permissions."""

import datetime
import io

import pytest
import tablib
from django.test import Client
from django.urls import reverse

from platform_portal.importexport import JapaneseCSV, SafeXLSX
from platform_portal.models import AuditLogEntry
from supporters import services
from supporters.models import Supporter, TrainingCompletion
from supporters.resources import SupporterResource
from tests.members.factories import MunicipalityFactory
from tests.supporters.factories import courses, make_supporter

pytestmark = pytest.mark.django_db

CSV = (
    "名簿番号,氏名,ふりがな,市町村,メールアドレス,電話番号,住所,所属,市町村への情報提供の同意,備考,共通研修 修了日,基礎研修 修了日\n"
    "S90001,髙﨑 花子,たかさき はなこ,倉吉市,hanako@example.jp,0858-00-0001,,①㈱テスト,はい,,R7.8.4,令和7年8月18日\n"
    "S90002,見本 次郎,みほん じろう,倉吉市,,,,,いいえ,,2025/08/04,\n"
)


@pytest.fixture
def setup(db):
    MunicipalityFactory(name="倉吉市")
    return courses()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_import_csv_in_every_excel_encoding_with_wareki_dates(setup, encoding):
    common, basic = setup
    dataset = JapaneseCSV().create_dataset(CSV.encode(encoding))
    resource = SupporterResource()
    dry = resource.import_data(dataset, dry_run=True)
    assert not dry.has_errors() and not dry.has_validation_errors()
    assert dry.totals["new"] == 2
    assert not Supporter.objects.exists()
    result = resource.import_data(dataset, dry_run=False)
    assert result.totals["new"] == 2
    hanako = Supporter.objects.get(roster_code="S90001")
    assert hanako.name == "髙﨑 花子" and hanako.affiliation == "①㈱テスト"
    assert hanako.consent_share_with_municipality is True
    assert hanako.status == Supporter.Status.IN_TRAINING
    dates = dict(TrainingCompletion.objects.filter(supporter=hanako).values_list("course__name", "completed_on"))
    assert dates == {"共通研修": datetime.date(2025, 8, 4), "基礎研修": datetime.date(2025, 8, 18)}
    jiro = Supporter.objects.get(roster_code="S90002")
    assert list(jiro.trainings.values_list("course__name", flat=True)) == ["共通研修"]
    # Each completion is recorded by the service, with its audit entry (docs/house-style.md R20).
    assert AuditLogEntry.objects.filter(action="supporters.training.completed").count() == 3


def test_one_bad_row_rejects_the_whole_file(setup):
    bad = CSV + "S90003,誤り 三郎,,存在しない町,,,,,はい,,R7.2.30,\n"
    result = SupporterResource().import_data(JapaneseCSV().create_dataset(bad.encode()), dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert not Supporter.objects.exists()


def test_export_is_formula_safe_and_round_trips(setup, secretariat):
    person = make_supporter(
        actor=secretariat,
        name="=cmd|' /C calc'!A0",
        kana="-さん",
        notes="+1",
        affiliation="@所属",
        consent_share_with_municipality=True,
    )
    services.supporter_appoint(actor=secretariat, supporters=[person], appointed_on=datetime.date(2025, 9, 1))
    dataset = SupporterResource().export()
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["氏名"].startswith("'=")
    assert row["ふりがな"] == "'-さん" and row["備考"] == "'+1" and row["所属"] == "'@所属"
    assert str(row["任命番号"]) == "1" and row["任命日"] == "2025-09-01" and row["状況"] == "サポーター"
    assert row["共通研修 修了日"] == "2025-08-04"
    # Round trip of plain values: export then import gives no changes.
    plain = make_supporter(actor=secretariat, name="往復 花子", kana="おうふく", roster_code="S77777")
    exported = SupporterResource().export(queryset=Supporter.objects.filter(pk=plain.pk))
    result = SupporterResource().import_data(
        tablib.Dataset().load(JapaneseCSV().export_data(exported).decode("utf-8-sig"), format="csv"), dry_run=False
    )
    assert not result.has_errors(), [e.error for row in result.row_errors() for e in row[1]]
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert result.totals["skip"] == 1 and result.totals["new"] == 0 and result.totals["update"] == 0


def test_xlsx_import(setup):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    rows = [line.split(",") for line in CSV.strip().split("\n")]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    dataset = SafeXLSX().create_dataset(buffer.getvalue())
    result = SupporterResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Supporter.objects.count() == 2


def test_admin_export_needs_the_explicit_permission_and_is_audited(secretariat_client, official, setup, secretariat):
    make_supporter(actor=secretariat)
    url = reverse("admin:supporters_supporter_export")
    official_client = Client()
    official_client.force_login(official)
    assert official_client.get(url).status_code == 403
    response = secretariat_client.post(
        url, {"format": "0", "resource": "0", **{f"supporterresource_{f}": "on" for f in ["roster_code", "name"]}}
    )
    assert response.status_code == 200, response.content.decode()[:3000]
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert AuditLogEntry.objects.get(action="data.exported").data["rows"] == 1
