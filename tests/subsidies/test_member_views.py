"""Subsidies online for member groups (issue 14): every step through the same services as staff."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import services as member_services
from members.models import ContactPerson, Membership, Organization
from platform_portal.models import AuditLogEntry
from subsidies import rules, services
from subsidies.models import Application
from tests.members.factories import OrganizationFactory
from tests.pdf_samples import plain_pdf
from tests.subsidies.factories import ProgramTierFactory
from tests.tasks import run_tasks


@pytest.fixture
def member(db, secretariat, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(status=Organization.Status.PENDING, approved_on=None)
    ContactPerson.objects.create(organization=organization, name="担当", email="m@example.jp", is_primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        member_services.organization_approve(actor=secretariat, organization=organization)
    return Membership.objects.select_related("user", "organization").get(organization=organization)


def _lines(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


@time_machine.travel(datetime.datetime(2025, 6, 1, 10, tzinfo=datetime.UTC))
def test_member_applies_is_sent_back_resubmits_and_reports(
    client, member, secretariat, media_root, django_capture_on_commit_callbacks, settings
):
    settings.SECRETARIAT_EMAIL = "office@example.jp"
    tier = ProgramTierFactory()
    program = tier.program
    organization = member.organization
    client.force_login(member.user)
    page = client.get(reverse("member:organization", args=[organization.pk])).content.decode()
    assert reverse("member:application_start", args=[organization.pk, program.pk]) in page
    response = client.post(
        reverse("member:application_start", args=[organization.pk, program.pk]),
        {
            "tier": tier.pk,
            "title": "交流会",
            "purpose": "交流会を開く",
            "period_start": "2025-07-01",
            "period_end": "令和8年2月28日",
        },
    )
    application = Application.objects.get(organization=organization)
    assert response.status_code == 302
    edit = reverse("member:application_edit", args=[organization.pk, application.pk])
    data = {
        "tier": tier.pk,
        "title": "交流会",
        "purpose": "交流会を開く",
        "period_start": "2025-07-01",
        "period_end": "2026-02-28",
        **_lines(
            "expense",
            [
                {"category": "rental", "description": "会場", "amount_yen": "100,000"},
                {"category": "supplies", "description": "チラシ", "amount_yen": "５００００"},
                {"category": "honoraria", "description": "講師", "amount_yen": "60000"},
            ],
        ),
        **_lines("income", [{"kind": "", "description": "", "amount_yen": ""}]),
    }
    assert client.post(edit, data).status_code == 302
    assert application.expenses.count() == 3
    upload = SimpleUploadedFile("計画書.pdf", plain_pdf(), content_type="application/pdf")
    client.post(
        reverse("member:application_attach", args=[organization.pk, application.pk]),
        {"title": "計画書", "file": upload},
    )
    assert application.attachments.count() == 1
    bad = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    client.post(
        reverse("member:application_attach", args=[organization.pk, application.pk]), {"title": "x", "file": bad}
    )
    assert application.attachments.count() == 1
    submit = reverse("member:application_submit", args=[organization.pk, application.pk])
    confirm = client.get(submit).content.decode()
    assert "140,000円" in confirm  # 210,000 × 2/3 = 140,000, floor to 1,000
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(submit).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    run_tasks()
    # The group and the secretariat hear of the submission; the subject names the application.
    assert {tuple(m.to) for m in mail.outbox if application.number in m.subject} >= {
        ("m@example.jp",),
        ("office@example.jp",),
    }
    # 差戻し by staff, through the same service as the staff screen.
    services.application_return(actor=secretariat, application=application, reason="講師謝金の単価を確認してください")
    page = client.get(reverse("member:application_detail", args=[organization.pk, application.pk])).content.decode()
    assert "講師謝金の単価を確認してください" in page
    line_ids = list(application.expenses.order_by("order").values_list("pk", flat=True))
    data.update(_lines("expense", [], initial=3))
    data.update({"expense-TOTAL_FORMS": "3", "expense-INITIAL_FORMS": "3"})
    for index, (pk, row) in enumerate(
        zip(
            line_ids,
            [("rental", "会場", "100000"), ("supplies", "チラシ", "50000"), ("honoraria", "講師", "45000")],
            strict=True,
        )
    ):
        data.update(
            {
                f"expense-{index}-id": pk,
                f"expense-{index}-category": row[0],
                f"expense-{index}-description": row[1],
                f"expense-{index}-amount_yen": row[2],
            }
        )
    assert client.post(edit, data).status_code == 302
    assert client.post(submit).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.RESUBMITTED
    services.application_decide(actor=secretariat, application=application)
    application.refresh_from_db()
    response = client.get(reverse("member:decision_notice", args=[organization.pk, application.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    report = reverse("member:application_report", args=[organization.pk, application.pk])
    actual = {
        **_lines(
            "expense",
            [
                {"category": "rental", "description": "会場", "amount_yen": "90000"},
                {"category": "supplies", "description": "チラシ", "amount_yen": "40000"},
            ],
        ),
        **_lines("income", []),
        "action": "report",
    }
    assert client.post(report, actual).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.REPORTED
    services.application_settle(actor=secretariat, application=application)
    application.refresh_from_db()
    expected = rules.compute_for_cost(
        cost_yen=130_000,
        rate=tier.rate,
        cap_yen=tier.cap_yen,
        rounding=program.rounding,
        rule_version=program.rule_version,
    ).amount_yen
    assert application.final_yen == expected == 86_000
    response = client.get(reverse("member:settlement_notice", args=[organization.pk, application.pk]))
    assert response.status_code == 200
    assert AuditLogEntry.objects.filter(actor=member.user, action="subsidies.application.submit").count() == 1
    assert AuditLogEntry.objects.filter(actor=member.user, action="subsidies.application.report").count() == 1
    # Every entry the member wrote names the person and the group they acted for.
    # (A log-in is the person's own, before choosing a group: auth.* entries name the person only.)
    entries = list(AuditLogEntry.objects.filter(actor=member.user).exclude(action__startswith="auth."))
    assert {entry.action for entry in entries} == {
        "subsidies.application.created",
        "subsidies.application.lines_changed",
        "subsidies.attachment.added",
        "subsidies.application.submit",
        "subsidies.application.resubmit",
        "subsidies.application.report",
    }
    for entry in entries:
        assert entry.actor_label == member.user.get_username(), entry.action
        assert entry.data.get("organization_id") == organization.pk, entry.action
        assert entry.data.get("organization") == organization.name, entry.action


def test_member_cannot_edit_a_submitted_application(client, member, secretariat, media_root):
    tier = ProgramTierFactory()
    application = services.application_create(
        actor=secretariat,
        program=tier.program,
        tier=tier,
        organization=member.organization,
        title="t",
        purpose="p",
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2025, 8, 1),
        expenses=[{"category": "rental", "description": "会場", "amount_yen": 30000}],
    )
    services.application_submit(actor=secretariat, application=application, submitted_on=datetime.date(2025, 6, 1))
    client.force_login(member.user)
    edit = reverse("member:application_edit", args=[member.organization_id, application.pk])
    assert client.post(edit, {"title": "changed"}).status_code == 302
    application.refresh_from_db()
    assert application.title == "t"


@pytest.mark.parametrize("rows", [10, 500])
def test_group_page_query_count_does_not_grow_with_applications(client, member, rows, django_assert_max_num_queries):
    tier = ProgramTierFactory(program__opens_on=datetime.date(2000, 1, 1), program__closes_on=datetime.date(2099, 1, 1))
    Application.objects.bulk_create(
        Application(
            number=f"T-{index:04d}",
            program=tier.program,
            tier=tier,
            organization=member.organization,
            title=f"事業{index}",
            purpose="p",
            period_start=datetime.date(2025, 7, 1),
            period_end=datetime.date(2025, 8, 1),
        )
        for index in range(rows)
    )
    client.force_login(member.user)
    url = reverse("member:organization", args=[member.organization_id])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "T-0000" in content and f"T-{rows - 1:04d}" in content
