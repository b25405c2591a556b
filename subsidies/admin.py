"""The secretariat's back office for subsidies: declarative admin, writes through services (docs/house-style.md R19)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from platform_portal.admin import AuditedModelAdmin, LabelledTabularInline, PortalFieldsMixin, ReadOnlyAdminMixin
from platform_portal.admin_fields import WarekiAdminMixin
from platform_portal.forms import YenField
from platform_portal.importexport import PortalImportExportAdmin
from platform_portal.lib.fiscal import FiscalYear
from platform_portal.lib.money import format_yen
from platform_portal.uploads import check_upload
from subsidies import selectors, services
from subsidies.forms import ExpenseLineForm, IncomeLineForm
from subsidies.models import (
    LINE_AMOUNT_MAX_YEN,
    Application,
    Attachment,
    Decision,
    ExpenseLine,
    IncomeKind,
    IncomeLine,
    Program,
    ProgramTier,
    Settlement,
)
from subsidies.resources import ApplicationResource


class FiscalYearFilter(admin.SimpleListFilter):
    """Fiscal years as 令和7年度, not 2025."""

    title = _("fiscal year")
    parameter_name = "fiscal_year"
    field = "fiscal_year"

    def lookups(self, request, model_admin):
        years = Program.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
        return [(str(year), FiscalYear(year).label) for year in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{self.field: int(self.value())})
        return queryset


class ApplicationFiscalYearFilter(FiscalYearFilter):
    field = "program__fiscal_year"


class ProgramTierForm(forms.ModelForm):
    cap_yen = YenField(label=_("cap (yen)"))

    class Meta:
        model = ProgramTier
        fields = ["code", "label", "rate_numerator", "rate_denominator", "cap_yen", "order"]


class ProgramTierInline(LabelledTabularInline):
    model = ProgramTier
    form = ProgramTierForm
    extra = 0


class ProgramForm(forms.ModelForm):
    budget_yen = YenField(label=_("budget (yen)"))
    deducted_income_kinds = forms.MultipleChoiceField(
        label=_("income deducted from the cost"),
        choices=IncomeKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Program
        fields = [
            "fiscal_year",
            "code",
            "name",
            "description",
            "applicant_description",
            "eligible_general_types",
            "eligible_steering_categories",
            "municipalities_only",
            "opens_on",
            "closes_on",
            "budget_yen",
            "rounding",
            "rule_version",
            "deducted_income_kinds",
            "required_documents",
            "number_prefix",
            "issuer_title",
            "issuer_name",
            "grant_conditions",
            "appeal_notice",
            "is_public",
            "order",
        ]


@admin.register(Program)
class ProgramAdmin(AuditedModelAdmin):
    """Programmes are reference data: editing them never changes a decision (decisions are snapshots)."""

    form = ProgramForm
    inlines = [ProgramTierInline]
    list_display = ["name", "fiscal_year_label", "budget_display", "opens_on", "closes_on", "is_public"]
    list_filter = [FiscalYearFilter, "is_public"]
    search_fields = ["name", "code"]
    filter_horizontal = ["eligible_general_types", "eligible_steering_categories"]
    ordering = ["-fiscal_year", "order"]

    @admin.display(description=_("fiscal year"), ordering="fiscal_year")
    def fiscal_year_label(self, obj):
        return obj.fiscal_year_obj.label

    @admin.display(description=_("Budget"), ordering="budget_yen")
    def budget_display(self, obj):
        return format_yen(obj.budget_yen)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.applications.exists():
            return False
        return super().has_delete_permission(request, obj)


class LineFormSet(forms.BaseInlineFormSet):
    """Plan lines change only while editable, actual lines only between decision and report."""

    def clean(self):
        super().clean()
        stages = [
            (form.cleaned_data or {}).get("stage") or getattr(form.instance, "stage", None)
            for form in self.forms
            if form.has_changed() or (form.cleaned_data or {}).get("DELETE")
        ]
        # The service's own check and coded error (docs/house-style.md R10, R15).
        services.application_lines_check(application=self.instance, stages=stages)


class _LineInline(LabelledTabularInline):
    formset = LineFormSet
    extra = 0

    def _open(self, obj) -> bool:
        return obj is None or obj.is_editable or obj.status == Application.Status.DECIDED

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(obj) and super().has_delete_permission(request, obj)


class ExpenseLineInline(_LineInline):
    model = ExpenseLine
    form = ExpenseLineForm
    fields = ["stage", "category", "description", "amount_yen", "eligible", "order"]


class IncomeLineInline(_LineInline):
    model = IncomeLine
    form = IncomeLineForm
    fields = ["stage", "kind", "description", "amount_yen", "order"]


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file"]
        widgets = {"file": forms.FileInput}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded and hasattr(uploaded, "content_type"):
            check_upload(uploaded, allowed=services.ATTACHMENT_TYPES)
        return uploaded


class AttachmentInline(ReadOnlyAdminMixin, LabelledTabularInline):
    """Stored attachments: downloaded through the staff view only, never by a media URL (docs/quality.md IO5)."""

    model = Attachment
    extra = 0
    fields = ["title", "download", "size", "uploaded_at"]
    readonly_fields = fields
    verbose_name_plural = _("attachments")

    @admin.display(description=_("download"))
    def download(self, obj):
        if not obj.pk:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("subsidies:attachment_download", args=[obj.pk]), obj.original_name
        )


class AttachmentUploadInline(LabelledTabularInline):
    """New uploads only; each goes through services.attachment_add (type, content and size checks)."""

    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ["title", "file"]
    verbose_name = _("new attachment")
    verbose_name_plural = _("add attachments")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _SnapshotInline(ReadOnlyAdminMixin, LabelledTabularInline):
    extra = 0
    can_delete = False


class DecisionInline(_SnapshotInline):
    model = Decision
    fields = ["number", "decided_on", "amount_yen", "rule_version", "notice_link"]
    readonly_fields = fields

    @admin.display(description=_("notice (PDF)"))
    def notice_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("subsidies:decision_notice", args=[obj.pk]), _("Grant decision notice")
        )


class SettlementInline(_SnapshotInline):
    model = Settlement
    fields = ["number", "settled_on", "recomputed_yen", "amount_yen", "rule_version", "notice_link"]
    readonly_fields = fields

    @admin.display(description=_("notice (PDF)"))
    def notice_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("subsidies:settlement_notice", args=[obj.pk]), _("Settlement notice")
        )


def tier_choices_grouped() -> list:
    """The tiers grouped under 「令和7年度 〇〇補助金」, newest year first; each labelled unambiguously."""
    groups: dict[str, list] = {}
    tiers = ProgramTier.objects.select_related("program").order_by(
        "-program__fiscal_year", "program__order", "program__pk", "order", "pk"
    )
    for tier in tiers:
        group = f"{tier.program.fiscal_year_obj.label} {tier.program.name}"
        label = f"{tier.program.fiscal_year_obj.short_label} {tier.program.display_short_name}"
        groups.setdefault(group, []).append((tier.pk, f"{label}（{tier.label}）" if tier.label else label))
    return [("", "---------"), *groups.items()]


class ApplicationForm(forms.ModelForm):
    requested_yen = YenField(
        label=_("amount requested (yen)"),
        required=False,
        help_text=_("Leave empty to request the computed amount."),
        max_value=LINE_AMOUNT_MAX_YEN,
    )

    class Meta:
        model = Application
        fields = ["program", "tier", "organization", "title", "purpose", "period_start", "period_end", "requested_yen"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tier" in self.fields:
            choices = tier_choices_grouped()
            self.fields["tier"].choices = choices
            widget = self.fields["tier"].widget
            getattr(widget, "widget", widget).choices = choices  # inside the admin's related-field wrapper

    def clean(self):
        data = super().clean()
        program = data.get("program") or getattr(self.instance, "program", None)
        if program:
            problems = services.application_field_problems(
                program=program,
                tier=data.get("tier"),
                organization=data.get("organization"),
                period_start=data.get("period_start"),
                period_end=data.get("period_end"),
            )
            for field, problem in problems.items():
                self.add_error(field, problem)
        return data


@admin.register(Application)
class ApplicationAdmin(PortalFieldsMixin, PortalImportExportAdmin):
    """Applications: fields and lines editable while a draft or returned; transitions via confirm pages."""

    resource_classes = [ApplicationResource]

    form = ApplicationForm
    change_form_template = "admin/subsidies/application/change_form.html"
    change_list_template = "admin/subsidies/application/change_list.html"
    list_display = [
        "number",
        "organization",
        "program_label",
        "tier_label",
        "status",
        "decided_display",
        "final_display",
        "sample_badge",
    ]
    list_filter = ["status", ApplicationFiscalYearFilter, "program", "is_sample"]
    search_fields = ["number", "title", "organization__name"]
    list_select_related = ["program", "tier", "organization"]
    autocomplete_fields = ["organization"]
    ordering = ["-program__fiscal_year", "number"]
    inlines = [
        ExpenseLineInline,
        IncomeLineInline,
        AttachmentInline,
        AttachmentUploadInline,
        DecisionInline,
        SettlementInline,
    ]

    @admin.display(description=_("programme"), ordering="program__name")
    def program_label(self, obj):
        return f"{obj.program.fiscal_year_obj.short_label} {obj.program.display_short_name}"

    @admin.display(description=pgettext_lazy("subsidy", "tier"), ordering="tier__label")
    def tier_label(self, obj):
        return obj.tier.label

    @admin.display(description=_("Decided amount"), ordering="decided_yen")
    def decided_display(self, obj):
        return "-" if obj.decided_yen is None else format_yen(obj.decided_yen)

    @admin.display(description=_("Settled amount"), ordering="final_yen")
    def final_display(self, obj):
        return "-" if obj.final_yen is None else format_yen(obj.final_yen)

    @admin.display(description=_("sample data"), ordering="is_sample")
    def sample_badge(self, obj):
        # The demo invents recipients and amounts: marked 見本 wherever they are shown.
        return "見本" if obj.is_sample else ""

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.is_editable:
            return ["program"]
        return ["program", "tier", "organization", "title", "purpose", "period_start", "period_end", "requested_yen"]

    def has_delete_permission(self, request, obj=None):
        # Applications are never deleted: they are withdrawn (取下げ), and decisions point at them.
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
        if change:
            if data:
                services.application_update(actor=request.user, application=obj, **data)
            return
        created = services.application_create(
            actor=request.user,
            program=form.cleaned_data["program"],
            tier=form.cleaned_data["tier"],
            organization=form.cleaned_data["organization"],
            title=form.cleaned_data["title"],
            purpose=form.cleaned_data["purpose"],
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
            requested_yen=form.cleaned_data.get("requested_yen"),
        )
        obj.pk = created.pk
        obj.number = created.number

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these lists, which formset.save() would have set.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is Attachment:
            for inline_form in formset.forms:
                if inline_form.has_changed() and inline_form.cleaned_data.get("file"):
                    formset.new_objects.append(
                        services.attachment_add(
                            actor=request.user,
                            application=form.instance,
                            title=inline_form.cleaned_data["title"],
                            uploaded=inline_form.cleaned_data["file"],
                        )
                    )
            return
        if formset.model in (ExpenseLine, IncomeLine):
            instances = formset.save(commit=False)
            services.application_lines_save(
                actor=request.user, application=form.instance, saved=instances, deleted=formset.deleted_objects
            )
            return
        # Decision and settlement inlines are read-only: nothing to save.

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["transitions"] = [
                (t.verb, t.label, reverse("subsidies:application_transition", args=[obj.pk, t.verb]))
                for t in services.application_transitions_available(application=obj)
            ]
            if obj.status in (Application.Status.DRAFT, Application.Status.RETURNED, *Application.WAITING):
                context["computed"] = services.application_compute(application=obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


class _SnapshotAdmin(ReadOnlyAdminMixin, WarekiAdminMixin, admin.ModelAdmin):
    """Decided and settled rows are read-only and cannot be deleted (docs/house-style.md R4)."""

    list_select_related = ["application"]


@admin.register(Decision)
class DecisionAdmin(_SnapshotAdmin):
    list_display = [
        "number",
        "decided_on",
        "organization_name",
        "program_name",
        "tier_label",
        "amount_display",
        "rule_version",
        "notice_link",
    ]
    list_filter = ["fiscal_year", "program_name"]
    search_fields = ["number", "organization_name", "project_title"]
    exclude = ["notice"]

    @admin.display(description=_("Decided amount"), ordering="amount_yen")
    def amount_display(self, obj):
        return format_yen(obj.amount_yen)

    @admin.display(description=_("notice (PDF)"))
    def notice_link(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("subsidies:decision_notice", args=[obj.pk]))


@admin.register(Settlement)
class SettlementAdmin(_SnapshotAdmin):
    list_display = ["number", "settled_on", "application", "decided_display", "amount_display", "notice_link"]
    search_fields = ["number", "application__number", "application__organization__name"]
    exclude = ["notice"]

    @admin.display(description=_("Decided amount"), ordering="decided_yen")
    def decided_display(self, obj):
        return format_yen(obj.decided_yen)

    @admin.display(description=_("Settled amount"), ordering="amount_yen")
    def amount_display(self, obj):
        return format_yen(obj.amount_yen)

    @admin.display(description=_("notice (PDF)"))
    def notice_link(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("subsidies:settlement_notice", args=[obj.pk]))


def waiting_attention(request):
    """Admin index: applications waiting for the secretariat (申請・再申請)."""
    from platform_portal.admin_site import AttentionItem

    if not request.user.has_perm("subsidies.view_application"):
        return []
    count = selectors.waiting_count()
    if not count:
        return []  # like the other items: the panel lists only what needs doing
    url = reverse("admin:subsidies_application_changelist") + "?status__in=submitted,resubmitted"
    return [AttentionItem(label=str(_("Subsidy applications waiting for review")), count=count, url=url)]
