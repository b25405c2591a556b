"""Back office of the records a packet reports on: programmes of the year, council sessions,
municipal programmes, consultation windows, issued packets (declarative; every save audited)."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    ConsultationWindow,
    CouncilOpinion,
    CouncilRequest,
    CouncilSession,
    Initiative,
    MunicipalProgramme,
    PacketIssue,
)
from platform_portal.admin import AuditedModelAdmin, LabelledTabularInline
from platform_portal.admin_fields import WarekiAdminMixin
from platform_portal.lib.fiscal import FiscalYear


class FiscalYearLabelMixin:
    @admin.display(description=_("fiscal year"), ordering="fiscal_year")
    def fiscal_year_label(self, obj):
        return FiscalYear(obj.fiscal_year).label


@admin.register(Initiative)
class InitiativeAdmin(FiscalYearLabelMixin, AuditedModelAdmin):
    list_display = ["title", "fiscal_year_label", "group", "label", "order"]
    list_filter = ["fiscal_year", "label", "reports_supporters"]
    search_fields = ["title", "purpose", "group"]
    ordering = ["-fiscal_year", "order"]
    fields = [
        "fiscal_year",
        "group",
        "order",
        "title",
        "label",
        "purpose",
        "subsidy_programs",
        "reports_supporters",
        "outcome_note",
    ]
    # Plain multiple select: filter_horizontal's widget fails axe (aria-prohibited-attr).


class CouncilOpinionInline(LabelledTabularInline):
    model = CouncilOpinion
    fields = ["order", "text"]
    extra = 0


class CouncilRequestInline(WarekiAdminMixin, admin.StackedInline):
    model = CouncilRequest
    fields = ["order", "title", "text", "notes"]
    extra = 0


@admin.register(CouncilSession)
class CouncilSessionAdmin(AuditedModelAdmin):
    list_display = ["name", "date", "is_public"]
    list_filter = ["is_public"]
    search_fields = ["name"]
    date_hierarchy = "date"
    fields = ["name", "date", "event", "is_public"]
    raw_id_fields = ["event"]
    inlines = [CouncilOpinionInline, CouncilRequestInline]


@admin.register(MunicipalProgramme)
class MunicipalProgrammeAdmin(FiscalYearLabelMixin, AuditedModelAdmin):
    list_display = ["name", "municipality", "fiscal_year_label", "status", "category", "is_public"]
    list_filter = ["fiscal_year", "municipality", "status", "is_public"]
    list_select_related = ["municipality"]
    search_fields = ["name", "content", "category"]
    ordering = ["-fiscal_year", "municipality__order", "order"]
    fields = ["municipality", "area_note", "fiscal_year", "order", "name", "content", "status", "category", "is_public"]


@admin.register(ConsultationWindow)
class ConsultationWindowAdmin(AuditedModelAdmin):
    list_display = ["name", "subject", "municipality", "phone", "confirmed", "is_sample", "is_public", "order"]
    list_filter = ["confirmed", "is_public", "is_sample", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "subject"]
    fields = [
        "name",
        "subject",
        "municipality",
        "phone",
        "hours",
        "website",
        "confirmed",
        "is_sample",
        "order",
        "is_public",
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(PacketIssue)
class PacketIssueAdmin(WarekiAdminMixin, admin.ModelAdmin):
    """Issued packets are frozen: listed and downloadable, never edited (issue again for a new version)."""

    list_display = ["meeting", "version", "page_count", "issued_at", "issued_by"]
    list_select_related = ["meeting", "meeting__body", "issued_by"]
    list_filter = ["meeting__body"]
    fields = ["meeting", "version", "page_count", "issued_at", "issued_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
