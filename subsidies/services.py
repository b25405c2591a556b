"""Every write of the subsidies app (docs/house-style.md R5/R6): one service per transition, each audited.

The lifecycle (交付申請 → 交付決定 → 実績報告 → 額の確定 → 支払):

    draft ─submit→ submitted ─decide→ decided ─report→ reported ─settle→ settled ─pay→ paid
                    │  ↑ ↓return          └─refuse→ refused
                    resubmitted ← returned ─resubmit┘
    withdraw: from draft, submitted, returned, resubmitted or decided (before the report)
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from members.models import Organization
from platform_portal.audit import Actor, actor_user, audit_log
from platform_portal.lib.fiscal import FiscalYear
from platform_portal.lib.money import format_yen
from platform_portal.uploads import check_upload, upload_content_type
from subsidies import notify, rules, selectors
from subsidies.models import (
    Application,
    Attachment,
    Decision,
    ExpenseLine,
    IncomeLine,
    NoticeSequence,
    Program,
    ProgramTier,
    Settlement,
    validate_line_amount,
)

S = Application.Status

ATTACHMENT_TYPES = ("pdf", "png", "jpg", "jpeg", "docx", "xlsx")


def _today() -> datetime.date:
    return timezone.localdate()


def _lock(application: Application) -> Application:
    """Re-read the application under a row lock, so two clicks or two staff cannot both move it."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("program", "tier", "organization")
        .get(pk=application.pk)
    )


def transition_check(*, application: Application, verb: str) -> None:
    """Raise the error `verb` would raise for the application's current state (for confirm pages)."""
    _require(application, verb)


def _require(application: Application, verb: str) -> str:
    transition = TRANSITIONS[verb]
    if not transition.allowed_from(application.status):
        raise ValidationError(
            _("This application is “%(status)s”; it cannot be moved by “%(action)s”."),
            code="illegal_transition",
            params={"status": application.get_status_display(), "action": transition.label},
        )
    return transition.target


def _audit(actor: Actor, action: str, application: Application, data: dict) -> None:
    """One audit entry on an application, naming its group (id and name) beside the person who acted."""
    audit_log(
        actor=actor,
        action=action,
        target=application,
        data={**data, "organization_id": application.organization_id, "organization": application.organization.name},
    )


def _move(
    application: Application, *, actor: Actor, verb: str, fields: list[str], data: dict | None = None
) -> Application:
    target = _require(application, verb)
    old = application.status
    application.status = target
    application.save(update_fields=["status", "updated_at", *fields])
    _audit(actor, f"subsidies.application.{verb}", application, {"from": old, "to": target, **(data or {})})
    notify.application_moved(application=application, verb=verb, actor=actor)
    return application


# ------------------------------------------------------------------ eligibility and computation


def organization_check_eligible(*, program: Program, organization: Organization) -> None:
    """Raise if the organisation may not apply to the programme (who may apply is programme data)."""
    if organization.status != Organization.Status.APPROVED:
        raise ValidationError(_("Only approved platform members may apply."), code="applicant_not_member")
    problem = selectors.organization_eligibility_problem(program=program, organization=organization)
    if problem == "municipality":
        raise ValidationError(_("Only municipalities may apply to this programme."), code="applicant_not_municipality")
    if problem == "kind":
        raise ValidationError(
            _("Organisations of this kind may not apply to this programme (%(who)s)."),
            code="applicant_not_eligible",
            params={"who": program.applicant_description},
        )


def _rule_lines(application: Application, stage: str) -> tuple[list[rules.Expense], list[rules.Income]]:
    expenses = [line.as_rule_input() for line in application.expenses.all() if line.stage == stage]
    incomes = [line.as_rule_input() for line in application.incomes.all() if line.stage == stage]
    return expenses, incomes


def application_compute(*, application: Application, stage: str = ExpenseLine.Stage.PLANNED) -> rules.SubsidyResult:
    """The amount for the application's lines of one stage under its programme's current rule (before a decision)."""
    expenses, incomes = _rule_lines(application, stage)
    tier = application.tier
    return rules.compute_subsidy(
        expenses=expenses,
        incomes=incomes,
        deducted_income_kinds=application.program.deducted_income_kinds,
        rate=tier.rate,
        cap_yen=tier.cap_yen,
        rounding=application.program.rounding,
        requested_yen=application.requested_yen if stage == ExpenseLine.Stage.PLANNED else None,
        rule_version=application.program.rule_version,
    )


# ------------------------------------------------------------------ creation and editing


def _add_lines(application: Application, *, stage: str, expenses: Iterable[dict], incomes: Iterable[dict]) -> None:
    expenses, incomes = list(expenses), list(incomes)
    for line in [*expenses, *incomes]:
        validate_line_amount(line["amount_yen"])  # bulk_create skips the model's validators
    ExpenseLine.objects.bulk_create(
        ExpenseLine(
            application=application,
            stage=stage,
            category=line["category"],
            description=line["description"],
            amount_yen=line["amount_yen"],
            eligible=line.get("eligible", True),
            order=index,
        )
        for index, line in enumerate(expenses)
    )
    IncomeLine.objects.bulk_create(
        IncomeLine(
            application=application,
            stage=stage,
            kind=line["kind"],
            description=line.get("description", ""),
            amount_yen=line["amount_yen"],
            order=index,
        )
        for index, line in enumerate(incomes)
    )


def application_field_problems(
    *,
    program: Program,
    tier: ProgramTier | None,
    organization: Organization | None,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
) -> dict[str, ValidationError]:
    """The rules the fields of an application break, by field: the admin form shows them, the services raise them."""
    problems: dict[str, ValidationError] = {}
    if tier is not None and tier.program_id != program.pk:
        problems["tier"] = ValidationError(_("This tier belongs to another programme."), code="tier_mismatch")
    if period_start and period_end and period_end < period_start:
        problems["period_end"] = ValidationError(_("The project cannot end before it starts."), code="period_reversed")
    if organization is not None:
        try:
            organization_check_eligible(program=program, organization=organization)
        except ValidationError as exc:
            problems["organization"] = exc
    return problems


def _raise_first(problems: dict[str, ValidationError]) -> None:
    for problem in problems.values():
        raise problem


def application_lines_check(*, application: Application, stages: Iterable[str]) -> None:
    """Raise if lines of these stages may not change now: plan lines while editable, actual lines after the decision."""
    for stage in set(stages):
        if stage == ExpenseLine.Stage.PLANNED and not application.is_editable:
            raise ValidationError(
                _("Planned lines can only change while the application is a draft or returned."), code="lines_locked"
            )
        if stage == ExpenseLine.Stage.ACTUAL and application.status != S.DECIDED:
            raise ValidationError(
                _("Actual lines are entered after the grant decision, before the results report."), code="lines_locked"
            )


def _next_number(program: Program) -> str:
    """R7孤立広報申請第1号: the same readable pattern as the notices, from the prefix staff configure."""
    prefix = f"{FiscalYear(program.fiscal_year).short_label}{program.number_prefix}申請第"
    taken = Application.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1}号"


@transaction.atomic
def application_create(
    *,
    actor: Actor,
    program: Program,
    tier: ProgramTier,
    organization: Organization,
    title: str,
    purpose: str,
    period_start: datetime.date,
    period_end: datetime.date,
    requested_yen: int | None = None,
    expenses: Iterable[dict] = (),
    incomes: Iterable[dict] = (),
) -> Application:
    """Record a new application (下書き) for an eligible member organisation."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    _raise_first(
        application_field_problems(
            program=program, tier=tier, organization=organization, period_start=period_start, period_end=period_end
        )
    )
    application = Application(
        number=_next_number(program),
        program=program,
        tier=tier,
        organization=organization,
        title=title,
        purpose=purpose,
        period_start=period_start,
        period_end=period_end,
        requested_yen=requested_yen,
    )
    application.full_clean()
    application.save()
    _add_lines(application, stage=ExpenseLine.Stage.PLANNED, expenses=expenses, incomes=incomes)
    _audit(actor, "subsidies.application.created", application, {"number": application.number})
    return application


EDITABLE_FIELDS = ("tier", "organization", "title", "purpose", "period_start", "period_end", "requested_yen")


@transaction.atomic
def application_update(*, actor: Actor, application: Application, **changes) -> Application:
    """Change the fields of a draft or returned application."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    locked = _lock(application)
    if not locked.is_editable:
        raise ValidationError(_("Only draft or returned applications can be changed."), code="application_not_editable")
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, changes[name])
    _raise_first(
        application_field_problems(
            program=locked.program,
            tier=locked.tier if "tier" in changed else None,
            organization=locked.organization if "organization" in changed else None,
            period_start=locked.period_start,
            period_end=locked.period_end,
        )
    )
    if not changed:
        return locked
    locked.full_clean()
    db_fields = [f"{name}_id" if name in ("tier", "organization") else name for name in changed]
    locked.save(update_fields=[*db_fields, "updated_at"])
    _audit(actor, "subsidies.application.updated", locked, {"fields": sorted(changed)})
    return locked


@transaction.atomic
def application_lines_save(
    *, actor: Actor, application: Application, saved: Iterable, deleted: Iterable
) -> Application:
    """Save edited expense/income lines: plan lines while editable, actual lines after the decision."""
    locked = _lock(application)
    saved, deleted = list(saved), list(deleted)
    application_lines_check(application=locked, stages=[line.stage for line in [*saved, *deleted]])
    for line in deleted:
        line.delete()
    for line in saved:
        line.application = locked
        line.full_clean()
        line.save()
    if saved or deleted:
        _audit(actor, "subsidies.application.lines_changed", locked, {"saved": len(saved), "deleted": len(deleted)})
    return locked


@transaction.atomic
def attachment_add(*, actor: Actor, application: Application, title: str, uploaded) -> Attachment:
    """Attach a checked document to an application, stored under a generated name."""
    extension = check_upload(uploaded, allowed=ATTACHMENT_TYPES)
    attachment = Attachment(
        application=application,
        title=title,
        original_name=(uploaded.name or "")[:255],
        content_type=upload_content_type(extension),
        size=uploaded.size,
    )
    attachment.file.save(f"upload.{extension}", uploaded, save=False)
    attachment.save()
    _audit(
        actor,
        "subsidies.attachment.added",
        application,
        {"attachment": attachment.pk, "title": title, "size": attachment.size},
    )
    return attachment


# ------------------------------------------------------------------ transitions


@transaction.atomic
def application_submit(
    *, actor: Actor, application: Application, submitted_on: datetime.date | None = None
) -> Application:
    """申請: a draft becomes a submitted application, inside the programme's application window."""
    locked = _lock(application)
    _require(locked, "submit")
    submitted_on = submitted_on or _today()
    program = locked.program
    if not program.opens_on <= submitted_on <= program.closes_on:
        raise ValidationError(_("Applications to this programme are not accepted on this date."), code="outside_window")
    organization_check_eligible(program=program, organization=locked.organization)
    if not any(line.stage == ExpenseLine.Stage.PLANNED for line in locked.expenses.all()):
        raise ValidationError(_("Enter at least one expense line."), code="no_expenses")
    if application_compute(application=locked).amount_yen == 0:
        raise ValidationError(_("The eligible cost gives no subsidy."), code="amount_zero")
    locked.submitted_on = submitted_on
    return _move(locked, actor=actor, verb="submit", fields=["submitted_on"])


@transaction.atomic
def application_return(*, actor: Actor, application: Application, reason: str) -> Application:
    """差戻し: send a submitted application back for correction, with the reason."""
    locked = _lock(application)
    _require(locked, "return")
    if not reason.strip():
        raise ValidationError(_("Give the reason for returning the application."), code="reason_required")
    locked.status_note = reason
    return _move(locked, actor=actor, verb="return", fields=["status_note"], data={"reason": reason})


@transaction.atomic
def application_resubmit(*, actor: Actor, application: Application) -> Application:
    """再申請: a corrected application is submitted again."""
    locked = _lock(application)
    _require(locked, "resubmit")
    if application_compute(application=locked).amount_yen == 0:
        raise ValidationError(_("The eligible cost gives no subsidy."), code="amount_zero")
    locked.status_note = ""
    return _move(locked, actor=actor, verb="resubmit", fields=["status_note"])


def application_current_decision(*, application: Application) -> Decision | None:
    """The decision in force: the last one that no 変更交付決定 replaced."""
    return application.decisions.filter(replaced_by__isnull=True).order_by("-pk").first()


def _decision_in_force(application: Application) -> Decision:
    decision = application_current_decision(application=application)
    if decision is None:
        raise ValidationError(_("This application has no grant decision."), code="no_decision")
    return decision


def compute_under_decision(
    *, application: Application, decision: Decision, stage: str, requested_yen: int | None = None
) -> rules.SubsidyResult:
    """The amount for the lines of one stage under the decision's snapshot: its rule, rate, cap and rounding.

    Settlement, 変更交付決定 and their confirm pages all compute through here, so a programme
    changed after the decision changes none of them (docs/house-style.md R4).
    """
    expenses, incomes = _rule_lines(application, stage)
    return rules.compute_subsidy(
        expenses=expenses,
        incomes=incomes,
        deducted_income_kinds=decision.breakdown.get("deducted_income_kinds", []),
        rate=rules.Rate(decision.rate_numerator, decision.rate_denominator),
        cap_yen=decision.cap_yen,
        rounding=decision.rounding,
        requested_yen=requested_yen,
        rule_version=decision.rule_version,
    )


@dataclass(frozen=True)
class SettlementComputation:
    decision: Decision
    result: rules.SubsidyResult  # the actual expenses under the decision's snapshot
    amount_yen: int  # what the settlement records: min(recomputed, decided)


def settlement_compute(*, application: Application) -> SettlementComputation:
    """額の確定 as it would be recorded now: the actual lines under the decision, at most the decided amount."""
    decision = _decision_in_force(application)
    result = compute_under_decision(application=application, decision=decision, stage=ExpenseLine.Stage.ACTUAL)
    amount = rules.settle_amount(recomputed_yen=result.amount_yen, decided_yen=decision.amount_yen)
    return SettlementComputation(decision=decision, result=result, amount_yen=amount)


def _notice_number(program: Program, *, model) -> str:
    """The next notice number under the programme's prefix, unique under concurrency.

    The prefix's counter row is locked (SELECT … FOR UPDATE) until the caller's transaction ends,
    so concurrent decisions (also of other programmes with the same prefix) wait for each other
    instead of counting the same notices. A new counter starts after the numbers already given.
    """
    suffix = "" if model is Decision else "確"
    prefix = f"{FiscalYear(program.fiscal_year).short_label}{program.number_prefix}{suffix}第"
    sequence, _created = NoticeSequence.objects.select_for_update().get_or_create(
        prefix=prefix, defaults={"last_number": model.objects.filter(number__startswith=prefix).count()}
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{prefix}{sequence.last_number}号"


def _check_budget(program: Program, *, amount_yen: int, replacing_yen: int = 0) -> None:
    """Refuse an amount that takes the programme past its budget (the programme row is locked by the caller)."""
    committed = selectors.program_committed_yen(program=program) - replacing_yen
    if committed + amount_yen > program.budget_yen:
        raise ValidationError(
            _("Deciding %(amount)s would take the programme past its budget (remaining %(remaining)s)."),
            code="budget_exceeded",
            params={"amount": format_yen(amount_yen), "remaining": format_yen(max(0, program.budget_yen - committed))},
        )


def _store_notice(record: Decision | Settlement, render: Callable[..., bytes]) -> None:
    """Render an official notice once, from the saved snapshot, and keep it (docs/house-style.md R21).

    It is written inside the transaction so that no decision exists without its notice; if the
    transaction rolls back later, the file stays behind under a generated name that no row points to.
    """
    record.notice.save(f"{record.pk}.pdf", ContentFile(render(record)), save=False)
    type(record).objects.filter(pk=record.pk).update(notice=record.notice.name)


def _lock_program(application: Application) -> Program:
    # Lock the programme first: two staff deciding at once are serialised here, so the budget
    # check sees the other decision (the budget can never be overrun).
    return Program.objects.select_for_update().get(pk=application.program_id)


SNAPSHOT_NAMES = ("organization_name", "program_name", "tier_label", "project_title", "fiscal_year")


def _issue_decision(
    *,
    application: Application,
    program: Program,
    result: rules.SubsidyResult,
    amount_yen: int,
    breakdown: dict,
    decided_on: datetime.date,
    actor: Actor,
    replaces: Decision | None = None,
) -> Decision:
    """Store a decision snapshot (the names as the replaced decision had them, if any) and issue its notice."""
    from subsidies.pdf import render_decision_notice_pdf

    if replaces is not None:
        names = {name: getattr(replaces, name) for name in SNAPSHOT_NAMES}
    else:
        names = {
            "organization_name": application.organization.name,
            "program_name": program.name,
            "tier_label": application.tier.label,
            "project_title": application.title,
            "fiscal_year": program.fiscal_year,
        }
    decision = Decision(
        application=application,
        replaces=replaces,
        number=_notice_number(program, model=Decision),
        decided_on=decided_on,
        **names,
        rate_numerator=result.numerator,
        rate_denominator=result.denominator,
        cap_yen=result.cap_yen,
        rounding=result.rounding,
        rule_version=result.rule_version,
        eligible_cost_yen=result.eligible_cost_yen,
        amount_yen=amount_yen,
        breakdown=result.as_breakdown() | breakdown,
        created_by=actor_user(actor),
    )
    decision.save()
    _store_notice(decision, render_decision_notice_pdf)
    return decision


@transaction.atomic
def application_decide(
    *, actor: Actor, application: Application, decided_on: datetime.date | None = None
) -> Application:
    """交付決定: fix the amount as a snapshot, within the programme's budget, and issue the notice."""
    program = _lock_program(application)
    locked = _lock(application)
    _require(locked, "decide")
    decided_on = decided_on or _today()
    result = application_compute(application=locked)
    if result.amount_yen == 0:
        raise ValidationError(_("The eligible cost gives no subsidy."), code="amount_zero")
    _check_budget(program, amount_yen=result.amount_yen)
    decision = _issue_decision(
        application=locked,
        program=program,
        result=result,
        amount_yen=result.amount_yen,
        breakdown={"deducted_income_kinds": list(program.deducted_income_kinds)},
        decided_on=decided_on,
        actor=actor,
    )
    locked.decided_yen = result.amount_yen
    return _move(
        locked,
        actor=actor,
        verb="decide",
        fields=["decided_yen"],
        data={"decision": decision.number, "amount_yen": result.amount_yen, "rule_version": result.rule_version},
    )


@transaction.atomic
def application_correct_decision(
    *, actor: Actor, application: Application, amount_yen: int, reason: str, decided_on: datetime.date | None = None
) -> Application:
    """変更交付決定: a new decision that replaces the current one; the old decision and its notice stay as they were."""
    program = _lock_program(application)
    locked = _lock(application)
    _require(locked, "correct")
    if not reason.strip():
        raise ValidationError(_("Give the reason for changing the decided amount."), code="reason_required")
    if amount_yen <= 0:
        raise ValidationError(_("The eligible cost gives no subsidy."), code="amount_zero")
    old = _decision_in_force(locked)
    # The new amount is checked by the old decision's own rule, rate, cap and rounding.
    result = compute_under_decision(
        application=locked, decision=old, stage=ExpenseLine.Stage.PLANNED, requested_yen=amount_yen
    )
    if result.amount_yen != amount_yen:
        raise ValidationError(
            _("The decided amount cannot be more than the amount by the rule (%(limit)s)."),
            code="amount_above_rule",
            params={"limit": format_yen(result.amount_yen)},
        )
    if amount_yen == old.amount_yen:
        raise ValidationError(_("The amount is the same as the current decision."), code="amount_unchanged")
    _check_budget(program, amount_yen=amount_yen, replacing_yen=old.amount_yen)
    decision = _issue_decision(
        application=locked,
        program=program,
        result=result,
        amount_yen=amount_yen,
        breakdown={"deducted_income_kinds": old.breakdown.get("deducted_income_kinds", []), "reason": reason},
        decided_on=decided_on or _today(),
        actor=actor,
        replaces=old,
    )
    locked.decided_yen = amount_yen
    locked.status_note = reason
    return _move(
        locked,
        actor=actor,
        verb="correct",
        fields=["decided_yen", "status_note"],
        data={"decision": decision.number, "replaces": old.number, "amount_yen": amount_yen, "reason": reason},
    )


@transaction.atomic
def application_refuse(
    *, actor: Actor, application: Application, reason: str, refused_on: datetime.date | None = None
) -> Application:
    """不交付: refuse the grant, with the reason."""
    locked = _lock(application)
    _require(locked, "refuse")
    if not reason.strip():
        raise ValidationError(_("Give the reason for refusing the grant."), code="reason_required")
    locked.status_note = reason
    locked.refused_on = refused_on or _today()
    return _move(locked, actor=actor, verb="refuse", fields=["status_note", "refused_on"], data={"reason": reason})


@transaction.atomic
def application_report(
    *,
    actor: Actor,
    application: Application,
    reported_on: datetime.date | None = None,
    expenses: Iterable[dict] | None = None,
    incomes: Iterable[dict] | None = None,
) -> Application:
    """実績報告: record the actual expenses and income (given here or entered as actual lines before)."""
    locked = _lock(application)
    _require(locked, "report")
    if expenses is not None:
        locked.expenses.filter(stage=ExpenseLine.Stage.ACTUAL).delete()
        locked.incomes.filter(stage=ExpenseLine.Stage.ACTUAL).delete()
        _add_lines(locked, stage=ExpenseLine.Stage.ACTUAL, expenses=expenses, incomes=incomes or ())
    if not locked.expenses.filter(stage=ExpenseLine.Stage.ACTUAL).exists():
        raise ValidationError(_("Enter the actual expenses of the results report."), code="no_actual_expenses")
    if reported_on is not None and reported_on > _today():
        raise ValidationError(_("The results report cannot be dated in the future."), code="report_date_in_future")
    locked.reported_on = reported_on or _today()
    return _move(locked, actor=actor, verb="report", fields=["reported_on"])


@transaction.atomic
def application_settle(
    *, actor: Actor, application: Application, settled_on: datetime.date | None = None
) -> Application:
    """額の確定: recompute with the actual expenses under the decision's snapshot; settle at min(recomputed, decided)."""
    from subsidies.pdf import render_settlement_notice_pdf

    locked = _lock(application)
    _require(locked, "settle")
    computed = settlement_compute(application=locked)
    result, decision = computed.result, computed.decision
    settlement = Settlement(
        application=locked,
        decision=decision,
        number=_notice_number(locked.program, model=Settlement),
        settled_on=settled_on or _today(),
        rule_version=result.rule_version,
        actual_cost_yen=result.eligible_cost_yen,
        recomputed_yen=result.amount_yen,
        decided_yen=decision.amount_yen,
        amount_yen=computed.amount_yen,
        breakdown=result.as_breakdown(),
        created_by=actor_user(actor),
    )
    settlement.save()
    _store_notice(settlement, render_settlement_notice_pdf)
    locked.final_yen = computed.amount_yen
    return _move(
        locked,
        actor=actor,
        verb="settle",
        fields=["final_yen"],
        data={"settlement": settlement.number, "amount_yen": computed.amount_yen, "recomputed_yen": result.amount_yen},
    )


@transaction.atomic
def application_pay(*, actor: Actor, application: Application, paid_on: datetime.date | None = None) -> Application:
    """支払: record that the settled amount was paid."""
    locked = _lock(application)
    _require(locked, "pay")
    locked.paid_on = paid_on or _today()
    return _move(locked, actor=actor, verb="pay", fields=["paid_on"], data={"amount_yen": locked.final_yen})


@transaction.atomic
def application_withdraw(
    *, actor: Actor, application: Application, reason: str = "", withdrawn_on: datetime.date | None = None
) -> Application:
    """取下げ: the applicant withdraws; a decided amount no longer counts against the budget."""
    locked = _lock(application)
    _require(locked, "withdraw")
    locked.status_note = reason
    locked.withdrawn_on = withdrawn_on or _today()
    return _move(locked, actor=actor, verb="withdraw", fields=["status_note", "withdrawn_on"], data={"reason": reason})


# ------------------------------------------------------------------ the transitions, declared once


@dataclass(frozen=True)
class Preview:
    """What a confirm page shows before the step: the computation and the amount the step records."""

    heading: Promise
    result: rules.SubsidyResult
    amount_yen: int
    recorded_label: Promise | None = None  # shown when the recorded amount is not the computed one
    note: Promise | None = None


def _preview_by_programme(application: Application) -> Preview:
    result = application_compute(application=application)
    return Preview(heading=gettext_lazy("Amount by the rule"), result=result, amount_yen=result.amount_yen)


def _preview_correction(application: Application) -> Preview:
    result = compute_under_decision(
        application=application, decision=_decision_in_force(application), stage=ExpenseLine.Stage.PLANNED
    )
    return Preview(heading=gettext_lazy("Amount by the rule"), result=result, amount_yen=result.amount_yen)


def _preview_settlement(application: Application) -> Preview:
    computed = settlement_compute(application=application)
    return Preview(
        heading=gettext_lazy("Amount from the actual expenses"),
        result=computed.result,
        amount_yen=computed.amount_yen,
        recorded_label=gettext_lazy("Settled amount"),
        note=gettext_lazy("The settled amount is the lower of this amount and the decided amount."),
    )


@dataclass(frozen=True)
class Transition:
    """One step of the lifecycle. Services, the confirm form and view, the admin and the template read it."""

    verb: str
    sources: tuple[str, ...]
    target: str
    label: Promise
    service: Callable[..., Application]
    date_arg: str | None = None  # the service's keyword for the date of the act (today when omitted)
    reason: str = ""  # "required", "optional" or "" (no reason asked)
    takes_amount: bool = False  # the new decided amount is typed (変更交付決定)
    preview: Callable[[Application], Preview] | None = None
    shows_budget: bool = False

    def allowed_from(self, status: str) -> bool:
        return status in self.sources


_OPEN = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED, S.DECIDED)
TRANSITIONS: dict[str, Transition] = {
    t.verb: t
    for t in (
        Transition(
            "submit",
            (S.DRAFT,),
            S.SUBMITTED,
            pgettext_lazy("subsidy transition", "Submit"),
            application_submit,
            date_arg="submitted_on",
            preview=_preview_by_programme,
        ),
        Transition(
            "return",
            (S.SUBMITTED, S.RESUBMITTED),
            S.RETURNED,
            gettext_lazy("Return for correction"),
            application_return,
            reason="required",
        ),
        Transition(
            "resubmit",
            (S.RETURNED,),
            S.RESUBMITTED,
            gettext_lazy("Resubmit"),
            application_resubmit,
            preview=_preview_by_programme,
        ),
        Transition(
            "decide",
            (S.SUBMITTED, S.RESUBMITTED),
            S.DECIDED,
            gettext_lazy("Decide the grant"),
            application_decide,
            date_arg="decided_on",
            preview=_preview_by_programme,
            shows_budget=True,
        ),
        Transition(
            "refuse",
            (S.SUBMITTED, S.RESUBMITTED),
            S.REFUSED,
            gettext_lazy("Refuse the grant"),
            application_refuse,
            date_arg="refused_on",
            reason="required",
        ),
        Transition(
            "report",
            (S.DECIDED,),
            S.REPORTED,
            gettext_lazy("Record the results report"),
            application_report,
            date_arg="reported_on",
        ),
        Transition(
            "settle",
            (S.REPORTED,),
            S.SETTLED,
            gettext_lazy("Settle the amount"),
            application_settle,
            date_arg="settled_on",
            preview=_preview_settlement,
        ),
        Transition(
            "pay", (S.SETTLED,), S.PAID, gettext_lazy("Record the payment"), application_pay, date_arg="paid_on"
        ),
        Transition(
            "withdraw",
            _OPEN,
            S.WITHDRAWN,
            gettext_lazy("Withdraw"),
            application_withdraw,
            date_arg="withdrawn_on",
            reason="optional",
        ),
        # 変更交付決定: a new decision replaces the current one; the state stays "decided".
        Transition(
            "correct",
            (S.DECIDED,),
            S.DECIDED,
            gettext_lazy("Change the decided amount"),
            application_correct_decision,
            date_arg="decided_on",
            reason="required",
            takes_amount=True,
            preview=_preview_correction,
        ),
    )
}


def application_transitions_available(*, application: Application) -> list[Transition]:
    """The steps that apply to the application's current state, in lifecycle order."""
    return [t for t in TRANSITIONS.values() if t.allowed_from(application.status)]


def accounting_export_log(*, actor: Actor, fiscal_year: int | None, rows: int) -> None:
    """Audit an export of decided and settled amounts (docs/quality.md IE5: who, when, how many rows)."""
    audit_log(actor=actor, action="subsidies.application.exported", data={"fiscal_year": fiscal_year, "rows": rows})


def application_deadline_reminders_queue(*, today: datetime.date, days: int) -> int:
    """Scheduled: remind applicants whose application is not submitted yet, `days` before the programme closes.

    Drafts and applications returned for correction count; each application is reminded once
    per deadline.
    """
    from platform_portal.mail import mail_queue_once

    applications = Application.objects.select_related("program", "organization").filter(
        status__in=Application.EDITABLE,
        program__closes_on__gte=today,
        program__closes_on__lte=today + datetime.timedelta(days=days),
    )
    queued = 0
    for application in applications:
        contact = application.organization.contacts.exclude(email="").first()
        if contact is None:
            continue
        queued += mail_queue_once(
            key=f"subsidy_deadline:{application.pk}:{application.program.closes_on.isoformat()}",
            template="subsidy_deadline_reminder",
            to=[contact.email],
            context={"application": application, "program": application.program, "contact": contact},
        )
    return queued
