"""Export of decided and settled amounts for accounting (docs/quality.md IE4): formula-safe cells.

Numbers stay numbers (ints) and dates ISO dates; a text cell that a spreadsheet would read
as a formula gets a leading apostrophe (the shared platform_portal.importexport helper).
The rows join each application with its current decision and settlement, so they are built
here rather than by a ModelResource; there is no import (decisions come only from services).

`ApplicationResource` is the staff's list of applications (Japanese columns), exported and
re-imported in the admin: a re-import changes only what staff may change on a draft.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from platform_portal.importexport import JapaneseDateWidget, PortalResource, YenWidget, neutralize_formula
from subsidies import services
from subsidies.models import Application


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralize_formula(value)


def accounting_rows(applications) -> tuple[list[str], list[list]]:
    """Header and rows: one row per decided or settled application."""
    headers = [
        _("Application number"),
        _("Fiscal year"),
        _("Programme"),
        _("Tier"),
        _("Applicant organisation"),
        _("Status"),
        _("Decision number"),
        _("Decision date"),
        _("Decided amount (yen)"),
        _("Settlement number"),
        _("Settlement date"),
        _("Settled amount (yen)"),
        _("Paid on"),
    ]
    rows = []
    for application in applications:
        decision = application.current_decisions[-1] if application.current_decisions else None
        settlement = application.current_settlements[-1] if application.current_settlements else None
        rows.append(
            [
                _cell(application.number),
                _cell(application.program.fiscal_year_obj.label),
                _cell(application.program.name),
                _cell(application.tier.label),
                _cell(application.organization.name),
                _cell(application.get_status_display()),
                _cell(decision.number if decision else None),
                _cell(decision.decided_on if decision else None),
                application.decided_yen if application.decided_yen is not None else "",
                _cell(settlement.number if settlement else None),
                _cell(settlement.settled_on if settlement else None),
                application.final_yen if application.final_yen is not None else "",
                _cell(application.paid_on),
            ]
        )
    return headers, rows


# ------------------------------------------------------------------ applications (export and re-import)


class _ExportOnly(fields.Field):
    def __init__(self, *, column_name, getter, widget=None):
        super().__init__(attribute=None, column_name=column_name, widget=widget, readonly=True)
        self.getter = getter

    def get_value(self, instance):
        return self.getter(instance)


class ApplicationResource(PortalResource):
    """Applications by their number (申請番号). Re-importing changes only the fields of drafts and returned
    applications, through `services.application_update`; new applications are entered in the admin."""

    number = fields.Field(attribute="number", column_name="申請番号", widget=widgets.CharWidget())
    fiscal_year = _ExportOnly(column_name="年度", getter=lambda a: a.program.fiscal_year_obj.label)
    program = _ExportOnly(column_name="補助事業", getter=lambda a: a.program.name)
    tier = _ExportOnly(column_name="区分", getter=lambda a: a.tier.label)
    organization = _ExportOnly(column_name="申請団体", getter=lambda a: a.organization.name)
    title = fields.Field(attribute="title", column_name="事業名")
    purpose = fields.Field(attribute="purpose", column_name="事業の目的")
    period_start = fields.Field(attribute="period_start", column_name="事業開始日", widget=JapaneseDateWidget())
    period_end = fields.Field(attribute="period_end", column_name="事業終了日", widget=JapaneseDateWidget())
    requested_yen = fields.Field(attribute="requested_yen", column_name="申請額（円）", widget=YenWidget())
    status = _ExportOnly(column_name="状態", getter=lambda a: a.get_status_display())
    decided_yen = _ExportOnly(column_name="交付決定額（円）", getter=lambda a: a.decided_yen)
    final_yen = _ExportOnly(column_name="確定額（円）", getter=lambda a: a.final_yen)

    class Meta(PortalResource.Meta):
        model = Application
        import_id_fields = ["number"]
        fields = [
            "number",
            "fiscal_year",
            "program",
            "tier",
            "organization",
            "title",
            "purpose",
            "period_start",
            "period_end",
            "requested_yen",
            "status",
            "decided_yen",
            "final_yen",
        ]
        export_order = fields

    def get_queryset(self):
        return Application.objects.select_related("program", "tier", "organization").order_by("number")

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        if new:
            raise ValidationError(
                _("New applications cannot be imported; enter them in the back office."), code="new_application"
            )
        return instance, new

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        if kwargs.get("dry_run"):
            return
        current = Application.objects.get(pk=instance.pk)
        changes = {
            name: getattr(instance, name)
            for name in IMPORTED_FIELDS
            if getattr(instance, name) != getattr(current, name)
        }
        if changes:
            services.application_update(actor=kwargs.get("user"), application=current, **changes)
        self.after_save_instance(instance, row, **kwargs)


IMPORTED_FIELDS = ("title", "purpose", "period_start", "period_end", "requested_yen")
