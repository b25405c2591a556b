"""The application lifecycle through the services: states, snapshots, budget, audit, constraints."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from members.models import Organization
from platform_portal.models import AuditLogEntry
from subsidies import services
from subsidies.models import Application, Decision, Settlement
from tests.members.factories import GeneralTypeFactory, OrganizationFactory
from tests.subsidies.factories import ProgramTierFactory

pytestmark = pytest.mark.django_db
D = datetime.date
S = Application.Status


def _codes(exc_info):
    return {error.code for error in exc_info.value.error_list}


def test_full_lifecycle_with_audit_trail(make_application, tier, secretariat):
    application = make_application(tier=tier, cost=273_000)
    assert application.status == S.DRAFT
    services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
    services.application_return(actor=secretariat, application=application, reason="収支予算書の添付がありません。")
    services.application_resubmit(actor=secretariat, application=application)
    services.application_decide(actor=secretariat, application=application, decided_on=D(2025, 6, 20))
    application.refresh_from_db()
    assert application.status == S.DECIDED
    assert application.decided_yen == 182_000
    services.application_report(
        actor=secretariat,
        application=application,
        reported_on=D(2026, 3, 10),
        expenses=[{"category": "rental", "description": "会場使用料", "amount_yen": 330_000}],
    )
    services.application_settle(actor=secretariat, application=application, settled_on=D(2026, 3, 19))
    services.application_pay(actor=secretariat, application=application, paid_on=D(2026, 3, 27))
    application.refresh_from_db()
    assert application.status == S.PAID
    # actual 330,000 → 220,000 → capped 200,000 → min(200,000, decided 182,000)
    assert application.final_yen == 182_000
    settlement = application.settlements.get()
    assert (settlement.recomputed_yen, settlement.decided_yen, settlement.amount_yen) == (200_000, 182_000, 182_000)
    actions = list(
        AuditLogEntry.objects.filter(object_id=str(application.pk), action__startswith="subsidies.application.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "subsidies.application.created",
        "subsidies.application.submit",
        "subsidies.application.return",
        "subsidies.application.resubmit",
        "subsidies.application.decide",
        "subsidies.application.report",
        "subsidies.application.settle",
        "subsidies.application.pay",
    ]
    decide_entry = AuditLogEntry.objects.get(object_id=str(application.pk), action="subsidies.application.decide")
    assert decide_entry.actor == secretariat
    assert decide_entry.data["amount_yen"] == 182_000


def test_settlement_takes_recomputed_when_lower(decided, secretariat):
    application = decided(cost=180_000)  # → 120,000
    services.application_report(
        actor=secretariat,
        application=application,
        expenses=[{"category": "rental", "description": "会場", "amount_yen": 178_500}],
    )
    services.application_settle(actor=secretariat, application=application)
    application.refresh_from_db()
    assert application.final_yen == 119_000


@pytest.mark.parametrize(
    ("verb", "status_setup"),
    [
        ("decide", "draft"),
        ("settle", "decided"),
        ("pay", "decided"),
        ("resubmit", "submitted"),
        ("report", "submitted"),
        ("submit", "decided"),
        ("return", "draft"),
    ],
)
def test_illegal_moves_are_refused(verb, status_setup, make_application, tier, secretariat):
    application = make_application(tier=tier)
    if status_setup in ("submitted", "decided"):
        services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
    if status_setup == "decided":
        services.application_decide(actor=secretariat, application=application)
    before = Application.objects.get(pk=application.pk).status
    kwargs = {"reason": "x"} if verb == "return" else {}
    with pytest.raises(ValidationError) as exc_info:
        services.TRANSITIONS[verb].service(actor=secretariat, application=application, **kwargs)
    assert _codes(exc_info) == {"illegal_transition"}
    assert Application.objects.get(pk=application.pk).status == before


def test_double_decision_is_refused_and_creates_one_decision(decided, secretariat):
    application = decided()
    stale = Application.objects.get(pk=application.pk)
    stale.status = S.SUBMITTED  # a second click with a stale copy of the row
    with pytest.raises(ValidationError) as exc_info:
        services.application_decide(actor=secretariat, application=stale)
    assert _codes(exc_info) == {"illegal_transition"}
    assert Decision.objects.filter(application=application).count() == 1


def test_withdraw_and_refuse(make_application, tier, secretariat):
    first = make_application(tier=tier)
    services.application_withdraw(actor=secretariat, application=first, reason="事業中止")
    first.refresh_from_db()
    assert first.status == S.WITHDRAWN and first.withdrawn_on is not None
    second = make_application(tier=tier)
    services.application_submit(actor=secretariat, application=second, submitted_on=D(2025, 6, 2))
    with pytest.raises(ValidationError) as exc_info:
        services.application_refuse(actor=secretariat, application=second, reason=" ")
    assert _codes(exc_info) == {"reason_required"}
    services.application_refuse(actor=secretariat, application=second, reason="対象外の事業")
    second.refresh_from_db()
    assert second.status == S.REFUSED


def test_submit_outside_window_is_refused(make_application, tier, secretariat):
    application = make_application(tier=tier)
    with pytest.raises(ValidationError) as exc_info:
        services.application_submit(actor=secretariat, application=application, submitted_on=D(2026, 4, 1))
    assert _codes(exc_info) == {"outside_window"}


def test_submit_without_expenses_or_amount_is_refused(make_application, tier, secretariat):
    application = make_application(tier=tier, cost=1_000)  # 666 → 0 after floor_1000
    with pytest.raises(ValidationError) as exc_info:
        services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
    assert _codes(exc_info) == {"amount_zero"}


def test_who_may_apply_is_checked(make_application, secretariat):
    peer_type = GeneralTypeFactory(name="ピアサポート・当事者団体")
    tier = ProgramTierFactory(rate_numerator=1, rate_denominator=2, cap_yen=500_000)
    tier.program.eligible_general_types.set([peer_type])
    with pytest.raises(ValidationError) as exc_info:
        make_application(tier=tier, organization=OrganizationFactory())  # 支援機関
    assert _codes(exc_info) == {"applicant_not_eligible"}
    assert make_application(tier=tier, organization=OrganizationFactory(general_type=peer_type)).pk
    pending = OrganizationFactory(general_type=peer_type, status=Organization.Status.PENDING, approved_on=None)
    with pytest.raises(ValidationError) as exc_info:
        make_application(tier=tier, organization=pending)
    assert _codes(exc_info) == {"applicant_not_member"}


def test_municipalities_only(make_application):
    from tests.members.factories import MunicipalityFactory

    tier = ProgramTierFactory(rate_numerator=1, rate_denominator=2, cap_yen=2_000_000)
    tier.program.municipalities_only = True
    tier.program.save()
    with pytest.raises(ValidationError) as exc_info:
        make_application(tier=tier)
    assert _codes(exc_info) == {"applicant_not_municipality"}
    town = OrganizationFactory(steering=True, name="日南町", municipality=MunicipalityFactory(name="日南町"))
    assert make_application(tier=tier, organization=town).pk


def test_decision_snapshot_survives_programme_edits(decided, tier, secretariat):
    application = decided()
    decision = application.decisions.get()
    notice_bytes = decision.notice.read()
    tier.rate_numerator, tier.cap_yen = 1, 100_000
    tier.save()
    tier.program.rounding = "floor_1"
    tier.program.save()
    decision.refresh_from_db()
    assert (decision.amount_yen, decision.rate_numerator, decision.rate_denominator) == (182_000, 2, 3)
    assert decision.cap_yen == 200_000 and decision.rounding == "floor_1000" and decision.rule_version == "2025.1"
    assert decision.breakdown["amount_yen"] == 182_000
    decision.notice.open("rb")
    assert decision.notice.read() == notice_bytes
    # Settlement recomputes under the decision's snapshot, not the edited programme.
    services.application_report(
        actor=secretariat,
        application=application,
        expenses=[{"category": "rental", "description": "会場", "amount_yen": 273_000}],
    )
    services.application_settle(actor=secretariat, application=application)
    assert application.settlements.get().recomputed_yen == 182_000


def test_budget_refuses_a_decision_past_it(make_application, tier, secretariat):
    tier.program.budget_yen = 300_000
    tier.program.save()
    first = make_application(tier=tier, cost=300_000)  # 200,000
    second = make_application(tier=tier, cost=300_000)  # 200,000 more would exceed 300,000
    for application in (first, second):
        services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
    services.application_decide(actor=secretariat, application=first)
    with pytest.raises(ValidationError) as exc_info:
        services.application_decide(actor=secretariat, application=second)
    assert _codes(exc_info) == {"budget_exceeded"}
    second.refresh_from_db()
    assert second.status == S.SUBMITTED and second.decided_yen is None
    # Withdrawing the first releases its amount.
    services.application_withdraw(actor=secretariat, application=first)
    services.application_decide(actor=secretariat, application=second)


def test_database_refuses_impossible_rows(decided):
    application = decided()
    decision = application.decisions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(amount_yen=decision.cap_yen + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(final_yen=application.decided_yen + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(decided_yen=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Settlement.objects.create(
            application=application,
            decision=decision,
            number="X-1",
            settled_on=D(2026, 3, 1),
            rule_version="2025.1",
            actual_cost_yen=0,
            recomputed_yen=300_000,
            decided_yen=182_000,
            amount_yen=200_000,
            breakdown={},
        )
    with pytest.raises((IntegrityError, ValueError)), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(decided_yen=-1)


def test_decisions_cannot_be_deleted(decided):
    decision = decided().decisions.get()
    with pytest.raises(ProtectedError):
        decision.delete()


def test_edit_only_while_editable(make_application, tier, secretariat):
    application = make_application(tier=tier)
    services.application_update(actor=secretariat, application=application, title="新しい題名")
    application.refresh_from_db()
    assert application.title == "新しい題名"
    services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
    with pytest.raises(ValidationError) as exc_info:
        services.application_update(actor=secretariat, application=application, title="後から")
    assert _codes(exc_info) == {"application_not_editable"}


def test_lines_locked_after_submission(make_application, tier, secretariat):
    application = make_application(tier=tier)
    services.application_submit(actor=secretariat, application=application, submitted_on=D(2025, 6, 2))
    line = application.expenses.get()
    line.amount_yen = 999_999
    with pytest.raises(ValidationError) as exc_info:
        services.application_lines_save(actor=secretariat, application=application, saved=[line], deleted=[])
    assert _codes(exc_info) == {"lines_locked"}


def test_upload_checks_extension_content_and_size(make_application, tier, secretariat, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = make_application(tier=tier)
    pdf = SimpleUploadedFile("申請書.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    attachment = services.attachment_add(actor=secretariat, application=application, title="交付申請書", uploaded=pdf)
    assert attachment.original_name == "申請書.pdf"
    assert "申請書" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    for name, content, code in [
        ("evil.html", b"<script>", "upload_type"),
        ("fake.pdf", b"MZ\x90\x00", "upload_content"),
    ]:
        with pytest.raises(ValidationError) as exc_info:
            services.attachment_add(
                actor=secretariat, application=application, title="x", uploaded=SimpleUploadedFile(name, content)
            )
        assert _codes(exc_info) == {code}
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as exc_info:
        services.attachment_add(
            actor=secretariat,
            application=application,
            title="x",
            uploaded=SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 20),
        )
    assert _codes(exc_info) == {"upload_too_large"}


def test_numbers_are_sequential_per_programme(decided):
    first, second = decided(), decided()
    prefix = f"R7{first.program.number_prefix}申請第"
    assert (first.number, second.number) == (f"{prefix}1号", f"{prefix}2号")
    numbers = sorted(Decision.objects.values_list("number", flat=True))
    assert numbers[0].startswith("R7") and numbers[0].endswith("第1号") and numbers[1].endswith("第2号")


def test_correction_is_a_new_decision_pointing_back(decided, secretariat):
    application = decided()  # 182,000円
    old = application.decisions.get()
    old_notice = old.notice.open("rb").read()
    with pytest.raises(ValidationError) as exc_info:
        services.application_correct_decision(
            actor=secretariat, application=application, amount_yen=183_000, reason="増額"
        )
    assert _codes(exc_info) == {"amount_above_rule"}
    with pytest.raises(ValidationError) as exc_info:
        services.application_correct_decision(actor=secretariat, application=application, amount_yen=150_000, reason="")
    assert _codes(exc_info) == {"reason_required"}
    services.application_correct_decision(
        actor=secretariat,
        application=application,
        amount_yen=150_000,
        reason="事業の一部中止による減額",
        decided_on=D(2025, 9, 1),
    )
    application.refresh_from_db()
    assert application.status == S.DECIDED and application.decided_yen == 150_000
    new = Decision.objects.get(replaces=old)
    assert new.amount_yen == 150_000 and new.number != old.number
    old.refresh_from_db()
    assert old.amount_yen == 182_000 and old.notice.open("rb").read() == old_notice
    assert (
        AuditLogEntry.objects.filter(action="subsidies.application.correct", object_id=str(application.pk)).count() == 1
    )
    # Settlement is capped by the corrected decision.
    services.application_report(
        actor=secretariat,
        application=application,
        expenses=[{"category": "rental", "description": "会場", "amount_yen": 273_000}],
    )
    services.application_settle(actor=secretariat, application=application)
    settlement = application.settlements.get()
    assert settlement.decision == new and settlement.amount_yen == 150_000
