"""The secretariat's back office for members: the approval queue, lookups, import and export."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members import services
from members.forms import ContactPersonAdminForm, OrganizationAdminForm, ReasonForm
from members.models import (
    ActivityField,
    ChangeRequest,
    ContactPerson,
    GeneralType,
    Membership,
    Municipality,
    Organization,
    OrganizationActivity,
    SteeringCategory,
)
from members.resources import ContactPersonResource, OrganizationResource
from members.selectors import organization_pending_count, organization_search_filter, registry_lookups_changed
from platform_portal.admin import AuditedModelAdmin, LabelledTabularInline
from platform_portal.admin_fields import WarekiAdminMixin
from platform_portal.admin_site import AttentionItem, register_attention
from platform_portal.audit import audit_entries_for
from platform_portal.forms import EmailField as NormalizedEmailField
from platform_portal.importexport import PortalImportExportAdmin


class OrderedLookupAdmin(AuditedModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    ordering = ["order", "name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        registry_lookups_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        registry_lookups_changed()


@admin.register(Municipality)
class MunicipalityAdmin(OrderedLookupAdmin):
    list_display = ["name", "kana", "order"]


@admin.register(SteeringCategory)
class SteeringCategoryAdmin(OrderedLookupAdmin):
    pass


@admin.register(GeneralType)
class GeneralTypeAdmin(OrderedLookupAdmin):
    pass


@admin.register(ActivityField)
class ActivityFieldAdmin(OrderedLookupAdmin):
    pass


class OrganizationActivityInline(LabelledTabularInline):
    """Activities printed in the organisation's activity introduction (活動紹介)."""

    model = OrganizationActivity
    fields = ["order", "date", "title", "text"]
    extra = 0


class ContactPersonInline(WarekiAdminMixin, admin.StackedInline):
    model = ContactPerson
    form = ContactPersonAdminForm
    extra = 0
    fields = ["name", "role", "email", "phone", "is_primary"]


STATUS_RANK = Case(
    When(status=Organization.Status.PENDING, then=Value(0)),
    When(status=Organization.Status.APPROVED, then=Value(1)),
    When(status=Organization.Status.REJECTED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def _decision_action(request, queryset, *, service, title: str, reason_required: bool, done_message: str):
    """An intermediate page asking for the reason, then one service call per organisation."""
    if "apply" in request.POST:
        form = ReasonForm(request.POST)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            if reason_required and not reason.strip():
                form.add_error(
                    "reason", ValidationError(gettext("Give the reason for the rejection."), code="reason_required")
                )
            else:
                done, failed = 0, []
                for organization in queryset:
                    try:
                        service(actor=request.user, organization=organization, reason=reason)
                        done += 1
                    except ValidationError as exc:
                        failed.append(exc.messages[0])
                if done:
                    messages.success(request, done_message % {"count": done})
                for message in failed:
                    messages.error(request, message)
                return None
    else:
        form = ReasonForm()
    return TemplateResponse(
        request,
        "admin/members/organization/decision.html",
        {
            **admin.site.each_context(request),
            "title": title,
            "organizations": queryset,
            "form": form,
            "action": request.POST["action"],
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "opts": Organization._meta,
            "reason_required": reason_required,
        },
    )


@admin.register(Organization)
class OrganizationAdmin(PortalImportExportAdmin):
    """Member organisations; pending applications first. Decisions go through services."""

    resource_classes = [OrganizationResource]
    form = OrganizationAdminForm
    inlines = [ContactPersonInline, OrganizationActivityInline]
    list_display = [
        "name",
        "tier",
        "group_display",
        "municipality",
        "status",
        "applied_on",
        "status_date",
        "receipt_number",
    ]
    list_filter = [
        "status",
        "tier",
        "general_type",
        "steering_category",
        "municipality",
        "activity_fields",
        "publish_consent",
    ]
    list_select_related = ["general_type", "steering_category", "municipality"]
    search_fields = ["name", "name_kana", "name_key", "receipt_number"]
    readonly_fields = [
        "status",
        "status_reason",
        "applied_on",
        "approved_on",
        "rejected_on",
        "withdrawn_on",
        "receipt_number",
        "history",
    ]
    actions = ["approve_selected", "reject_selected", "withdraw_selected"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["tier", "steering_category", "general_type", "name", "name_kana", "legal_form"]}),
        (_("Representative"), {"fields": ["representative_title", "representative_name"]}),
        (
            _("Public information"),
            {
                "fields": [
                    "municipality",
                    "address",
                    "website",
                    "description",
                    "activity_fields",
                    "publish_consent",
                    "display_order",
                ]
            },
        ),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "status_reason",
                    "receipt_number",
                    "applied_on",
                    "approved_on",
                    "rejected_on",
                    "withdrawn_on",
                ]
            },
        ),
        (_("History"), {"fields": ["history"], "classes": ["collapse"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        """The registry's search (width, spaces, legal form and kana insensitive) besides the plain fields.

        Also what the organisation choosers of other admins (autocomplete) search with.
        """
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results = results | queryset.filter(organization_search_filter(search_term))
        return results, may_have_duplicates

    def get_ordering(self, request):
        # The queue: pending applications first. An expression, not an annotation, so that
        # other admins' foreign-key choices (which reuse this ordering) work too.
        return [STATUS_RANK.asc(), "-applied_on", "name_kana", "pk"]

    @admin.display(description=_("type / category"))
    def group_display(self, obj):
        return obj.group_label

    @admin.display(description=_("date of status"))
    def status_date(self, obj):
        return obj.status_changed_on

    @admin.display(description=_("history"))
    def history(self, obj):
        from django.template.loader import render_to_string

        if not obj.pk:
            return "-"
        return render_to_string("includes/_audit_log.html", {"audit_entries": audit_entries_for(obj)})

    def save_model(self, request, obj, form, change):
        services.organization_save(actor=request.user, organization=obj, changed_fields=form.changed_data)

    def delete_model(self, request, obj):
        services.organization_delete(actor=request.user, organization=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.organization_delete(actor=request.user, organization=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is OrganizationActivity:
            formset.save()
            touched = len(formset.new_objects) + len(formset.changed_objects) + len(formset.deleted_objects)
            if touched:
                services.organization_activities_changed(
                    actor=request.user, organization=form.instance, changed_rows=touched
                )
            return
        # Contacts are personal data: every write goes through the services (audited).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not hasattr(inline_form, "cleaned_data") or not inline_form.cleaned_data:
                continue
            contact = inline_form.instance
            if inline_form in formset.deleted_forms:
                if contact.pk:
                    services.contact_person_delete(actor=request.user, contact=contact)
                    formset.deleted_objects.append(contact)
                continue
            if not inline_form.has_changed() and contact.pk is not None:
                continue
            created = contact.pk is None
            contact.organization = form.instance
            services.contact_person_save(actor=request.user, contact=contact, changed_fields=inline_form.changed_data)
            if created:
                formset.new_objects.append(contact)
            else:
                formset.changed_objects.append((contact, inline_form.changed_data))

    @admin.action(description=_("Approve selected applications"), permissions=["change"])
    def approve_selected(self, request, queryset):
        return _decision_action(
            request,
            queryset,
            service=services.organization_approve,
            title=gettext("Approve applications"),
            reason_required=False,
            done_message=gettext("%(count)s organisation(s) approved."),
        )

    @admin.action(description=_("Reject selected applications"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return _decision_action(
            request,
            queryset,
            service=services.organization_reject,
            title=gettext("Reject applications"),
            reason_required=True,
            done_message=gettext("%(count)s application(s) rejected."),
        )

    @admin.action(description=_("Record withdrawal of selected members"), permissions=["change"])
    def withdraw_selected(self, request, queryset):
        return _decision_action(
            request,
            queryset,
            service=services.organization_withdraw,
            title=gettext("Record withdrawals"),
            reason_required=False,
            done_message=gettext("%(count)s withdrawal(s) recorded."),
        )


@admin.register(ContactPerson)
class ContactPersonAdmin(PortalImportExportAdmin):
    """Contact persons (personal data): staff only; import and export need their own permissions."""

    resource_classes = [ContactPersonResource]
    form = ContactPersonAdminForm
    list_display = ["name", "organization", "role", "email", "phone", "is_primary"]
    list_select_related = ["organization"]
    search_fields = ["name", "email", "organization__name"]
    autocomplete_fields = ["organization"]
    fields = ["organization", "name", "role", "email", "phone", "is_primary"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["fields"] = self.fields
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        services.contact_person_save(actor=request.user, contact=obj, changed_fields=form.changed_data)

    def delete_model(self, request, obj):
        services.contact_person_delete(actor=request.user, contact=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.contact_person_delete(actor=request.user, contact=obj)


@register_attention
def pending_applications(request):
    """The admin index shows how many applications wait for a decision."""
    if not request.user.has_perm("members.change_organization"):
        return []
    count = organization_pending_count()
    url = reverse("admin:members_organization_changelist") + "?status__exact=pending"
    return [AttentionItem(label=str(_("Member applications awaiting approval")), count=count, url=url)]


class MembershipAdminForm(forms.ModelForm):
    """Staff invite a contact person by address; the account is created by the service."""

    email = NormalizedEmailField(label=_("e-mail"))

    class Meta:
        model = Membership
        fields = ["organization", "role"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organization") and cleaned.get("email"):
            services.membership_check(organization=cleaned["organization"], email=cleaned["email"])
        return cleaned


@admin.register(Membership)
class MembershipAdmin(WarekiAdminMixin, admin.ModelAdmin):
    """Who acts for which group; adding one sends the invitation mail."""

    form = MembershipAdminForm
    list_display = ["user_email", "organization", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__email", "organization__name"]
    autocomplete_fields = ["organization"]

    @admin.display(description=_("e-mail"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        membership = services.membership_invite(
            actor=request.user,
            organization=form.cleaned_data["organization"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
        obj.pk, obj.user, obj.created_at = membership.pk, membership.user, membership.created_at
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.membership_remove(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ChangeRequest)
class ChangeRequestAdmin(WarekiAdminMixin, admin.ModelAdmin):
    """Registry change requests from the groups: staff compare and decide on the decision page."""

    list_display = ["organization", "created_at", "status", "decide_link"]
    list_filter = ["status"]
    list_select_related = ["organization"]
    search_fields = ["organization__name"]
    readonly_fields = ["organization", "requested_by", "status", "reason", "decided_by", "decided_at", "decide_link"]
    fields = readonly_fields

    @admin.display(description=_("decision"))
    def decide_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("members:change_request_decide", args=[obj.pk]),
            gettext("Compare and decide"),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@register_attention
def pending_change_requests(request):
    if not request.user.has_perm("members.change_organization"):
        return []
    count = ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).count()
    if not count:
        return []
    return [
        AttentionItem(
            label=gettext("Registry change requests awaiting a decision"),
            count=count,
            url=reverse("admin:members_changerequest_changelist") + "?status__exact=pending",
        )
    ]
