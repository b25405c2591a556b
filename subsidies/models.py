"""Subsidy programmes (補助事業), their tiers, applications and the decisions taken on them.

Decisions (交付決定) and settlements (額の確定) are snapshots (docs/house-style.md R4): they copy the
rate, cap, rounding, rule version and breakdown that produced them and never change; the
database refuses impossible rows (R7).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from platform_portal.lib.fiscal import FiscalYear
from platform_portal.validators import validate_plain_text, validate_single_line
from subsidies import rules

# The largest amount of one expense or income line, and of a requested amount: 10億円. Far above
# any small grant's lines, far below what the database or the arithmetic could overflow on.
LINE_AMOUNT_MAX_YEN = 1_000_000_000


def validate_line_amount(value) -> None:
    if value is not None and value > LINE_AMOUNT_MAX_YEN:
        raise ValidationError(
            _("An amount may be at most %(max)s."),
            code="amount_too_large",
            params={"max": f"{LINE_AMOUNT_MAX_YEN:,}円"},
        )


class Rounding(models.TextChoices):
    FLOOR_1 = rules.FLOOR_1, _("Round down to the yen (floor_1)")
    FLOOR_1000 = rules.FLOOR_1000, _("Round down to 1,000 yen (floor_1000)")


class IncomeKind(models.TextChoices):
    PARTICIPANT_FEES = "participant_fees", _("Participant fees")
    DONATIONS = "donations", _("Donations and sponsorship")
    OTHER_GRANTS = "other_grants", _("Other grants")
    OWN_FUNDS = "own_funds", _("Own funds")
    OTHER = "other", _("Other income")


RULE_VERSION_CHOICES = [(key, key) for key in rules.RULE_VERSIONS]


class Program(models.Model):
    """A subsidy programme of one fiscal year; who may apply is data (types, categories, municipalities)."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), help_text=_("The calendar year the fiscal year starts in: 2025 is 令和7年度.")
    )
    code = models.SlugField(_("code"), max_length=40, help_text=_("Short code, the same across years."))
    name = models.CharField(_("programme name"), max_length=200, validators=[validate_single_line])
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Shown in staff lists."),
    )
    description = models.TextField(_("public description"), blank=True, validators=[validate_plain_text])
    applicant_description = models.CharField(_("who may apply"), max_length=300, validators=[validate_single_line])
    eligible_general_types = models.ManyToManyField(
        "members.GeneralType",
        verbose_name=_("eligible general member types"),
        blank=True,
        help_text=_("Leave both lists empty to accept every approved member."),
    )
    eligible_steering_categories = models.ManyToManyField(
        "members.SteeringCategory", verbose_name=_("eligible steering member categories"), blank=True
    )
    municipalities_only = models.BooleanField(
        _("municipalities only"), default=False, help_text=_("Only members that are a municipality may apply.")
    )
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    budget_yen = models.PositiveBigIntegerField(_("budget (yen)"))
    rounding = models.CharField(_("rounding"), max_length=20, choices=Rounding.choices, default=Rounding.FLOOR_1000)
    rule_version = models.CharField(
        _("rule version"), max_length=20, choices=RULE_VERSION_CHOICES, default=rules.CURRENT_RULE_VERSION
    )
    deducted_income_kinds = models.JSONField(
        _("income deducted from the cost"),
        default=list,
        blank=True,
        help_text=_("Income kinds subtracted from the eligible expenses."),
    )
    required_documents = models.TextField(
        _("required documents"), blank=True, help_text=_("One per line."), validators=[validate_plain_text]
    )
    number_prefix = models.CharField(
        _("notice number prefix"), max_length=30, default="孤立", validators=[validate_single_line]
    )
    is_public = models.BooleanField(_("shown on the public pages"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # The issuer and the fixed texts of the official notices (交付決定通知書, 額の確定通知書).
    issuer_title = models.CharField(
        _("issuer of notices"),
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text=_("The office that issues the notices, e.g. 〇〇県知事. Empty: the secretariat's name."),
    )
    issuer_name = models.CharField(_("issuer's name"), max_length=100, blank=True, validators=[validate_single_line])
    grant_conditions = models.TextField(
        _("conditions of the grant (交付条件)"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_("One condition per line; printed numbered on the grant decision notice."),
    )
    appeal_notice = models.TextField(
        _("appeal notice (教示)"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_("How to appeal the decision; printed at the foot of both notices."),
    )

    class Meta:
        verbose_name = _("subsidy programme")
        verbose_name_plural = _("subsidy programmes")
        ordering = ["-fiscal_year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="program_unique_code_per_year"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="program_window_ordered"),
            models.CheckConstraint(condition=Q(fiscal_year__gte=1989), name="program_fiscal_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year_obj.label} {self.name}"

    @property
    def fiscal_year_obj(self) -> FiscalYear:
        return FiscalYear(self.fiscal_year)

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name

    @property
    def grant_condition_list(self) -> list[str]:
        return [line.strip() for line in self.grant_conditions.splitlines() if line.strip()]

    @property
    def required_document_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class ProgramTier(models.Model):
    """A rate tier of a programme (新規 9/10, 継続 1/2, …) with its cap."""

    program = models.ForeignKey(Program, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="tiers")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=100, blank=True, validators=[validate_single_line])
    rate_numerator = models.PositiveIntegerField(_("rate numerator"))
    rate_denominator = models.PositiveIntegerField(_("rate denominator"))
    cap_yen = models.PositiveBigIntegerField(_("cap (yen)"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("programme tier")
        verbose_name_plural = _("programme tiers")
        ordering = ["program", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="tier_unique_code"),
            models.CheckConstraint(condition=Q(rate_denominator__gt=0), name="tier_denominator_positive"),
            models.CheckConstraint(condition=Q(rate_numerator__gt=0), name="tier_numerator_positive"),
            models.CheckConstraint(
                condition=Q(rate_numerator__lte=F("rate_denominator")), name="tier_rate_at_most_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.name} {self.label}".strip() if self.label else self.program.name

    @property
    def rate(self) -> rules.Rate:
        return rules.Rate(self.rate_numerator, self.rate_denominator)


class Application(models.Model):
    """A subsidy application (補助金交付申請) by a member organisation, through its lifecycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("subsidy application", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("subsidy application", "Submitted")
        RETURNED = "returned", pgettext_lazy("subsidy application", "Returned for correction")
        RESUBMITTED = "resubmitted", pgettext_lazy("subsidy application", "Resubmitted")
        DECIDED = "decided", pgettext_lazy("subsidy application", "Grant decided")
        REFUSED = "refused", pgettext_lazy("subsidy application", "Not granted")
        REPORTED = "reported", pgettext_lazy("subsidy application", "Results reported")
        SETTLED = "settled", pgettext_lazy("subsidy application", "Amount settled")
        PAID = "paid", pgettext_lazy("subsidy application", "Paid")
        WITHDRAWN = "withdrawn", pgettext_lazy("subsidy application", "Withdrawn")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    WAITING = (Status.SUBMITTED, Status.RESUBMITTED)
    GRANTED = (Status.DECIDED, Status.REPORTED, Status.SETTLED, Status.PAID)

    number = models.CharField(_("application number"), max_length=40, unique=True)
    program = models.ForeignKey(
        Program, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="applications"
    )
    tier = models.ForeignKey(
        ProgramTier,
        verbose_name=pgettext_lazy("subsidy", "tier"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("applicant organisation"),
        on_delete=models.PROTECT,
        related_name="subsidy_applications",
    )
    title = models.CharField(_("project title"), max_length=200, validators=[validate_single_line])
    purpose = models.TextField(_("purpose"), validators=[validate_plain_text])
    period_start = models.DateField(_("project start"))
    period_end = models.DateField(_("project end"))
    requested_yen = models.PositiveBigIntegerField(
        _("amount requested (yen)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to request the computed amount."),
        validators=[validate_line_amount],
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_note = models.TextField(_("note on the last transition"), blank=True, validators=[validate_plain_text])
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    reported_on = models.DateField(_("results reported on"), null=True, blank=True)
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    # Denormalised from the current decision and settlement, for lists, budgets and constraints.
    decided_yen = models.PositiveBigIntegerField(_("decided amount (yen)"), null=True, blank=True)
    final_yen = models.PositiveBigIntegerField(_("settled amount (yen)"), null=True, blank=True)
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Invented for the demo: shown with 見本.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("subsidy application")
        verbose_name_plural = _("subsidy applications")
        ordering = ["-program__fiscal_year", "number"]
        permissions = [
            ("export_application", _("Can export decided and settled amounts")),
            ("import_application", _("Can import changes to draft applications")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="application_period_ordered"),
            models.CheckConstraint(
                condition=Q(final_yen__isnull=True) | Q(decided_yen__isnull=False, final_yen__lte=F("decided_yen")),
                name="application_final_not_above_decided",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["decided", "reported", "settled", "paid"]) | Q(decided_yen__isnull=False),
                name="application_granted_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["settled", "paid"]) | Q(final_yen__isnull=False),
                name="application_settled_has_amount",
            ),
        ]
        indexes = [models.Index(fields=["status", "program"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def fiscal_year_obj(self) -> FiscalYear:
        return FiscalYear(self.program.fiscal_year)


class ExpenseLine(models.Model):
    """An expense line (費目・内容・金額) of the plan (計画) or of the results report (実績)."""

    class Stage(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTUAL = "actual", _("Actual")

    class Category(models.TextChoices):
        HONORARIA = "honoraria", _("Honoraria (報償費)")
        TRAVEL = "travel", _("Travel (旅費)")
        SUPPLIES = "supplies", _("Supplies and printing (需用費)")
        SERVICES = "services", _("Postage and services (役務費)")
        RENTAL = "rental", _("Rent and hire (使用料及び賃借料)")
        COMMISSION = "commission", _("Commissions (委託料)")
        OTHER = "other", _("Other (その他)")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="expenses"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.PLANNED)
    category = models.CharField(_("expense category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("details"), max_length=200, validators=[validate_single_line])
    amount_yen = models.PositiveBigIntegerField(_("amount (yen)"), validators=[validate_line_amount])
    eligible = models.BooleanField(_("eligible"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("expense line")
        verbose_name_plural = _("expense lines")
        ordering = ["application", "stage", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.description}"

    def as_rule_input(self) -> rules.Expense:
        return rules.Expense(
            category=self.category, amount_yen=self.amount_yen, eligible=self.eligible, description=self.description
        )


class IncomeLine(models.Model):
    """An income line of the plan or of the results report."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="incomes"
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=ExpenseLine.Stage.choices, default=ExpenseLine.Stage.PLANNED
    )
    kind = models.CharField(_("income kind"), max_length=20, choices=IncomeKind.choices)
    description = models.CharField(_("details"), max_length=200, blank=True, validators=[validate_single_line])
    amount_yen = models.PositiveBigIntegerField(_("amount (yen)"), validators=[validate_line_amount])
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("income line")
        verbose_name_plural = _("income lines")
        ordering = ["application", "stage", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}".strip()

    def as_rule_input(self) -> rules.Income:
        return rules.Income(kind=self.kind, amount_yen=self.amount_yen, description=self.description)


def attachment_path(instance, filename: str) -> str:
    """Generated names only (docs/quality.md IO5): the uploader's file name is kept in a field, never on disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"subsidies/attachments/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """A document attached to an application (申請書, 収支予算書, 領収書の写し …)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("document"), max_length=200, validators=[validate_single_line])
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("original file name"), max_length=255, editable=False)
    content_type = models.CharField(pgettext_lazy("uploaded file", "content type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.title


def notice_path(instance, filename: str) -> str:
    return f"subsidies/notices/{uuid.uuid4().hex}.pdf"


class Decision(models.Model):
    """交付決定: an immutable snapshot of the decided amount and how it was computed."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="decisions"
    )
    replaces = models.OneToOneField(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    number = models.CharField(_("decision number"), max_length=60, unique=True)
    decided_on = models.DateField(_("decision date"))
    organization_name = models.CharField(_("applicant organisation"), max_length=200)
    program_name = models.CharField(_("programme"), max_length=200)
    tier_label = models.CharField(pgettext_lazy("subsidy", "tier"), max_length=100, blank=True)
    project_title = models.CharField(_("project title"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    rate_numerator = models.PositiveIntegerField(_("rate numerator"))
    rate_denominator = models.PositiveIntegerField(_("rate denominator"))
    cap_yen = models.PositiveBigIntegerField(_("cap (yen)"))
    rounding = models.CharField(_("rounding"), max_length=20, choices=Rounding.choices)
    rule_version = models.CharField(_("rule version"), max_length=20)
    eligible_cost_yen = models.PositiveBigIntegerField(_("eligible cost (yen)"))
    amount_yen = models.PositiveBigIntegerField(_("decided amount (yen)"))
    breakdown = models.JSONField(_("breakdown"))
    notice = models.FileField(_("notice (PDF)"), upload_to=notice_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grant decision")
        verbose_name_plural = _("grant decisions")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_yen__lte=F("cap_yen")), name="decision_amount_not_above_cap"),
            models.CheckConstraint(condition=Q(rate_denominator__gt=0), name="decision_denominator_positive"),
            models.CheckConstraint(
                condition=Q(rate_numerator__lte=F("rate_denominator")), name="decision_rate_at_most_one"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(_("Grant decisions are kept; record a correction instead."), {self})


class Settlement(models.Model):
    """額の確定: the amount recomputed from the results report, settled at min(recomputed, decided)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="settlements"
    )
    decision = models.ForeignKey(
        Decision, verbose_name=_("grant decision"), on_delete=models.PROTECT, related_name="settlements"
    )
    replaces = models.OneToOneField(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    number = models.CharField(_("settlement number"), max_length=60, unique=True)
    settled_on = models.DateField(_("settlement date"))
    rule_version = models.CharField(_("rule version"), max_length=20)
    actual_cost_yen = models.PositiveBigIntegerField(_("actual eligible cost (yen)"))
    recomputed_yen = models.PositiveBigIntegerField(_("recomputed amount (yen)"))
    decided_yen = models.PositiveBigIntegerField(_("decided amount (yen)"))
    amount_yen = models.PositiveBigIntegerField(_("settled amount (yen)"))
    breakdown = models.JSONField(_("breakdown"))
    notice = models.FileField(_("notice (PDF)"), upload_to=notice_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("settled by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("amount settlement")
        verbose_name_plural = _("amount settlements")
        ordering = ["-settled_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_yen__lte=F("decided_yen")), name="settlement_not_above_decided"),
            models.CheckConstraint(
                condition=Q(amount_yen__lte=F("recomputed_yen")), name="settlement_not_above_recomputed"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(_("Settlements are kept; record a correction instead."), {self})


class NoticeSequence(models.Model):
    """The last notice number given under one prefix (R7孤立第 / R7孤立確第); locked while a number is handed out.

    Programmes of one year share a prefix, so two decisions in two programmes at the same moment
    would both count the same notices: the counter row serialises them.
    """

    prefix = models.CharField(_("prefix"), max_length=60, unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("notice number sequence")
        verbose_name_plural = _("notice number sequences")

    def __str__(self) -> str:
        return f"{self.prefix}{self.last_number}号"
