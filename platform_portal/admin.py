"""Admin for the platform's identity, pages and the audit trail, and the shared admin base class."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from platform_portal import services
from platform_portal.audit import action_label, audit_entries_visible_to, audit_log
from platform_portal.models import AuditLogEntry, Page, SiteProfile


class LabelledListEditableMixin:
    """Give the inputs of `list_editable` columns an accessible name (axe: label, WCAG 1.3.1/4.1.2).

    Django renders them without a <label>; the name says which column and which row.
    """

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class LabelledChangelistForm(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                for field in self.fields.values():
                    field.widget.attrs.setdefault("aria-label", f"{field.label}（{self.instance}）")

        return LabelledChangelistForm


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs have accessible names (axe: label).

    Django shows the field names only as column headings, so each input is named by its
    column and row: 「金額（2行目）」.
    """

    def get_formset(self, request, obj=None, **kwargs):
        base_formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(base_formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)  # adds the DELETE checkbox after the form's own fields
                row_label = str(index + 1) if index is not None else "__prefix__"
                for field in form.fields.values():
                    field.widget.attrs.setdefault("aria-label", f"{field.label}（{row_label}）")

        return LabelledFormSet


class AuditedModelAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    """Base for reference-data admins without side effects: every save and delete is audited.

    Models with side effects override save_model/delete_model to call their service instead
    (HOUSE_STYLE R19); those services write their own audit entry.
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action="admin.changed" if change else "admin.created",
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        audit_log(actor=request.user, action="admin.deleted", target=obj, data={"repr": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "secretariat_name", "phone", "email", "updated_at"]
    fields = [
        "name",
        "short_name",
        "jurisdiction",
        "secretariat_name",
        "postal_code",
        "address",
        "phone",
        "fax",
        "email",
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in self.fields}
        saved = services.site_profile_update(actor=request.user, profile=obj if change else None, **fields)
        obj.pk = saved.pk


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    fields = ["slug", "title", "lead", "body"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.page_update(
            actor=request.user, slug=obj.slug, title=data["title"], lead=data["lead"], body=data["body"]
        )
        obj.pk = saved.pk


class ActionListFilter(admin.SimpleListFilter):
    """The actions recorded so far, by their Japanese labels rather than their codes."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        entries = audit_entries_visible_to(request.user, AuditLogEntry.objects.all())
        codes = entries.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, action_label(code)) for code in codes), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """The audit trail, read-only for everyone."""

    list_display = ["created_at", "actor_label", "action_display", "content_type", "object_repr"]
    # Only the kinds of record that have entries (not every content type, such as django-axes' own).
    list_filter = [ActionListFilter, ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_repr", "actor_label", "action"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]
    readonly_fields = ["created_at", "actor_label", "action", "content_type", "object_id", "object_repr", "data"]
    fields = readonly_fields

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, obj):
        return obj.action_label

    def get_queryset(self, request):
        # Who exported personal data is for the secretariat only (view_personal_data_exports).
        return audit_entries_visible_to(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
