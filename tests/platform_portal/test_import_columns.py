"""Imports in Japanese: the file's own column names, English field names too, missing columns named
first, the export's formula guard undone, formula-looking cells refused unless confirmed as text,
export → re-import changes nothing, export file names in Japanese."""

import datetime
import urllib.parse

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Organization
from members.resources import OrganizationResource
from platform_portal.importexport import JapaneseCSV
from supporters.models import Supporter
from supporters.resources import SupporterResource
from tests.members.factories import GeneralTypeFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def _import(resource, csv_text: str, *, encoding="utf-8", **kwargs):
    dataset = JapaneseCSV().create_dataset(csv_text.encode(encoding))
    return resource.import_data(dataset, dry_run=False, **kwargs)


def _base_errors(result) -> list[str]:
    return [str(error.error) for error in result.base_errors]


def test_english_field_names_are_accepted_beside_japanese_headers():
    GeneralTypeFactory(name="その他")
    result = _import(
        OrganizationResource(),
        "name,ふりがな,tier,General type,status\n新しい会,あたらしいかい,一般団体,その他,申請中\n",
    )
    assert not result.has_errors(), _base_errors(result)
    assert not result.has_validation_errors()
    org = Organization.objects.get()
    assert (org.name, org.name_kana, org.general_type.name) == ("新しい会", "あたらしいかい", "その他")


def test_a_missing_required_column_is_named_before_any_row_is_read():
    result = _import(OrganizationResource(), "よみがな,区分\n" + "あ,一般団体\n" * 3)
    assert _base_errors(result) == [
        "ファイルに「団体名」の列がありません。1行目の列名に追加してから、もう一度インポートしてください。"
    ]
    assert not result.invalid_rows and not result.row_errors()
    assert Organization.objects.count() == 0


def test_cp932_csv_with_japanese_headers_bad_row_names_the_column_as_the_file_does(secretariat_client):
    GeneralTypeFactory(name="その他")
    csv_text = "団体名,ふりがな,区分,団体種別,状態\n良い会,よいかい,一般団体,その他,申請中\n悪い会,わるいかい,一般団体,存在しない種別,申請中\n"
    upload = SimpleUploadedFile("会員.csv", csv_text.encode("cp932"))
    response = secretariat_client.post(
        reverse("admin:members_organization_import"), {"import_file": upload, "format": 0, "resource": 0}
    )
    result = response.context["result"]
    assert {row.number: list(row.field_specific_errors) for row in result.invalid_rows} == {2: ["団体種別"]}
    html = response.content.decode()
    assert '<span class="validation-error-field-label">団体種別</span>' in html
    assert Organization.objects.count() == 0
    # The same file without the bad row imports (CP932, Japanese headers).
    good = "団体名,ふりがな,区分,団体種別,状態\n良い会,よいかい,一般団体,その他,申請中\n"
    result = _import(OrganizationResource(), good, encoding="cp932")
    assert result.totals["new"] == 1 and not result.has_validation_errors()


def test_an_english_header_is_named_in_errors_as_the_file_names_it():
    GeneralTypeFactory(name="その他")
    result = _import(OrganizationResource(), "name,tier,general_type,status\n悪い会,一般団体,無い種別,申請中\n")
    assert list(result.invalid_rows[0].field_specific_errors) == ["general_type"]


def test_registry_export_then_reimport_changes_nothing_even_with_formula_looking_text(demo_data):
    org = Organization.objects.get(name="NPO法人はるひな")
    Organization.objects.filter(pk=org.pk).update(description="=1+1 は見本の活動内容", address="-")
    content = JapaneseCSV().export_data(OrganizationResource().export())
    assert "'=1+1" in content.decode("utf-8-sig")
    result = OrganizationResource().import_data(JapaneseCSV().create_dataset(content), dry_run=True)
    assert not result.has_errors(), _base_errors(result)
    assert (result.totals["new"], result.totals["update"]) == (0, 0)
    assert result.totals["skip"] == Organization.objects.count()


def test_supporters_export_then_reimport_changes_nothing(secretariat):
    from tests.supporters.factories import make_supporter

    make_supporter(actor=secretariat, name="@見本 花子", kana="みほん", roster_code="S1", notes="-注意")
    make_supporter(actor=secretariat, name="見本 次郎", kana="みほん", roster_code="S2")
    content = JapaneseCSV().export_data(SupporterResource().export())
    result = SupporterResource().import_data(JapaneseCSV().create_dataset(content), dry_run=False)
    assert not result.has_errors(), _base_errors(result)
    assert not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 2)
    assert Supporter.objects.get(roster_code="S1").name == "@見本 花子"


def test_a_formula_looking_cell_is_refused_unless_confirmed_as_text():
    GeneralTypeFactory(name="その他")
    csv_text = '団体名,区分,団体種別,状態,活動内容\n新しい会,一般団体,その他,申請中,=HYPERLINK("http://x")\n'
    result = _import(OrganizationResource(), csv_text)
    (message,) = _base_errors(result)
    assert "1行目「活動内容」: =HYPERLINK" in message
    assert Organization.objects.count() == 0
    result = _import(OrganizationResource(), csv_text, formulas_are_text=True)
    assert result.totals["new"] == 1
    assert Organization.objects.get().description == '=HYPERLINK("http://x")'


def test_negative_looking_numbers_are_not_formulas():
    from platform_portal.import_columns import looks_like_formula, undo_formula_guard

    assert not looks_like_formula("-5") and not looks_like_formula("+81") and looks_like_formula("+81 857")
    assert undo_formula_guard("'=A1") == "=A1" and undo_formula_guard("'abc") == "'abc"


def test_admin_import_form_carries_the_text_confirmation_to_the_confirm_step(secretariat_client):
    GeneralTypeFactory(name="その他")
    csv_text = "団体名,区分,団体種別,状態,活動内容\n新しい会,一般団体,その他,申請中,+ 見本の活動\n"
    url = reverse("admin:members_organization_import")
    refused = secretariat_client.post(
        url, {"import_file": SimpleUploadedFile("a.csv", csv_text.encode()), "format": 0, "resource": 0}
    )
    assert "1行目「活動内容」" in refused.content.decode()
    preview = secretariat_client.post(
        url,
        {
            "import_file": SimpleUploadedFile("a.csv", csv_text.encode()),
            "format": 0,
            "resource": 0,
            "formulas_are_text": "on",
        },
    )
    data = dict(preview.context["confirm_form"].initial)
    assert data["formulas_are_text"] is True
    secretariat_client.post(reverse("admin:members_organization_process_import"), data)
    assert Organization.objects.get().description == "+ 見本の活動"


def test_export_file_name_carries_dataset_municipality_and_date(secretariat_client):
    from django.utils import timezone

    from tests.members.factories import OrganizationFactory

    town = MunicipalityFactory(name="智頭町")
    OrganizationFactory(municipality=town)
    url = reverse("admin:members_organization_export") + f"?municipality__id__exact={town.pk}"
    response = secretariat_client.post(
        url, {"format": "0", "resource": "0", **{f"organizationresource_{f}": "on" for f in ["name", "tier"]}}
    )
    assert response.status_code == 200
    disposition = urllib.parse.unquote(response["Content-Disposition"])
    assert f"会員団体_智頭町_{timezone.localdate().isoformat()}.csv" in disposition


def test_round_trip_of_a_plain_tablib_dataset_with_english_headers():
    GeneralTypeFactory(name="その他")
    dataset = tablib.Dataset(
        ["会A", "一般団体", "その他", "申請中"], headers=["name", "tier", "general_type", "status"]
    )
    assert OrganizationResource().import_data(dataset, dry_run=False).totals["new"] == 1
    again = tablib.Dataset(["会A", "一般団体", "その他", "申請中"], headers=["name", "tier", "general_type", "status"])
    assert OrganizationResource().import_data(again, dry_run=False).totals["skip"] == 1


def test_subsidy_applications_export_then_reimport_changes_nothing(demo_data, secretariat):
    from subsidies.models import Application
    from subsidies.resources import ApplicationResource

    assert Application.objects.exists()
    content = JapaneseCSV().export_data(ApplicationResource().export())
    result = ApplicationResource().import_data(JapaneseCSV().create_dataset(content), dry_run=False, user=secretariat)
    assert not result.has_errors(), _base_errors(result) + [str(e.error) for _n, es in result.row_errors() for e in es]
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert (result.totals["new"], result.totals["update"]) == (0, 0)
    assert result.totals["skip"] == Application.objects.count()


def test_subsidy_application_reimport_changes_drafts_through_the_service_and_refuses_new_rows(secretariat):
    from platform_portal.models import AuditLogEntry
    from subsidies import services
    from subsidies.models import Application
    from subsidies.resources import ApplicationResource
    from tests.members.factories import OrganizationFactory
    from tests.subsidies.factories import ProgramTierFactory

    tier = ProgramTierFactory()
    application = services.application_create(
        actor=secretariat,
        program=tier.program,
        tier=tier,
        organization=OrganizationFactory(),
        title="交流事業",
        purpose="見本",
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2026, 2, 28),
    )
    dataset = ApplicationResource().export()
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    row["事業名"] = "見本の新しい事業名"
    changed = tablib.Dataset(list(row.values()), headers=list(row))
    result = ApplicationResource().import_data(changed, dry_run=False, user=secretariat)
    assert result.totals["update"] == 1, [r.error_dict for r in result.invalid_rows]
    application.refresh_from_db()
    assert application.title == "見本の新しい事業名"
    assert AuditLogEntry.objects.filter(action="subsidies.application.updated").exists()
    row["申請番号"] = "存在しない番号"
    result = ApplicationResource().import_data(
        tablib.Dataset(list(row.values()), headers=list(row)), dry_run=False, user=secretariat
    )
    assert result.has_validation_errors(), (
        dict(result.totals),
        [str(e.error) for _n, es in result.row_errors() for e in es],
    )
    assert Application.objects.count() == 1
