"""Admin of the supporter roster: import/export (explicit permissions), appointment and deletion on request."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platform_portal.admin import AuditedModelAdmin, LabelledTabularInline, ReadOnlyAdminMixin
from platform_portal.admin_fields import WarekiAdminMixin
from platform_portal.importexport import PortalImportExportAdmin
from supporters import services
from supporters.models import Appointment, Supporter, TrainingCompletion, TrainingCourse
from supporters.resources import SupporterResource


class AppointmentYearFilter(admin.SimpleListFilter):
    title = _("fiscal year of appointment")
    parameter_name = "appointed_year"

    def lookups(self, request, model_admin):
        from platform_portal.lib.fiscal import FiscalYear

        years = Appointment.objects.values_list("fiscal_year", flat=True).distinct().order_by("-fiscal_year")
        return [(str(year), FiscalYear(year).label) for year in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(appointment__fiscal_year=int(self.value()))
        return queryset


class TrainingCompletionInline(LabelledTabularInline):
    model = TrainingCompletion
    fields = ["course", "event", "completed_on"]
    autocomplete_fields = ["event"]
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Supporter)
class SupporterAdmin(PortalImportExportAdmin):
    resource_classes = [SupporterResource]
    # Links to the staff pages (roster with appointment, totals, sharing with a municipality).
    change_list_template = "admin/supporters/supporter/change_list.html"
    list_display = [
        "roster_code",
        "name",
        "kana",
        "municipality",
        "status",
        "appointment_number",
        "appointed_on",
        "consent_share_with_municipality",
    ]
    list_filter = ["status", "municipality", AppointmentYearFilter, "consent_share_with_municipality"]
    list_select_related = ["municipality", "appointment"]
    search_fields = ["roster_code", "name", "kana", "email", "phone"]
    ordering = ["kana", "name"]
    inlines = [TrainingCompletionInline]
    autocomplete_fields = ["exchange_meetings"]
    readonly_fields = ["status", "appointment"]
    fields = [
        "roster_code",
        "name",
        "kana",
        "municipality",
        "email",
        "phone",
        "address",
        "affiliation",
        "status",
        "appointment",
        "exchange_meetings",
        "consent_share_with_municipality",
        "notes",
    ]
    actions = ["appoint_today", "delete_on_request"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "roster_code" in form.base_fields:
            # Left empty, the service gives the next code (S00001, S00002, …).
            form.base_fields["roster_code"].required = False
        return form

    @admin.display(description=_("appointment number"), ordering="appointment__number")
    def appointment_number(self, obj):
        return obj.appointment.number if obj.appointment else None

    @admin.display(description=_("appointed on"), ordering="appointment__appointed_on")
    def appointed_on(self, obj):
        return obj.appointment.appointed_on if obj.appointment else None

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not self.has_change_permission(request):
            actions.pop("appoint_today", None)
        if not self.has_delete_permission(request):
            actions.pop("delete_on_request", None)
        return actions

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            saved = services.supporter_update(actor=request.user, supporter=Supporter.objects.get(pk=obj.pk), **data)
        else:
            saved = services.supporter_create(actor=request.user, **data)
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        supporter = Supporter.objects.get(pk=form.instance.pk)
        services.supporter_set_exchange_meetings(
            actor=request.user, supporter=supporter, events=list(form.cleaned_data.get("exchange_meetings", []))
        )
        for formset in formsets:
            # The admin's history message reads these lists, which formset.save() would set.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for inline_form in formset.forms:
                if inline_form.has_changed() and inline_form.instance.pk is None and inline_form.is_valid():
                    data = inline_form.cleaned_data
                    if data.get("DELETE") or not data.get("course"):
                        continue
                    formset.new_objects.append(
                        services.training_completion_record(
                            actor=request.user,
                            supporter=supporter,
                            course=data["course"],
                            completed_on=data["completed_on"],
                            event=data.get("event"),
                        )
                    )

    def delete_model(self, request, obj):
        services.supporter_delete_on_request(actor=request.user, supporter=obj)

    def delete_queryset(self, request, queryset):
        for supporter in queryset:
            services.supporter_delete_on_request(actor=request.user, supporter=supporter)

    @admin.action(description=_("Appoint the selected people today"))
    def appoint_today(self, request, queryset):
        try:
            appointed = services.supporter_appoint(
                actor=request.user, supporters=list(queryset), appointed_on=timezone.localdate()
            )
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            return
        self.message_user(request, _("%(count)d people appointed.") % {"count": len(appointed)}, messages.SUCCESS)

    @admin.action(description=_("Delete the selected people on request (totals stay)"))
    def delete_on_request(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            # A confirm step that says what is deleted and what is kept (WCAG 3.3.4).
            context = {
                **self.admin_site.each_context(request),
                "title": _("Delete on request"),
                "objects": list(queryset.select_related("appointment")),
                "action": request.POST.get("action"),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/supporters/supporter/delete_on_request_confirm.html", context)
        count = 0
        for supporter in queryset:
            services.supporter_delete_on_request(actor=request.user, supporter=supporter)
            count += 1
        self.message_user(request, _("%(count)d people deleted.") % {"count": count}, messages.SUCCESS)


@admin.register(TrainingCourse)
class TrainingCourseAdmin(AuditedModelAdmin):
    list_display = ["name", "required_for_appointment", "order", "completions"]
    list_editable = ["required_for_appointment", "order"]
    fields = ["name", "required_for_appointment", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(completion_count=Count("trainingcompletion"))

    @admin.display(description=_("completions"), ordering="completion_count")
    def completions(self, obj):
        return obj.completion_count


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdminMixin, WarekiAdminMixin, admin.ModelAdmin):
    """The anonymous appointment records behind the yearly totals: read-only."""

    list_display = ["number", "appointed_on", "fiscal_year"]
    list_filter = ["fiscal_year"]
