"""Resources of organisations and contacts: natural keys, validation, round trip (docs/quality.md IE1, IE6)."""

import pytest
import tablib
from django.urls import reverse

from members.models import ContactPerson, Organization
from members.resources import ContactPersonResource, OrganizationResource
from tests.members.factories import ContactPersonFactory, GeneralTypeFactory

pytestmark = pytest.mark.django_db


def test_export_then_import_round_trips_with_no_changes(demo_data):
    ContactPersonFactory(organization=Organization.objects.get(name="NPO法人はるひな"), email="a@example.jp")
    dataset = OrganizationResource().export()
    assert len(dataset) == 65
    assert "id" not in dataset.headers and "団体名" in dataset.headers
    result = OrganizationResource().import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 65 and result.totals["update"] == 0 and result.totals["new"] == 0
    contacts = ContactPersonResource().export()
    result = ContactPersonResource().import_data(contacts, dry_run=True)
    assert not result.has_validation_errors() and result.totals["skip"] == 1


def test_import_creates_by_natural_key_and_updates_on_second_run():
    GeneralTypeFactory(name="その他")
    headers = ["団体名", "よみがな", "区分", "団体種別", "状態", "申請日", "公開同意", "活動分野"]
    dataset = tablib.Dataset(
        ["（一社）新しい会", "あたらしいかい", "一般団体", "その他", "申請中", "令和8年2月1日", "はい", ""],
        headers=headers,
    )
    result = OrganizationResource().import_data(dataset, dry_run=False)
    assert result.totals["new"] == 1
    org = Organization.objects.get()
    assert (org.name_key, org.legal_form, str(org.applied_on)) == ("新しい会", "一般社団法人", "2026-02-01")
    dataset[0] = ["（一社）新しい会", "あたらしいかい", "一般団体", "その他", "申請中", "令和8年2月1日", "いいえ", ""]
    result = OrganizationResource().import_data(dataset, dry_run=False)
    assert result.totals["update"] == 1
    org.refresh_from_db()
    assert org.publish_consent is False


def test_import_refuses_impossible_rows_and_keeps_nothing():
    GeneralTypeFactory(name="その他")
    headers = ["団体名", "区分", "団体種別", "状態", "承認日"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append(["良い会", "一般団体", "その他", "申請中", ""])
    dataset.append(["承認日なし", "一般団体", "その他", "承認", ""])  # approved needs a date (constraint)
    dataset.append(["種別なし", "一般団体", "", "申請中", ""])  # a general member needs a type
    dataset.append(["変な状態", "一般団体", "その他", "保留", ""])
    result = OrganizationResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert {row.number for row in result.invalid_rows} == {2, 3, 4}
    assert "状態" in result.invalid_rows[2].field_specific_errors  # the column as the file names it
    assert Organization.objects.count() == 0


def test_contact_import_normalises_and_validates():
    org = ContactPersonFactory().organization
    headers = ["団体名", "氏名", "メールアドレス", "電話番号", "主担当"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append([org.name, "担当　次郎", "ＪＩＲＯ＠example.jp", "０８５７－１１－２２３３", "○"])
    dataset.append(["存在しない団体", "誰か", "x@example.jp", "0857-11-2233", "はい"])
    dataset.append([org.name, "電話が変", "y@example.jp", "12", "はい"])
    result = ContactPersonResource().import_data(dataset, dry_run=False)
    # An unknown organisation is found while looking the row up by its natural key: a row error.
    assert [number for number, _errors in result.row_errors()] == [2]
    assert "存在しない団体" in str(result.row_errors()[0][1][0].error)
    assert {row.number for row in result.invalid_rows} == {3}
    assert "電話番号" in result.invalid_rows[0].field_specific_errors
    assert ContactPerson.objects.count() == 1
    dataset = tablib.Dataset(
        [org.name, "担当　次郎", "ＪＩＲＯ＠example.jp", "０８５７－１１－２２３３", "○"], headers=headers
    )
    ContactPersonResource().import_data(dataset, dry_run=False)
    contact = ContactPerson.objects.get(name="担当 次郎")
    assert (contact.email, contact.phone, contact.is_primary) == ("jiro@example.jp", "0857-11-2233", True)


def test_join_pages_are_not_cached(client):
    assert client.get(reverse("members:organization_join"))["Cache-Control"] == "no-store"


def test_import_approves_through_the_service_with_its_audit_entry_and_mail(
    secretariat, django_capture_on_commit_callbacks
):
    from platform_portal.models import AuditLogEntry, OutgoingMail

    GeneralTypeFactory(name="その他")
    pending = ContactPersonFactory(organization__status=Organization.Status.PENDING, email="c@example.jp").organization
    headers = ["団体名", "区分", "団体種別", "状態", "承認日"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append([pending.name, "一般団体", "その他", "承認", "令和8年2月1日"])
    dataset.append(["新しい会", "一般団体", "その他", "承認", "令和8年2月2日"])
    with django_capture_on_commit_callbacks(execute=True):
        result = OrganizationResource().import_data(dataset, dry_run=False, user=secretariat)
    assert not result.has_errors() and not result.has_validation_errors()
    pending.refresh_from_db()
    assert (pending.status, str(pending.approved_on)) == ("approved", "2026-02-01")
    approvals = AuditLogEntry.objects.filter(action="members.organization.approved")
    assert approvals.count() == 2 and {entry.actor for entry in approvals} == {secretariat}
    # The decision mail is queued with the approval, as through the admin (which also invites the
    # contacts to their member accounts: a second mail, to the same address).
    assert list(OutgoingMail.objects.filter(template="member_approved").values_list("to", flat=True)) == [
        ["c@example.jp"]
    ]


def test_import_cannot_move_a_member_back_to_pending(demo_data):
    name = Organization.objects.filter(status=Organization.Status.APPROVED).first().name
    dataset = tablib.Dataset([name, "申請中"], headers=["団体名", "状態"])
    result = OrganizationResource().import_data(dataset, dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert Organization.objects.get(name=name).status == Organization.Status.APPROVED


def test_new_imported_rows_get_receipt_number_dates_and_one_audit_entry(
    secretariat, django_capture_on_commit_callbacks
):
    from platform_portal.models import AuditLogEntry, OutgoingMail

    GeneralTypeFactory(name="その他")
    headers = ["団体名", "区分", "団体種別", "状態", "申請日", "承認日"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append(["取込みの会", "一般団体", "その他", "申請中", "令和8年2月1日", ""])
    dataset.append(["承認済みの会", "一般団体", "その他", "承認", "", "令和7年4月10日"])
    result = OrganizationResource().import_data(dataset, dry_run=True, user=secretariat)
    assert not result.has_errors() and not result.has_validation_errors() and result.totals["new"] == 2
    assert Organization.objects.count() == 0 and not AuditLogEntry.objects.exists()  # the preview keeps nothing

    with django_capture_on_commit_callbacks(execute=True):
        result = OrganizationResource().import_data(dataset, dry_run=False, user=secretariat)
    assert not result.has_errors() and not result.has_validation_errors() and result.totals["new"] == 2
    pending = Organization.objects.get(name="取込みの会")
    approved = Organization.objects.get(name="承認済みの会")
    # Receipt numbers in the year of application, as a self-registration gets them.
    assert (pending.status, str(pending.applied_on), pending.receipt_number) == ("pending", "2026-02-01", "M-2026-0001")
    assert (approved.status, str(approved.applied_on), str(approved.approved_on)) == (
        "approved",
        "2025-04-10",
        "2025-04-10",
    )
    assert approved.receipt_number == "M-2025-0001"
    for org in (pending, approved):
        entries = AuditLogEntry.objects.filter(action="members.organization.imported", object_id=str(org.pk))
        assert [(e.actor, e.data["receipt_number"]) for e in entries] == [(secretariat, org.receipt_number)]
    # No receipt mail for rows the secretariat already holds; the approval's decision mail is the service's.
    assert not OutgoingMail.objects.filter(template__startswith="member_application").exists()
    # Re-importing the same file creates nothing and allocates no new numbers.
    result = OrganizationResource().import_data(dataset, dry_run=False, user=secretariat)
    assert result.totals["new"] == 0
    assert AuditLogEntry.objects.filter(action="members.organization.imported").count() == 2
