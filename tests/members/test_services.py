"""Registration, duplicates, receipt numbers, decisions, audit entries and mail after commit."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from members import services
from members.models import ContactPerson, Organization
from platform_portal.models import AuditLogEntry, OutgoingMail
from tests.members.factories import ContactPersonFactory, OrganizationFactory, application_data
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def _register(django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        organization = services.organization_register(**application_data(**overrides))
    run_tasks()  # the worker sends the queued mails
    return organization


def test_register_creates_a_pending_general_member_with_receipt(django_capture_on_commit_callbacks, settings):
    settings.SECRETARIAT_EMAIL = "jimukyoku@example.jp"
    org = _register(django_capture_on_commit_callbacks, today=datetime.date(2026, 2, 1))
    org.refresh_from_db()
    assert org.status == Organization.Status.PENDING
    assert org.tier == Organization.Tier.GENERAL
    assert org.receipt_number == "M-2026-0001"
    assert org.applied_on == datetime.date(2026, 2, 1)
    assert org.name_key == "みらいの居場所"
    assert org.legal_form == "特定非営利活動法人"
    assert not org.is_public
    assert org.contacts.get().email == "hanako@example.jp"
    assert AuditLogEntry.objects.filter(action="members.organization.applied", object_id=str(org.pk)).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["hanako@example.jp", "jimukyoku@example.jp"]
    receipt = next(m for m in mail.outbox if m.to == ["hanako@example.jp"])
    assert "M-2026-0001" in receipt.body


def test_receipt_numbers_run_per_year(django_capture_on_commit_callbacks):
    first = _register(django_capture_on_commit_callbacks, today=datetime.date(2026, 3, 1))
    second = _register(
        django_capture_on_commit_callbacks,
        name="別の団体",
        contact_email="b@example.jp",
        today=datetime.date(2026, 3, 2),
    )
    next_year = _register(
        django_capture_on_commit_callbacks,
        name="三つ目の団体",
        contact_email="c@example.jp",
        today=datetime.date(2027, 1, 5),
    )
    assert [first.receipt_number, second.receipt_number, next_year.receipt_number] == [
        "M-2026-0001",
        "M-2026-0002",
        "M-2027-0001",
    ]


def test_resubmitting_the_same_token_returns_the_same_record(django_capture_on_commit_callbacks):
    data = application_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.organization_register(**data)
        again = services.organization_register(**data)
    assert first.pk == again.pk
    assert Organization.objects.count() == 1
    assert ContactPerson.objects.count() == 1


@pytest.mark.parametrize(
    "name",
    ["特定非営利活動法人みらいの居場所", "ＮＰＯ法人　みらいの居場所", "みらいの居場所", "(一社)みらいの居場所"],
)
def test_the_same_group_cannot_register_twice(django_capture_on_commit_callbacks, name):
    _register(django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as exc:
        _register(django_capture_on_commit_callbacks, name=name, contact_email="other@example.jp")
    assert [e.code for e in exc.value.error_list] == ["duplicate_name"]
    assert Organization.objects.count() == 1


def test_the_same_email_cannot_register_another_group(django_capture_on_commit_callbacks):
    ContactPersonFactory(email="hanako@example.jp")
    with pytest.raises(ValidationError) as exc:
        _register(django_capture_on_commit_callbacks, contact_email="HANAKO@example.jp")
    assert [e.code for e in exc.value.error_list] == ["duplicate_email"]


def test_a_rejected_group_may_apply_again(django_capture_on_commit_callbacks, secretariat):
    org = _register(django_capture_on_commit_callbacks)
    services.organization_reject(actor=secretariat, organization=org, reason="活動内容の確認ができませんでした")
    again = _register(django_capture_on_commit_callbacks)
    assert again.pk != org.pk


class BrokenBackend(BaseEmailBackend):
    def open(self):
        raise ConnectionRefusedError("smtp down")

    def send_messages(self, messages):
        raise AssertionError("never reached")


def test_mail_outage_loses_no_application(django_capture_on_commit_callbacks, settings, caplog):
    settings.EMAIL_BACKEND = "tests.members.test_services.BrokenBackend"
    settings.SECRETARIAT_EMAIL = "jimukyoku@example.jp"
    org = _register(django_capture_on_commit_callbacks)
    assert Organization.objects.filter(pk=org.pk, status="pending").exists()
    assert "attempt 1 failed" in caplog.text
    # Both messages wait for their retry.
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"queued"}


def test_no_mail_leaves_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.organization_register(**application_data())
        raise RuntimeError("rolled back")
    assert not OutgoingMail.objects.exists()
    assert run_tasks() == 0
    assert mail.outbox == []


def test_approve_reject_withdraw_with_dates_reasons_audit_and_mail(django_capture_on_commit_callbacks, secretariat):
    org = _register(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_approve(actor=secretariat, organization=org, on=datetime.date(2026, 2, 10))
    run_tasks()
    org.refresh_from_db()
    assert (org.status, org.approved_on, org.is_public) == ("approved", datetime.date(2026, 2, 10), True)
    assert mail.outbox[-1].to == ["hanako@example.jp"]
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_withdraw(
            actor=secretariat, organization=org, reason="解散のため", on=datetime.date(2026, 3, 1)
        )
    org.refresh_from_db()
    assert (org.status, org.withdrawn_on, org.status_reason) == ("withdrawn", datetime.date(2026, 3, 1), "解散のため")
    assert org.approved_on == datetime.date(2026, 2, 10)  # the history stays
    actions = list(AuditLogEntry.objects.filter(object_id=str(org.pk)).order_by("pk").values_list("action", flat=True))
    assert actions == [
        "members.organization.applied",
        "members.organization.approved",
        "members.membership.invited",  # the contact person's account for the member pages
        "members.organization.withdrawn",
    ]


def test_illegal_transitions_are_refused(django_capture_on_commit_callbacks, secretariat):
    org = _register(django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as exc:
        services.organization_withdraw(actor=secretariat, organization=org)
    assert exc.value.code == "illegal_transition"
    with pytest.raises(ValidationError) as exc:
        services.organization_reject(actor=secretariat, organization=org, reason=" ")
    assert exc.value.code == "reason_required"


def test_mail_subject_cannot_carry_a_header_break(django_capture_on_commit_callbacks, secretariat):
    org = OrganizationFactory(status="pending", approved_on=None)
    ContactPersonFactory(organization=org, email="x@example.jp")
    Organization.objects.filter(pk=org.pk).update(name="悪い団体\r\nBcc: evil@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_approve(actor=secretariat, organization=org)
    run_tasks()
    assert "\n" not in mail.outbox[-1].subject and "\r" not in mail.outbox[-1].subject
    assert mail.outbox[-1].bcc == []


def test_organization_save_keeps_name_key_and_audits(secretariat):
    org = OrganizationFactory.build(name="（一社）テスト協会", general_type=OrganizationFactory().general_type)
    services.organization_save(actor=secretariat, organization=org, changed_fields=["name"])
    assert org.name_key == "テスト協会"
    assert org.legal_form == "一般社団法人"
    assert AuditLogEntry.objects.filter(action="members.organization.created", object_id=str(org.pk)).exists()


def test_receipt_number_collision_is_retried(django_capture_on_commit_callbacks, monkeypatch):
    taken = _register(django_capture_on_commit_callbacks, today=datetime.date(2026, 5, 1))
    numbers = iter([taken.receipt_number, "M-2026-0002"])
    monkeypatch.setattr(services, "_next_receipt_number", lambda year: next(numbers))
    org = _register(
        django_capture_on_commit_callbacks,
        name="後の団体",
        contact_email="later@example.jp",
        today=datetime.date(2026, 5, 2),
    )
    assert org.receipt_number == "M-2026-0002"
    assert Organization.objects.count() == 2
