"""The secretariat's approval queue, decisions, audit, attention count and import/export in the admin."""

import io
import re

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import ContactPerson, Organization
from platform_portal.models import AuditLogEntry
from tests.members.factories import (
    ContactPersonFactory,
    GeneralTypeFactory,
    MunicipalityFactory,
    OrganizationFactory,
    SteeringCategoryFactory,
)
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:members_organization_changelist")


def _pending(name: str, **kwargs) -> Organization:
    org = OrganizationFactory(name=name, status="pending", approved_on=None, applied_on="2026-02-01", **kwargs)
    ContactPersonFactory(organization=org, email=f"{org.pk}@example.jp")
    return org


@pytest.mark.parametrize("rows", [10, 500])
def test_changelist_query_count_does_not_grow(secretariat_client, django_assert_max_num_queries, rows):
    kind, town, category = GeneralTypeFactory(), MunicipalityFactory(), SteeringCategoryFactory()
    Organization.objects.bulk_create(
        Organization(
            name=f"団体{i}",
            general_type=kind if i % 2 else None,
            steering_category=None if i % 2 else category,
            tier="general" if i % 2 else "steering",
            municipality=town,
            status="pending" if i % 3 else "approved",
            approved_on=None if i % 3 else "2025-04-01",
        )
        for i in range(rows)
    )
    with django_assert_max_num_queries(16):
        response = secretariat_client.get(CHANGELIST)
    assert response.status_code == 200


def test_pending_applications_come_first_and_are_counted_on_the_index(secretariat_client):
    OrganizationFactory(name="承認済み", name_kana="あ")
    _pending("申請中", name_kana="ん")
    response = secretariat_client.get(CHANGELIST)
    names = [o.name for o in response.context["cl"].result_list]
    assert names == ["申請中", "承認済み"]
    index = secretariat_client.get(reverse("admin:index"))
    items = index.context["attention_items"]
    assert [(str(i.label), i.count) for i in items if "status__exact=pending" in i.url][0][1] == 1


def test_bulk_approve_through_the_reason_page(secretariat_client, django_capture_on_commit_callbacks):
    first, second = _pending("一つ目"), _pending("二つ目")
    data = {"action": "approve_selected", "_selected_action": [first.pk, second.pk]}
    page = secretariat_client.post(CHANGELIST, data)
    assert page.status_code == 200 and "admin/members/organization/decision.html" in [t.name for t in page.templates]
    assert Organization.objects.filter(status="approved").count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(CHANGELIST, {**data, "apply": "1", "reason": "書類確認済み"})
    assert response.status_code == 302
    assert set(Organization.objects.values_list("status", flat=True)) == {"approved"}
    run_tasks()
    # One approval notice and one invitation to the member pages per group.
    invitations = [m for m in mail.outbox if "/accounts/password/reset/key/" in m.body]
    assert (len(mail.outbox) - len(invitations), len(invitations)) == (2, 2)
    assert AuditLogEntry.objects.filter(action="members.organization.approved").count() == 2


def test_bulk_reject_needs_a_reason(secretariat_client, django_capture_on_commit_callbacks):
    org = _pending("却下候補")
    data = {"action": "reject_selected", "_selected_action": [org.pk], "apply": "1", "reason": ""}
    page = secretariat_client.post(CHANGELIST, data)
    assert page.status_code == 200 and page.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(CHANGELIST, {**data, "reason": "活動実態が確認できませんでした"})
    org.refresh_from_db()
    assert (org.status, org.status_reason) == ("rejected", "活動実態が確認できませんでした")
    run_tasks()
    assert "活動実態が確認できませんでした" in mail.outbox[-1].body


def test_withdrawal_of_a_pending_application_is_refused_with_a_message(secretariat_client):
    org = _pending("まだ申請中")
    response = secretariat_client.post(
        CHANGELIST,
        {"action": "withdraw_selected", "_selected_action": [org.pk], "apply": "1", "reason": ""},
        follow=True,
    )
    assert any(m.level_tag == "error" for m in response.context["messages"])
    org.refresh_from_db()
    assert org.status == "pending"


def test_official_cannot_decide_import_or_export(official_client):
    org = _pending("閲覧のみ")
    response = official_client.post(
        CHANGELIST, {"action": "approve_selected", "_selected_action": [org.pk], "apply": "1"}
    )
    org.refresh_from_db()
    assert org.status == "pending"
    assert response.status_code in (200, 302, 403)
    assert official_client.get(reverse("admin:members_organization_import")).status_code == 403
    assert official_client.get(reverse("admin:members_organization_export")).status_code == 403
    assert official_client.get(reverse("admin:members_contactperson_export")).status_code == 403


def test_admin_edit_goes_through_the_service_with_contacts(secretariat_client):
    kind = GeneralTypeFactory()
    url = reverse("admin:members_organization_add")
    data = {
        "tier": "general",
        "general_type": kind.pk,
        "name": "（一社）新しい会",
        "name_kana": "あたらしいかい",
        "legal_form": "",
        "address": "",
        "website": "https://example.jp",
        "description": "",
        "publish_consent": "on",
        "activities-TOTAL_FORMS": "0",
        "activities-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "担当 一郎",
        "contacts-0-role": "",
        "contacts-0-email": "ＩＣＨＩＲＯ＠example.jp",
        "contacts-0-phone": "０８５７－１１－２２３３",
        "contacts-0-is_primary": "on",
    }
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    org = Organization.objects.get()
    assert (org.status, org.name_key, org.legal_form) == ("pending", "新しい会", "一般社団法人")
    contact = ContactPerson.objects.get()
    assert (contact.email, contact.phone) == ("ichiro@example.jp", "0857-11-2233")
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"members.organization.created", "members.contact.created"} <= actions
    change = secretariat_client.get(reverse("admin:members_organization_change", args=[org.pk]))
    assert change.status_code == 200


# ---------------------------------------------------------------- import / export through the admin

HEADER = "団体名,よみがな,区分,幹事団体区分,団体種別,法人格,市町村,所在地,ウェブサイト,活動内容,活動分野,公開同意,状態,理由,申請日,承認日,不承認日,退会日\n"


def _lookups():
    GeneralTypeFactory(name="その他")
    MunicipalityFactory(name="鳥取市")


def _import(client, content: bytes, name: str, fmt: int):
    url = reverse("admin:members_organization_import")
    upload = SimpleUploadedFile(name, content)
    return client.post(url, {"import_file": upload, "format": fmt, "resource": 0})


def _confirm(client, response):
    form = response.context["confirm_form"]
    data = dict(form.initial)
    return client.post(reverse("admin:members_organization_process_import"), data)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_admin_imports_csv_in_every_excel_encoding(secretariat_client, encoding):
    _lookups()
    csv_text = (
        HEADER
        + "髙﨑の会①,たかさきのかい,一般団体,,その他,,鳥取市,,https://example.jp,,,はい,承認,,R8.1.5,令和8年1月27日,,\n"
    )
    response = _import(secretariat_client, csv_text.encode(encoding), "members.csv", 0)
    assert response.status_code == 200 and not response.context["result"].has_errors()
    assert not response.context["result"].has_validation_errors()
    _confirm(secretariat_client, response)
    org = Organization.objects.get()
    assert (org.name, org.status, str(org.approved_on), org.name_key) == (
        "髙﨑の会①",
        "approved",
        "2026-01-27",
        "髙﨑の会1",
    )
    assert AuditLogEntry.objects.filter(action="data.imported").count() == 1


def test_admin_import_preview_has_no_inline_styles_and_the_result_is_in_japanese(secretariat_client):
    _lookups()
    csv_text = HEADER + "新しい会,あたらしいかい,一般団体,,その他,,鳥取市,,,,,はい,承認,,R8.1.5,R8.1.27,,\n"
    preview = _import(secretariat_client, csv_text.encode("cp932"), "members.csv", 0)
    html = preview.content.decode()
    assert 'class="import-diff-ins">新しい会</ins>' in html
    assert " style=" not in html  # the CSP (style-src 'self') would block them
    done = _confirm(secretariat_client, preview)
    shown = [str(m) for m in get_messages(done.wsgi_request)]
    assert shown == ["インポートが完了しました: 新規 1件、更新 0件、削除 0件、スキップ 0件（会員団体）。"]


def test_admin_import_rejects_the_whole_file_naming_row_and_column(secretariat_client):
    _lookups()
    csv_text = (
        HEADER
        + "良い会,よいかい,一般団体,,その他,,鳥取市,,,,,はい,申請中,,2026-01-05,,,\n"
        + "悪い会,わるいかい,一般団体,,存在しない種別,,鳥取市,,,,,はい,承認,,2026-01-05,,,\n"
        + "日付なし,ひづけなし,一般団体,,その他,,鳥取市,,javascript:alert(1),,,はい,承認,,,,,\n"
    )
    response = _import(secretariat_client, csv_text.encode("utf-8"), "members.csv", 0)
    result = response.context["result"]
    assert result.has_validation_errors()
    invalid = {row.number: row.field_specific_errors for row in result.invalid_rows}
    assert set(invalid) == {2, 3}
    assert "団体種別" in invalid[2]  # the column as the file names it
    assert "ウェブサイト" in invalid[3]
    # The admin page names the row and the column of each error.
    html = response.content.decode()
    assert "存在しない種別" in html and "団体種別" in html
    assert Organization.objects.count() == 0


def test_admin_imports_xlsx(secretariat_client):
    _lookups()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(
        [
            "XLSXの会",
            "えくせるのかい",
            "一般団体",
            None,
            "その他",
            None,
            "鳥取市",
            None,
            None,
            None,
            None,
            "はい",
            "申請中",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    response = _import(secretariat_client, buffer.getvalue(), "members.xlsx", 1)
    assert not response.context["result"].has_errors() and not response.context["result"].has_validation_errors()
    _confirm(secretariat_client, response)
    assert Organization.objects.get().name == "XLSXの会"


def test_admin_export_uses_natural_keys_and_is_formula_safe(secretariat_client):
    org = OrganizationFactory(name="=cmd|' /C calc'!A0", municipality=MunicipalityFactory(name="鳥取市"))
    ContactPersonFactory(organization=org, name="+担当", email="a@example.jp")
    response = secretariat_client.post(
        reverse("admin:members_organization_export"), {"format": 0, "resource": 0, **_export_fields("organization")}
    )
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("団体名,よみがな,区分")
    assert "'=cmd" in text and "鳥取市" in text and "承認" in text
    response = secretariat_client.post(
        reverse("admin:members_contactperson_export"), {"format": 0, "resource": 0, **_export_fields("contactperson")}
    )
    text = response.content.decode("utf-8-sig")
    assert "'+担当" in text and "'=cmd" in text
    assert AuditLogEntry.objects.filter(action="data.exported").count() == 2


def _export_fields(model: str) -> dict:
    from members.resources import ContactPersonResource, OrganizationResource

    resource = OrganizationResource if model == "organization" else ContactPersonResource
    prefix = resource.__name__.lower()
    return {f"{prefix}_{name}": "on" for name in resource._meta.fields}


def test_admin_contact_import_by_natural_key(secretariat_client):
    OrganizationFactory(name="はるひな")
    csv_text = "団体名,氏名,役職,メールアドレス,電話番号,主担当\nはるひな,鳥取　花子,代表,ＨＡＮＡＫＯ＠example.jp,０８５７－２６－７０００,はい\n"
    url = reverse("admin:members_contactperson_import")
    response = secretariat_client.post(
        url, {"import_file": SimpleUploadedFile("c.csv", csv_text.encode("cp932")), "format": 0, "resource": 0}
    )
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    form = response.context["confirm_form"]
    secretariat_client.post(reverse("admin:members_contactperson_process_import"), dict(form.initial))
    contact = ContactPerson.objects.get()
    assert (contact.name, contact.email, contact.phone) == ("鳥取 花子", "hanako@example.jp", "0857-26-7000")


def test_every_admin_url_refuses_anonymous_users(client):
    urls = [
        CHANGELIST,
        reverse("admin:members_organization_add"),
        reverse("admin:members_organization_import"),
        reverse("admin:members_organization_export"),
        reverse("admin:members_contactperson_changelist"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_admin_history_shows_audit_entries(secretariat_client, secretariat):
    from members import services

    org = _pending("履歴の会")
    services.organization_approve(actor=secretariat, organization=org)
    page = secretariat_client.get(reverse("admin:members_organization_change", args=[org.pk]))
    assert re.search("audit-log", page.content.decode())


@pytest.mark.parametrize("rows", [10, 500])
def test_contact_changelist_query_count_does_not_grow(secretariat_client, django_assert_max_num_queries, rows):
    org = OrganizationFactory()
    ContactPerson.objects.bulk_create(
        ContactPerson(organization=org, name=f"担当{i}", email=f"c{i}@example.jp") for i in range(rows)
    )
    with django_assert_max_num_queries(12):
        response = secretariat_client.get(reverse("admin:members_contactperson_changelist"))
    assert response.status_code == 200


def test_contact_add_form_and_organization_choices_render(secretariat_client):
    OrganizationFactory(name="選べる会")
    response = secretariat_client.get(reverse("admin:members_contactperson_add"))
    assert response.status_code == 200


# ---------------------------------------------------------------- import uploads never stay (issue 12, F5)


@pytest.fixture
def import_tmp(settings, tmp_path):
    settings.IMPORT_TMP_DIR = tmp_path / "imports"
    return settings.IMPORT_TMP_DIR


def _leftovers(directory) -> list:
    return sorted(directory.iterdir()) if directory.exists() else []


def test_refused_import_leaves_no_file(secretariat_client, import_tmp):
    _lookups()
    csv_text = HEADER + "悪い会,わるいかい,一般団体,,存在しない種別,,鳥取市,,,,,はい,承認,,2026-01-05,,,\n"
    response = _import(secretariat_client, csv_text.encode("utf-8"), "members.csv", 0)
    assert response.context["result"].has_validation_errors()
    assert _leftovers(import_tmp) == []
    unreadable = _import(secretariat_client, b"\xff\xfe\x00garbage", "members.csv", 0)
    assert unreadable.status_code == 200
    assert _leftovers(import_tmp) == []


def test_confirmed_import_leaves_no_file(secretariat_client, import_tmp):
    _lookups()
    csv_text = HEADER + "新しい会,あたらしいかい,一般団体,,その他,,鳥取市,,,,,はい,承認,,R8.1.5,R8.1.27,,\n"
    preview = _import(secretariat_client, csv_text.encode("utf-8"), "members.csv", 0)
    stored = _leftovers(import_tmp)
    assert len(stored) == 1 and oct(stored[0].stat().st_mode & 0o777) == "0o600"
    _confirm(secretariat_client, preview)
    assert Organization.objects.count() == 1
    assert _leftovers(import_tmp) == []


def test_a_forged_file_name_is_refused(secretariat_client, import_tmp, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    data = {"import_file_name": "../secret.txt", "original_file_name": "x.csv", "format": 0, "resource": 0}
    response = secretariat_client.post(reverse("admin:members_organization_process_import"), data)
    assert response.status_code == 403
    assert secret.exists()


def test_cleanup_removes_unconfirmed_previews(secretariat_client, import_tmp):
    import datetime
    import os
    import time

    from platform_portal.importexport import importexport_cleanup_leftovers

    _lookups()
    csv_text = HEADER + "新しい会,あたらしいかい,一般団体,,その他,,鳥取市,,,,,はい,承認,,R8.1.5,R8.1.27,,\n"
    _import(secretariat_client, csv_text.encode("utf-8"), "members.csv", 0)  # never confirmed
    (stored,) = _leftovers(import_tmp)
    other = import_tmp / "not-ours.txt"
    other.write_text("kept")
    assert importexport_cleanup_leftovers(older_than=datetime.timedelta(hours=1)) == 0
    old = time.time() - 2 * 3600
    os.utime(stored, (old, old))
    os.utime(other, (old, old))
    assert importexport_cleanup_leftovers(older_than=datetime.timedelta(hours=1)) == 1
    assert _leftovers(import_tmp) == [other]
