"""Public catalogue and simulator; staff confirm pages, notices, budget and export."""

import csv
import datetime
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from platform_portal.models import AuditLogEntry
from subsidies import services
from subsidies.models import Application, Program, ProgramTier
from tests.subsidies.factories import ProgramTierFactory

pytestmark = pytest.mark.django_db
D = datetime.date
S = Application.Status


def _bulk_programs(count: int, year: int = 2026) -> None:
    programs = Program.objects.bulk_create(
        Program(
            fiscal_year=year,
            code=f"p{i}",
            name=f"補助金{i}",
            applicant_description="加入団体",
            opens_on=D(year, 4, 1),
            closes_on=D(year + 1, 3, 31),
            budget_yen=1_000_000,
            order=i,
        )
        for i in range(count)
    )
    ProgramTier.objects.bulk_create(
        ProgramTier(program=p, code=code, label=label, rate_numerator=n, rate_denominator=d, cap_yen=500_000)
        for p in programs
        for code, label, n, d in [("new", "新規", 9, 10), ("continuing", "継続", 1, 2)]
    )


@time_machine.travel(datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC))
def test_catalogue_shows_rates_in_plain_words(client):
    tier = ProgramTierFactory(program__fiscal_year=2026, program__name="広報・交流経費補助")
    ProgramTierFactory(program__fiscal_year=2025, program__name="昨年度の補助金")
    peer = ProgramTierFactory(
        program__fiscal_year=2026,
        program__name="ピアサポート",
        code="new",
        label="新規",
        rate_numerator=9,
        rate_denominator=10,
        cap_yen=500_000,
    )
    ProgramTierFactory(
        program=peer.program, code="continuing", label="継続", rate_numerator=1, rate_denominator=2, cap_yen=500_000
    )
    response = client.get(reverse("subsidies:program_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "補助率 2/3、上限額 20万円" in html
    assert "補助率 新規 9/10・継続 1/2、上限額 50万円" in html
    assert "令和8年度" in html and "昨年度の補助金" in html
    assert f"?tier={tier.pk}" in html


@pytest.mark.parametrize("rows", [10, 500])
@time_machine.travel(datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC))
def test_catalogue_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    _bulk_programs(rows)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("subsidies:program_list"))
    assert response.content.decode().count('class="card mb-3 program"') == rows


def test_catalogue_hides_unpublished_programmes(client):
    ProgramTierFactory(program__name="非公開の補助金", program__is_public=False)
    assert "非公開の補助金" not in client.get(reverse("subsidies:program_list")).content.decode()


@time_machine.travel(datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC))
def test_simulator_computes_with_the_rule(client):
    tier = ProgramTierFactory(program__fiscal_year=2026)
    url = reverse("subsidies:program_simulate")
    assert client.get(url, {"tier": tier.pk}).status_code == 200
    response = client.post(url, {"tier": tier.pk, "cost": "２９９，９９９"})
    assert response.status_code == 200
    assert response.context["result"].amount_yen == 199_000
    assert "199,000円" in response.content.decode()


@pytest.mark.parametrize(
    ("cost", "code"), [("20万円", "yen_invalid"), ("199999.9", "yen_decimal"), ("-5", "yen_negative"), ("", "required")]
)
@time_machine.travel(datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC))
def test_simulator_refuses_bad_amounts(client, cost, code):
    tier = ProgramTierFactory(program__fiscal_year=2026)
    response = client.post(reverse("subsidies:program_simulate"), {"tier": tier.pk, "cost": cost})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert [e.code for e in response.context["form"].errors.as_data()["cost"]] == [code]
    assert 'aria-invalid="true"' in response.content.decode()


def test_simulator_refuses_unpublished_and_old_tiers(client):
    tier = ProgramTierFactory(program__is_public=False)
    response = client.post(reverse("subsidies:program_simulate"), {"tier": tier.pk, "cost": "1000"})
    assert "tier" in response.context["form"].errors


@time_machine.travel(datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC))
def test_simulator_is_rate_limited(client):
    tier = ProgramTierFactory(program__fiscal_year=2026)
    url = reverse("subsidies:program_simulate")
    statuses = [client.post(url, {"tier": tier.pk, "cost": "1000"}).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def test_simulator_refuses_other_methods(client):
    assert client.put(reverse("subsidies:program_simulate")).status_code == 405


# ---------------------------------------------------------------- staff views


@pytest.fixture
def submitted(make_application, tier, secretariat):
    application = make_application(tier=tier, cost=273_000)
    return services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))


def test_decide_through_confirm_page(secretariat_client, submitted):
    url = reverse("subsidies:application_transition", args=[submitted.pk, "decide"])
    page = secretariat_client.get(url)
    assert page.status_code == 200
    assert "182,000円" in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED  # GET never writes
    response = secretariat_client.post(url, {"on_date": "令和7年6月20日"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.DECIDED
    assert submitted.decisions.get().decided_on == D(2025, 6, 20)
    assert AuditLogEntry.objects.filter(action="subsidies.application.decide", object_id=str(submitted.pk)).count() == 1
    # Back and resend: refused with a clear error, still one decision (docs/quality.md IO6).
    again = secretariat_client.post(url, {"on_date": "令和7年6月20日"})
    assert again.status_code == 200
    assert [e.code for e in again.context["form"].non_field_errors().as_data()] == ["illegal_transition"]
    assert submitted.decisions.count() == 1
    # A stale page opened again: no confirm button that can only fail, but the reason at once.
    stale = secretariat_client.get(url)
    assert stale.status_code == 200 and stale.context["blocked"]
    assert 'type="submit"' not in stale.content.decode().split('id="content-main"')[1]


def test_return_needs_a_reason(secretariat_client, submitted):
    url = reverse("subsidies:application_transition", args=[submitted.pk, "return"])
    response = secretariat_client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_transition_access(official_client, submitted):
    url = reverse("subsidies:application_transition", args=[submitted.pk, "decide"])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and reverse("admin:login") in anonymous["Location"]
    assert official_client.post(url).status_code == 403
    assert (
        official_client.get(reverse("subsidies:application_transition", args=[submitted.pk, "explode"])).status_code
        == 404
    )
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_notices_are_served_from_storage_to_staff_only(secretariat_client, django_user_model, decided):
    application = decided()
    decision = application.decisions.get()
    url = reverse("subsidies:decision_notice", args=[decision.pk])
    response = secretariat_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == decision.notice.open("rb").read()
    assert Client().get(url).status_code == 302
    assert "/media/" not in url
    assert secretariat_client.post(url).status_code == 405


def test_export_is_formula_safe_permission_gated_and_audited(secretariat_client, official, decided):
    from tests.members.factories import OrganizationFactory

    decided(organization=OrganizationFactory(name='=HYPERLINK("http://evil")'))
    decided(organization=OrganizationFactory(name="＋普通の団体"))
    url = reverse("subsidies:application_export")
    official_client = Client()
    official_client.force_login(official)
    assert official_client.get(url).status_code == 403
    response = secretariat_client.get(url, {"fiscal_year": "2025"})
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 3
    names = {row[4] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://evil")', "'＋普通の団体"}
    assert {row[8] for row in rows[1:]} == {"182000"}
    entry = AuditLogEntry.objects.get(action="subsidies.application.exported")
    assert entry.data["rows"] == 2


def test_budget_view(secretariat_client, decided):
    decided()
    response = secretariat_client.get(reverse("subsidies:program_budget"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1,000,000円" in html and "182,000円" in html and "818,000円" in html
    assert Client().get(reverse("subsidies:program_budget")).status_code == 302


def test_attachment_download_is_an_attachment_for_staff(secretariat_client, make_application, tier, secretariat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = make_application(tier=tier)
    attachment = services.attachment_add(
        actor=secretariat,
        application=application,
        title="申請書",
        uploaded=SimpleUploadedFile("申請書.pdf", b"%PDF-1.7 test"),
    )
    url = reverse("subsidies:attachment_download", args=[attachment.pk])
    response = secretariat_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert Client().get(url).status_code == 302


def test_official_reads_notices_and_budget_but_cannot_export(official_client, secretariat, make_application, tier):
    application = make_application(tier=tier, cost=273_000)
    services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
    services.application_decide(actor=secretariat, application=application)
    decision = application.decisions.get()
    assert official_client.get(reverse("subsidies:decision_notice", args=[decision.pk])).status_code == 200
    assert official_client.get(reverse("subsidies:program_budget")).status_code == 200
    assert official_client.get(reverse("subsidies:application_export")).status_code == 403


def test_change_decided_amount_through_confirm_page(secretariat_client, decided):
    application = decided()
    url = reverse("subsidies:application_transition", args=[application.pk, "correct"])
    page = secretariat_client.get(url)
    assert page.status_code == 200 and "amount_yen" in page.context["form"].fields
    invalid = secretariat_client.post(url, {"amount_yen": "15万円", "reason": "減額"})
    assert invalid.status_code == 200 and "amount_yen" in invalid.context["form"].errors
    response = secretariat_client.post(url, {"amount_yen": "150,000", "reason": "減額", "on_date": "R7.9.1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.decided_yen == 150_000
    assert application.decisions.count() == 2


def test_settlement_preview_after_a_rate_change_equals_the_recorded_settlement(
    secretariat_client, decided, secretariat
):
    application = decided()  # 273,000円 at 2/3 → 182,000円, cap 200,000円
    services.application_report(
        actor=secretariat,
        application=application,
        expenses=[{"category": "rental", "description": "会場使用料", "amount_yen": 330_000}],
    )
    # The programme changes after the decision: the settlement still follows the decision's snapshot.
    ProgramTier.objects.filter(pk=application.tier_id).update(rate_numerator=1, rate_denominator=4, cap_yen=75_000)
    url = reverse("subsidies:application_transition", args=[application.pk, "settle"])
    preview = secretariat_client.get(url).context["preview"]
    assert secretariat_client.post(url, {}).status_code == 302
    settlement = application.settlements.get()
    assert (preview.result.amount_yen, preview.amount_yen) == (settlement.recomputed_yen, settlement.amount_yen)
    assert (settlement.recomputed_yen, settlement.amount_yen) == (200_000, 182_000)


def test_correction_preview_uses_the_decision_snapshot(secretariat_client, decided):
    application = decided()
    ProgramTier.objects.filter(pk=application.tier_id).update(rate_numerator=1, rate_denominator=4, cap_yen=75_000)
    url = reverse("subsidies:application_transition", args=[application.pk, "correct"])
    assert secretariat_client.get(url).context["preview"].amount_yen == 182_000
    # and the service agrees: 182,000円 is still the limit, so 180,000円 is accepted
    assert secretariat_client.post(url, {"amount_yen": "180000", "reason": "減額"}).status_code == 302


def test_notice_downloads_are_rate_limited(secretariat_client, decided):
    decision = decided().decisions.get()
    url = reverse("subsidies:decision_notice", args=[decision.pk])
    statuses = [secretariat_client.get(url).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
