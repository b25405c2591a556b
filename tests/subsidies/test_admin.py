"""The back office: changelist query budgets, read-only snapshots, editing through services, attention count."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from platform_portal.models import AuditLogEntry
from subsidies import services
from subsidies.models import Application, Decision
from tests.members.factories import OrganizationFactory
from tests.pdf_samples import plain_pdf

pytestmark = pytest.mark.django_db
D = datetime.date


def _bulk_applications(tier, count: int) -> None:
    organizations = [OrganizationFactory() for _ in range(3)]
    Application.objects.bulk_create(
        Application(
            number=f"BULK-{i:04d}",
            program=tier.program,
            tier=tier,
            organization=organizations[i % 3],
            title=f"事業{i}",
            purpose="目的",
            period_start=D(2025, 7, 1),
            period_end=D(2026, 2, 28),
        )
        for i in range(count)
    )


@pytest.mark.parametrize("rows", [10, 500])
def test_application_changelist_query_count(secretariat_client, tier, django_assert_max_num_queries, rows):
    _bulk_applications(tier, rows)
    with django_assert_max_num_queries(14):
        response = secretariat_client.get(reverse("admin:subsidies_application_changelist"), {"all": ""})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [10, 500])
def test_budget_view_query_count(secretariat_client, tier, django_assert_max_num_queries, rows):
    _bulk_applications(tier, rows)
    with django_assert_max_num_queries(10):
        assert secretariat_client.get(reverse("subsidies:program_budget")).status_code == 200


def test_admin_pages_render(secretariat_client, decided):
    application = decided()
    decision = application.decisions.get()
    for url in [
        reverse("admin:index"),
        reverse("admin:subsidies_application_changelist"),
        reverse("admin:subsidies_application_change", args=[application.pk]),
        reverse("admin:subsidies_application_add"),
        reverse("admin:subsidies_program_changelist"),
        reverse("admin:subsidies_program_change", args=[application.program.pk]),
        reverse("admin:subsidies_decision_changelist"),
        reverse("admin:subsidies_decision_change", args=[decision.pk]),
        reverse("admin:subsidies_settlement_changelist"),
    ]:
        assert secretariat_client.get(url).status_code == 200, url
    page = secretariat_client.get(reverse("admin:subsidies_application_change", args=[application.pk])).content.decode()
    assert reverse("subsidies:application_transition", args=[application.pk, "report"]) in page
    assert reverse("subsidies:application_transition", args=[application.pk, "decide"]) not in page
    assert reverse("subsidies:decision_notice", args=[decision.pk]) in page


def test_demo_sample_applications_are_marked_in_the_admin(secretariat_client, decided):
    real, sample = decided(), decided()
    Application.objects.filter(pk=sample.pk).update(is_sample=True)
    changelist = secretariat_client.get(reverse("admin:subsidies_application_changelist")).content.decode()
    rows = {
        number: row
        for row in changelist.split("<tr")[1:]
        for number in (real.number, sample.number)
        if f">{number}</a>" in row
    }
    assert 'class="field-sample_badge">見本</td>' in rows[sample.number]
    assert "見本" not in rows[real.number]
    marked = secretariat_client.get(reverse("admin:subsidies_application_change", args=[sample.pk])).content.decode()
    unmarked = secretariat_client.get(reverse("admin:subsidies_application_change", args=[real.pk])).content.decode()
    assert 'id="sample-notice"' in marked and "見本" in marked
    assert 'id="sample-notice"' not in unmarked


def test_decisions_are_read_only_and_undeletable(secretariat_client, decided):
    decision = decided().decisions.get()
    change = secretariat_client.post(reverse("admin:subsidies_decision_change", args=[decision.pk]), {"amount_yen": 1})
    assert change.status_code == 403
    delete = secretariat_client.post(reverse("admin:subsidies_decision_delete", args=[decision.pk]), {"post": "yes"})
    assert delete.status_code == 403
    decision.refresh_from_db()
    assert decision.amount_yen == 182_000
    assert Decision.objects.count() == 1


def test_application_cannot_be_deleted_in_admin(secretariat_client, make_application, tier):
    application = make_application(tier=tier)
    response = secretariat_client.post(
        reverse("admin:subsidies_application_delete", args=[application.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Application.objects.filter(pk=application.pk).exists()


def _add_form_data(tier, organization, **extra):
    data = {
        "program": tier.program.pk,
        "tier": tier.pk,
        "organization": organization.pk,
        "title": "交流会",
        "purpose": "交流",
        "period_start": "令和7年7月1日",
        "period_end": "2026/02/28",
        "requested_yen": "",
    }
    for prefix in ["expenses", "incomes", "attachments", "attachments-2", "decisions", "settlements"]:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(extra)
    return data


def test_add_application_in_admin_goes_through_the_service(secretariat_client, tier):
    organization = OrganizationFactory()
    data = _add_form_data(
        tier,
        organization,
        **{
            "expenses-TOTAL_FORMS": "1",
            "expenses-0-stage": "planned",
            "expenses-0-category": "rental",
            "expenses-0-description": "会場",
            "expenses-0-amount_yen": "１２０，０００",
            "expenses-0-eligible": "on",
            "expenses-0-order": "0",
        },
    )
    response = secretariat_client.post(reverse("admin:subsidies_application_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    application = Application.objects.get()
    assert application.number == f"R7{application.program.number_prefix}申請第1号"
    assert application.period_start == D(2025, 7, 1)
    assert application.expenses.get().amount_yen == 120_000
    actions = set(AuditLogEntry.objects.filter(object_id=str(application.pk)).values_list("action", flat=True))
    assert {"subsidies.application.created", "subsidies.application.lines_changed"} <= actions


def test_admin_refuses_ineligible_organisation_and_bad_yen(secretariat_client, tier):
    from members.models import Organization

    pending = OrganizationFactory(status=Organization.Status.PENDING, approved_on=None)
    response = secretariat_client.post(reverse("admin:subsidies_application_add"), _add_form_data(tier, pending))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [e.code for e in errors["organization"]] == ["applicant_not_member"]
    bad = _add_form_data(
        tier,
        OrganizationFactory(),
        **{
            "expenses-TOTAL_FORMS": "1",
            "expenses-0-stage": "planned",
            "expenses-0-category": "rental",
            "expenses-0-description": "会場",
            "expenses-0-amount_yen": "20万円",
            "expenses-0-order": "0",
        },
    )
    response = secretariat_client.post(reverse("admin:subsidies_application_add"), bad)
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_attention_counts_waiting_applications(secretariat_client, make_application, tier, secretariat):
    response = secretariat_client.get(reverse("admin:index"))
    assert not [item for item in response.context["attention_items"] if "status__in=submitted" in item.url]
    for _ in range(2):
        application = make_application(tier=tier)
        services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
    make_application(tier=tier)  # a draft does not wait for the secretariat
    response = secretariat_client.get(reverse("admin:index"))
    items = [item for item in response.context["attention_items"] if "status__in=submitted,resubmitted" in item.url]
    assert len(items) == 1 and items[0].count == 2


def test_anonymous_is_sent_to_login(tier):
    response = Client().get(reverse("admin:subsidies_application_changelist"))
    assert response.status_code == 302


def test_upload_in_admin_is_checked_and_never_linked_by_media_url(secretariat_client, make_application, tier):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = make_application(tier=tier)
    url = reverse("admin:subsidies_application_change", args=[application.pk])
    line = application.expenses.get()
    base = _add_form_data(tier, application.organization)
    base.update(
        {
            "expenses-TOTAL_FORMS": "1",
            "expenses-INITIAL_FORMS": "1",
            "expenses-0-id": line.pk,
            "expenses-0-application": application.pk,
            "expenses-0-stage": "planned",
            "expenses-0-category": "rental",
            "expenses-0-description": line.description,
            "expenses-0-amount_yen": str(line.amount_yen),
            "expenses-0-eligible": "on",
            "expenses-0-order": "0",
            "attachments-2-TOTAL_FORMS": "1",
            "attachments-2-0-title": "偽の申請書",
        }
    )
    bad = secretariat_client.post(
        url, {**base, "attachments-2-0-file": SimpleUploadedFile("申請書.pdf", b"MZ\x90\x00")}
    )
    assert bad.status_code == 200
    assert not application.attachments.exists()
    base["attachments-2-0-title"] = "交付申請書"
    good = secretariat_client.post(url, {**base, "attachments-2-0-file": SimpleUploadedFile("申請書.pdf", plain_pdf())})
    assert good.status_code == 302
    attachment = application.attachments.get()
    page = secretariat_client.get(url).content.decode()
    assert reverse("subsidies:attachment_download", args=[attachment.pk]) in page
    assert attachment.file.name not in page


def test_add_page_accepts_an_attachment_with_the_new_application(secretariat_client, tier):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _add_form_data(
        tier,
        OrganizationFactory(),
        **{
            "attachments-2-TOTAL_FORMS": "1",
            "attachments-2-0-title": "交付申請書",
            "attachments-2-0-file": SimpleUploadedFile("申請書.pdf", plain_pdf()),
        },
    )
    response = secretariat_client.post(reverse("admin:subsidies_application_add"), data)
    assert response.status_code == 302
    assert Application.objects.get().attachments.get().title == "交付申請書"
